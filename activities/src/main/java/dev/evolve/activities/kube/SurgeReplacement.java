package dev.evolve.activities.kube;

import dev.evolve.workflows.model.WorkloadRef;
import io.fabric8.kubernetes.api.model.Pod;
import io.fabric8.kubernetes.api.model.apps.Deployment;
import io.fabric8.kubernetes.client.KubernetesClient;
import io.fabric8.kubernetes.client.dsl.base.PatchContext;
import io.fabric8.kubernetes.client.dsl.base.PatchType;
import java.util.List;
import java.util.Map;
import java.util.Optional;

/**
 * Replaces a Deployment's pods that run in the wrong pool once its rollout is over, without taking
 * a Ready pod away first: the Deployment gets one more replica per such pod, and once every pod is
 * Ready it goes back to its count, with the misplaced pods marked as the ones its ReplicaSet removes.
 *
 * <p>Why not evict them: a Deployment is moved by a rollout because it may not lose a pod, often
 * one replica under {@code minAvailable: 1}, which no eviction ever passes (chaos soak seed 1128
 * cycle 19: a scheduler whose cache had not seen the cordon put the restored {@code checkout} pod on
 * the temporary pool, and RESTORE waited on it for good). This is the same surge a rollout makes,
 * by hand, so the workload never has fewer Ready pods than it had.
 *
 * <p>The count the surge started from is kept on the Deployment, so a move retried after a crash
 * ends the surge instead of starting another on top of it.
 */
final class SurgeReplacement {

  /** On the Deployment while a surge is under way: its replica count before it. */
  static final String REPLICAS_BEFORE = "evolve.dev/replicas-before-surge";
  /**
   * Of the pods equally Ready, a ReplicaSet scaling down removes those with the lowest cost first;
   * the lowest value there is puts the misplaced pods first.
   */
  static final String DELETION_COST = "controller.kubernetes.io/pod-deletion-cost";

  /**
   * Merge patches carry no resourceVersion: the Deployment controller writes the status every few
   * seconds, and an edit would meet 409s. Only the move writes these fields while it runs.
   */
  private static final PatchContext MERGE = PatchContext.of(PatchType.JSON_MERGE);

  private final KubernetesClient client;

  SurgeReplacement(KubernetesClient client) {
    this.client = client;
  }

  /** The replica count a surge under way started from, if one is. */
  static Optional<Integer> startedFrom(Deployment d) {
    Map<String, String> annotations = d.getMetadata().getAnnotations();
    return Optional.ofNullable(annotations == null ? null : annotations.get(REPLICAS_BEFORE)).map(Integer::valueOf);
  }

  /** Marks {@code misplaced} to be removed first and adds a replica for each. */
  void start(WorkloadRef ref, List<Pod> misplaced) {
    for (Pod pod : misplaced) {
      client.pods().inNamespace(ref.namespace()).withName(pod.getMetadata().getName()).patch(MERGE,
          "{\"metadata\":{\"annotations\":{\"" + DELETION_COST + "\":\"" + Integer.MIN_VALUE + "\"}}}");
    }
    var deployment = client.apps().deployments().inNamespace(ref.namespace()).withName(ref.name());
    Deployment d = deployment.get();
    if (d != null && startedFrom(d).isEmpty()) {
      int replicas = d.getSpec().getReplicas() == null ? 1 : d.getSpec().getReplicas();
      deployment.patch(MERGE, "{\"metadata\":{\"annotations\":{\"" + REPLICAS_BEFORE + "\":\"" + replicas + "\"}},"
          + "\"spec\":{\"replicas\":" + (replicas + misplaced.size()) + "}}");
    }
  }

  /** Gives the Deployment its count back; its ReplicaSet removes the marked pods. */
  void end(WorkloadRef ref) {
    var deployment = client.apps().deployments().inNamespace(ref.namespace()).withName(ref.name());
    Deployment d = deployment.get();
    Optional<Integer> before = d == null ? Optional.empty() : startedFrom(d);
    if (before.isPresent()) {
      deployment.patch(MERGE, "{\"metadata\":{\"annotations\":{\"" + REPLICAS_BEFORE + "\":null}},"
          + "\"spec\":{\"replicas\":" + before.get() + "}}");
    }
  }
}
