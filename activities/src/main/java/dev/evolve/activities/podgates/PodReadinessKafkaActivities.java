package dev.evolve.activities.podgates;

import dev.evolve.workflows.activities.FailureTypes;
import dev.evolve.workflows.activities.KafkaActivities;
import dev.evolve.workflows.model.GateResult;
import dev.evolve.workflows.model.KafkaTarget;
import io.fabric8.kubernetes.api.model.Pod;
import io.fabric8.kubernetes.api.model.PodCondition;
import io.fabric8.kubernetes.client.KubernetesClient;
import io.temporal.activity.Activity;
import io.temporal.failure.ApplicationFailure;
import java.time.Duration;
import java.time.Instant;
import java.util.ArrayList;
import java.util.List;
import java.util.Map;
import java.util.function.Consumer;

/**
 * Kafka gates judged from broker pod readiness alone: a DEGRADED mode, for clusters where the
 * worker has no Admin API access to Kafka, and for the sandbox, whose Kafka is a stand-in
 * without partitions. It cannot see ISRs or under-replicated partitions; it only knows that a
 * pod has been Ready for a while, so it is only as good as the brokers' readiness probes.
 *
 * <p>The target is named in {@link KafkaTarget#bootstrapServers()} as
 * {@code pods://NAMESPACE/STATEFULSET}; broker b is pod STATEFULSET-b.
 *
 * <ul>
 *   <li>safe to move b: every other broker pod exists, is Ready and has caught up;
 *   <li>caught up b: b's pod is Ready and has caught up.
 * </ul>
 *
 * A pod has caught up when it carries the annotation {@value #CAUGHT_UP_AT} with an instant in
 * the past (the sandbox sets it), or else when its Ready condition has been True for the
 * configured catch-up time. Both poll within the budget, heartbeating, and answer refused
 * with the reason when the budget runs out.
 */
public class PodReadinessKafkaActivities implements KafkaActivities {

  public static final String SCHEME = "pods://";
  public static final String CAUGHT_UP_AT = "sandbox.evolve.dev/caught-up-at";

  private final KubernetesClient client;
  private final Duration catchUp;
  private final Duration pollInterval;

  public PodReadinessKafkaActivities(KubernetesClient client) {
    this(client, Duration.ofSeconds(30), Duration.ofSeconds(2));
  }

  /** @param catchUp how long a broker pod must have been Ready to count as caught up (without annotation) */
  public PodReadinessKafkaActivities(KubernetesClient client, Duration catchUp, Duration pollInterval) {
    this.client = client;
    this.catchUp = catchUp;
    this.pollInterval = pollInterval;
  }

  @Override
  public GateResult awaitSafeToMove(KafkaTarget kafka, int brokerId, long budgetSeconds) {
    Target target = target(kafka);
    return poll(budgetSeconds, () -> {
      List<String> problems = new ArrayList<>();
      List<Pod> brokers = client.pods().inNamespace(target.namespace())
          .withLabels(selector(target)).list().getItems();
      int replicas = replicas(target);
      for (int other = 0; other < replicas; other++) {
        if (other == brokerId) {
          continue;
        }
        String name = target.statefulSet() + "-" + other;
        Pod pod = brokers.stream().filter(p -> p.getMetadata().getName().equals(name)).findFirst().orElse(null);
        String why = notCaughtUp(pod, name);
        if (why != null) {
          problems.add(why);
        }
      }
      return problems.isEmpty() ? null : "broker " + brokerId + " must stay: " + String.join("; ", problems);
    }, "every other broker of " + target + " Ready and caught up (judged from pod readiness only)");
  }

  @Override
  public GateResult awaitCaughtUp(KafkaTarget kafka, int brokerId, long budgetSeconds) {
    Target target = target(kafka);
    String name = target.statefulSet() + "-" + brokerId;
    return poll(budgetSeconds, () -> notCaughtUp(client.pods().inNamespace(target.namespace()).withName(name).get(),
        name), name + " Ready and caught up (judged from pod readiness only)");
  }

  /** Pods do not tell which broker is the active controller: the given order stands. */
  @Override
  public List<Integer> brokerMoveOrder(KafkaTarget kafka, List<Integer> brokerIds) {
    return brokerIds;
  }

  /** Why the pod has not caught up, or null when it has. */
  private String notCaughtUp(Pod pod, String name) {
    if (pod == null || pod.getMetadata().getDeletionTimestamp() != null) {
      return name + " is not there";
    }
    PodCondition ready = pod.getStatus() == null || pod.getStatus().getConditions() == null ? null
        : pod.getStatus().getConditions().stream().filter(c -> "Ready".equals(c.getType())).findFirst().orElse(null);
    if (ready == null || !"True".equals(ready.getStatus())) {
      return name + " is not Ready";
    }
    Map<String, String> annotations = pod.getMetadata().getAnnotations();
    String caughtUpAt = annotations == null ? null : annotations.get(CAUGHT_UP_AT);
    if (caughtUpAt != null) {
      return Instant.parse(caughtUpAt).isAfter(Instant.now()) ? name + " has not caught up yet" : null;
    }
    Instant since = ready.getLastTransitionTime() == null ? Instant.now() : Instant.parse(ready.getLastTransitionTime());
    Duration readyFor = Duration.between(since, Instant.now());
    return readyFor.compareTo(catchUp) >= 0 ? null
        : name + " Ready for " + readyFor.toSeconds() + "s of the " + catchUp.toSeconds() + "s catch-up time";
  }

  private GateResult poll(long budgetSeconds, java.util.function.Supplier<String> problem, String what) {
    long started = System.currentTimeMillis();
    long deadline = started + budgetSeconds * 1000;
    Consumer<String> heartbeat = detail -> Activity.getExecutionContext().heartbeat(detail);
    while (true) {
      String why;
      try {
        why = problem.get();
      } catch (io.fabric8.kubernetes.client.KubernetesClientException e) {
        why = "Kubernetes API not answering: " + e.getMessage();
      }
      long waited = (System.currentTimeMillis() - started) / 1000;
      if (why == null) {
        return GateResult.passed(what, waited);
      }
      heartbeat.accept(why);
      if (System.currentTimeMillis() + pollInterval.toMillis() > deadline) {
        return GateResult.refused(why + " (still so after " + waited + "s)", waited);
      }
      try {
        Thread.sleep(pollInterval.toMillis());
      } catch (InterruptedException e) {
        Thread.currentThread().interrupt();
        throw ApplicationFailure.newFailure("interrupted", "Interrupted");
      }
    }
  }

  private int replicas(Target target) {
    var sts = client.apps().statefulSets().inNamespace(target.namespace()).withName(target.statefulSet()).get();
    if (sts == null) {
      throw ApplicationFailure.newNonRetryableFailure("StatefulSet " + target + " not found", FailureTypes.NOT_FOUND);
    }
    return sts.getSpec().getReplicas() == null ? 1 : sts.getSpec().getReplicas();
  }

  private Map<String, String> selector(Target target) {
    var sts = client.apps().statefulSets().inNamespace(target.namespace()).withName(target.statefulSet()).get();
    if (sts == null) {
      throw ApplicationFailure.newNonRetryableFailure("StatefulSet " + target + " not found", FailureTypes.NOT_FOUND);
    }
    return sts.getSpec().getSelector().getMatchLabels();
  }

  record Target(String namespace, String statefulSet) {
    @Override
    public String toString() {
      return namespace + "/" + statefulSet;
    }
  }

  static Target target(KafkaTarget kafka) {
    String s = kafka == null ? null : kafka.bootstrapServers();
    if (s == null || !s.startsWith(SCHEME) || s.substring(SCHEME.length()).split("/").length != 2) {
      throw ApplicationFailure.newNonRetryableFailure("pod-readiness Kafka gates need bootstrapServers of the form "
          + SCHEME + "NAMESPACE/STATEFULSET, got '" + s + "'", FailureTypes.INVALID_ARGUMENT);
    }
    String[] parts = s.substring(SCHEME.length()).split("/");
    return new Target(parts[0], parts[1]);
  }
}
