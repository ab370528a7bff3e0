package dev.evolve.activities.kube;

import dev.evolve.workflows.activities.FailureTypes;
import dev.evolve.workflows.model.PdbInfo;
import io.fabric8.kubernetes.api.model.Pod;
import io.fabric8.kubernetes.client.KubernetesClient;
import io.fabric8.kubernetes.client.KubernetesClientException;
import io.temporal.failure.ApplicationFailure;
import java.time.Duration;
import java.util.List;

/**
 * Eviction through the Eviction API, the way a careful human drains: a 429 means a
 * PodDisruptionBudget says "not now", so try again with backoff, but only within a budget, and
 * then say which budget refused. Never delete a pod around a PDB.
 */
final class Evictions {

  private final KubernetesClient client;
  private final Duration pollInterval;
  private final Heartbeat heartbeat;
  private final Runnable refused;

  interface Heartbeat {
    void beat(String what);
  }

  /** @param refused told of each 429, the budget's "not now" (a metric: README, "Metrics") */
  Evictions(KubernetesClient client, Duration pollInterval, Heartbeat heartbeat, Runnable refused) {
    this.client = client;
    this.pollInterval = pollInterval;
    this.heartbeat = heartbeat;
    this.refused = refused;
  }

  void evict(Pod pod, Duration budget) {
    String ns = pod.getMetadata().getNamespace();
    String name = pod.getMetadata().getName();
    long deadline = System.currentTimeMillis() + budget.toMillis();
    long backoff = pollInterval.toMillis();
    int refusals = 0;
    while (true) {
      try {
        if (client.pods().inNamespace(ns).withName(name).evict()) {
          return;
        }
      } catch (KubernetesClientException e) {
        if (e.getCode() == 404) {
          return;
        }
        if (e.getCode() == 500) {
          throw ApplicationFailure.newNonRetryableFailure("eviction of " + ns + "/" + name
              + " failed: more than one PodDisruptionBudget selects it " + budgets(pod)
              + "; that is a misconfiguration to fix, it is not retried", FailureTypes.EVICTION_BLOCKED);
        }
        if (e.getCode() != 429) {
          throw e;
        }
      }
      refusals++;
      refused.run();
      String refusedSoFar = "eviction of " + ns + "/" + name + " refused " + refusals + " time(s) by " + budgets(pod);
      heartbeat.beat(refusedSoFar);
      if (System.currentTimeMillis() + backoff > deadline) {
        throw ApplicationFailure.newNonRetryableFailure("eviction of " + ns + "/" + name + " refused for "
            + budget.toSeconds() + "s by PodDisruptionBudget " + budgets(pod)
            + ": it is never forced; bring the workload back to health or relax the budget, then resume",
            FailureTypes.EVICTION_BLOCKED);
      }
      waitBeating(backoff, refusedSoFar);
      backoff = Math.min(backoff * 2, 10_000);
    }
  }

  private String budgets(Pod pod) {
    List<PdbInfo> pdbs = client.policy().v1().podDisruptionBudget().inNamespace(pod.getMetadata().getNamespace())
        .list().getItems().stream()
        .filter(p -> Selectors.matches(p.getSpec().getSelector(), pod.getMetadata().getLabels()))
        .map(Inventory::info).toList();
    return pdbs.stream().map(p -> p + " (" + p.disruptionsAllowed() + " disruptions allowed, " + p.currentHealthy()
        + " healthy of " + p.desiredHealthy() + " required)").toList().toString();
  }

  /**
   * Waits, heartbeating at least every second: the backoff grows to 10 s, longer than the shortest
   * heartbeatTimeoutSeconds a request may set (5), and a silent wait that long made Temporal time
   * the eviction out and start it again (found by the chaos soak, seed 20261127 cycle 11).
   */
  private void waitBeating(long millis, String what) {
    long until = System.currentTimeMillis() + millis;
    for (long left = millis; left > 0; left = until - System.currentTimeMillis()) {
      sleep(Math.min(left, HEARTBEAT_EVERY_MILLIS));
      heartbeat.beat(what);
    }
  }

  /** How often a wait heartbeats (the SDK sends at most one per 80 % of the heartbeat timeout). */
  static final long HEARTBEAT_EVERY_MILLIS = 1_000;

  static void sleep(long millis) {
    try {
      Thread.sleep(millis);
    } catch (InterruptedException e) {
      Thread.currentThread().interrupt();
      throw ApplicationFailure.newFailure("interrupted", "Interrupted");
    }
  }
}
