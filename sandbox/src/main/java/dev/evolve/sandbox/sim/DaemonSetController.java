package dev.evolve.sandbox.sim;

import io.fabric8.kubernetes.api.model.Node;
import io.fabric8.kubernetes.api.model.Pod;
import io.fabric8.kubernetes.api.model.apps.DaemonSet;
import io.fabric8.kubernetes.api.model.apps.DaemonSetStatusBuilder;
import java.util.List;
import java.util.Map;

/** DaemonSets: one pod on every node that matches the nodeSelector, placed directly on it. */
final class DaemonSetController implements Controller {

  private final Names names;

  DaemonSetController(Names names) {
    this.names = names;
  }

  @Override
  public void reconcile(ClusterView view) {
    for (DaemonSet ds : view.daemonSets()) {
      String ns = ds.getMetadata().getNamespace();
      List<Pod> pods = view.activePods().stream().filter(p -> Objects.ownedBy(p, ds)).toList();
      int desired = 0;
      for (Node node : view.nodes()) {
        Map<String, String> selector = ds.getSpec().getTemplate().getSpec().getNodeSelector();
        Map<String, String> labels = node.getMetadata().getLabels() == null ? Map.of() : node.getMetadata().getLabels();
        if (selector != null && !selector.entrySet().stream().allMatch(e -> e.getValue().equals(labels.get(e.getKey())))) {
          continue;
        }
        desired++;
        String nodeName = node.getMetadata().getName();
        if (pods.stream().noneMatch(p -> nodeName.equals(p.getSpec().getNodeName()))) {
          Pod pod = PodFactory.fromTemplate(ds.getSpec().getTemplate(), ds, ds.getMetadata().getName() + "-"
              + names.suffix(5), Map.of());
          pod.getSpec().setNodeName(nodeName);
          view.client().pods().inNamespace(ns).resource(pod).create();
          view.invalidate();
        }
      }
      int ready = (int) pods.stream().filter(Objects::isReady).count();
      var was = ds.getStatus();
      if (was == null || !Integer.valueOf(desired).equals(was.getDesiredNumberScheduled())
          || !Integer.valueOf(ready).equals(was.getNumberReady())) {
        int scheduled = pods.size();
        int d = desired;
        view.client().apps().daemonSets().inNamespace(ns).withName(ds.getMetadata().getName()).editStatus(x -> {
          x.setStatus(new DaemonSetStatusBuilder().withDesiredNumberScheduled(d).withCurrentNumberScheduled(scheduled)
              .withNumberReady(ready).withNumberAvailable(ready).withUpdatedNumberScheduled(scheduled)
              .withNumberMisscheduled(0).withObservedGeneration(ds.getMetadata().getGeneration()).build());
          return x;
        });
        view.invalidate();
      }
    }
  }
}
