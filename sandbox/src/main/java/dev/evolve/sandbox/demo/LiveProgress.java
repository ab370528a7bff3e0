package dev.evolve.sandbox.demo;

import dev.evolve.sandbox.SandboxStatus;
import dev.evolve.workflows.model.CycleStatus;
import dev.evolve.workflows.model.PhaseProgress;
import dev.evolve.workflows.model.Progress;
import java.util.ArrayList;
import java.util.List;

/**
 * One line of live progress: the cycle's phase and step as the workflow reports them, and where
 * the pods are as the cluster shows them. Plain text, one line at a time, so it reads the same
 * on a terminal, in a CI log or through a pipe.
 */
final class LiveProgress {

  private LiveProgress() {}

  static String line(Progress progress, SandboxStatus cluster, String pool, String tempPool, long nowMillis) {
    List<String> parts = new ArrayList<>();
    if (progress == null) {
      parts.add("starting");
    } else {
      PhaseProgress phase = progress.phases() == null ? null : progress.phases().get(progress.phase());
      parts.add(progress.phase() + (phase == null || phase.total() == 0 ? "" : " " + phase.done() + "/" + phase.total())
          + (progress.status() == CycleStatus.RUNNING ? "" : " " + progress.status()));
    }
    parts.add(pods(cluster, pool) + ", " + pods(cluster, tempPool)
        + (cluster.pendingPods() > 0 ? ", " + cluster.pendingPods() + " pending" : ""));
    if (progress != null && progress.brokersRotated() > 0) {
      parts.add("brokers moved " + progress.brokersRotated());
    }
    if (progress != null) {
      parts.add(step(progress, nowMillis));
    }
    if (!cluster.disruptions().isEmpty()) {
      parts.add("DISRUPTIONS " + cluster.disruptions().size());
    }
    return String.join(" | ", parts);
  }

  /** "default-pool 9 pods/3 nodes", or "... absent" for a pool GKE does not have. */
  static String pods(SandboxStatus cluster, String pool) {
    SandboxStatus.PoolStatus status = cluster.pools().get(pool);
    if (status == null) {
      return pool + " absent";
    }
    int pods = cluster.podsPerPool().getOrDefault(pool, 0);
    String state = "RUNNING".equals(status.status()) ? "" : " " + status.status();
    return pool + " " + pods + " pods/" + status.nodes() + " nodes" + state;
  }

  private static String step(Progress progress, long nowMillis) {
    if (progress.pauseReason() != null) {
      return progress.step() + " (" + progress.pauseReason() + ")";
    }
    if (progress.waitingUntilMillis() != null) {
      long left = Math.max(0, (progress.waitingUntilMillis() - nowMillis + 999) / 1000);
      return progress.step() + ": " + left + "s left";
    }
    return progress.step();
  }
}
