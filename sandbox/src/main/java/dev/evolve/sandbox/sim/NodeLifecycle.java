package dev.evolve.sandbox.sim;

import io.fabric8.kubernetes.api.model.Pod;
import java.util.ArrayList;
import java.util.List;
import java.util.Set;
import java.util.stream.Collectors;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;

/**
 * When a Node object is gone, so are its pods: they are deleted (the pod garbage collector's
 * job for orphaned pods) and their controllers create them again elsewhere.
 */
final class NodeLifecycle implements Controller {

  private static final Logger log = LoggerFactory.getLogger(NodeLifecycle.class);

  /**
   * Workload pods (DaemonSet pods excepted: they belong to their node) that went down with their
   * node. A cycle that deletes or upgrades a pool still running workloads shows up here.
   */
  private final List<String> lost = new ArrayList<>();

  @Override
  public void reconcile(ClusterView view) {
    Set<String> nodes = view.nodes().stream().map(n -> n.getMetadata().getName()).collect(Collectors.toSet());
    boolean wrote = false;
    for (Pod pod : view.pods()) {
      String node = pod.getSpec().getNodeName();
      if (node != null && !nodes.contains(node)) {
        log.info("node {} is gone: deleting its pod {}/{}", node, pod.getMetadata().getNamespace(),
            pod.getMetadata().getName());
        if (!Objects.isDaemonSetPod(pod)) {
          recordLost(pod.getMetadata().getNamespace() + "/" + pod.getMetadata().getName() + " on " + node);
        }
        view.client().pods().inNamespace(pod.getMetadata().getNamespace()).withName(pod.getMetadata().getName())
            .withGracePeriod(0).delete();
        wrote = true;
      }
    }
    if (wrote) {
      view.invalidate();
    }
  }

  private synchronized void recordLost(String pod) {
    lost.add(pod);
  }

  synchronized List<String> lost() {
    return List.copyOf(lost);
  }
}
