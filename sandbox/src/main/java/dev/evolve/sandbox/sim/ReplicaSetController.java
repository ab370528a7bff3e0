package dev.evolve.sandbox.sim;

import io.fabric8.kubernetes.api.model.Pod;
import io.fabric8.kubernetes.api.model.apps.ReplicaSet;
import java.util.Comparator;
import java.util.List;
import java.util.Map;

/**
 * Keeps each ReplicaSet at its replica count: new pods named RS-xxxxx; when there are too
 * many, the ones that matter least go first (unscheduled, then not Ready, then the youngest).
 */
final class ReplicaSetController implements Controller {

  private final Names names;

  ReplicaSetController(Names names) {
    this.names = names;
  }

  @Override
  public void reconcile(ClusterView view) {
    boolean wrote = false;
    for (ReplicaSet rs : view.replicaSets()) {
      List<Pod> pods = view.activePods().stream().filter(p -> Objects.ownedBy(p, rs)).toList();
      int want = rs.getSpec().getReplicas() == null ? 1 : rs.getSpec().getReplicas();
      String ns = rs.getMetadata().getNamespace();
      if (pods.size() < want) {
        for (int i = pods.size(); i < want; i++) {
          Map<String, String> hash = rs.getMetadata().getLabels() == null
              || rs.getMetadata().getLabels().get("pod-template-hash") == null ? Map.of()
              : Map.of("pod-template-hash", rs.getMetadata().getLabels().get("pod-template-hash"));
          Pod pod = PodFactory.fromTemplate(rs.getSpec().getTemplate(), rs,
              rs.getMetadata().getName() + "-" + names.suffix(5), hash);
          view.client().pods().inNamespace(ns).resource(pod).create();
        }
        wrote = true;
      } else if (pods.size() > want) {
        pods.stream().sorted(Comparator
                .comparing((Pod p) -> p.getSpec().getNodeName() != null)
                .thenComparing(Objects::isReady)
                .thenComparing((Pod p) -> p.getMetadata().getCreationTimestamp(), Comparator.reverseOrder()))
            .limit(pods.size() - want)
            .forEach(p -> view.client().pods().inNamespace(ns).withName(p.getMetadata().getName()).delete());
        wrote = true;
      }
      if (wrote) {
        view.invalidate();
      }
      List<Pod> now = view.activePods().stream().filter(p -> Objects.ownedBy(p, rs)).toList();
      int ready = (int) now.stream().filter(Objects::isReady).count();
      var status = rs.getStatus();
      Long generation = rs.getMetadata().getGeneration();
      if (status == null || !Integer.valueOf(now.size()).equals(status.getReplicas())
          || !Integer.valueOf(ready).equals(status.getReadyReplicas())
          || !java.util.Objects.equals(generation, status.getObservedGeneration())) {
        view.client().apps().replicaSets().inNamespace(ns).withName(rs.getMetadata().getName()).editStatus(r -> {
          r.setStatus(new io.fabric8.kubernetes.api.model.apps.ReplicaSetStatusBuilder().withReplicas(now.size())
              .withReadyReplicas(ready).withAvailableReplicas(ready).withFullyLabeledReplicas(now.size())
              .withObservedGeneration(generation).build());
          return r;
        });
        wrote = true;
      }
    }
    if (wrote) {
      view.invalidate();
    }
  }
}
