package dev.evolve.activities.kube;

import dev.evolve.workflows.model.NodeInfo;
import io.fabric8.kubernetes.api.model.Node;
import io.fabric8.kubernetes.api.model.Pod;
import io.fabric8.kubernetes.api.model.Quantity;
import io.fabric8.kubernetes.client.KubernetesClient;
import java.util.List;
import java.util.Map;
import java.util.Set;
import java.util.stream.Collectors;

/** Node pools as Kubernetes sees them: the nodes GKE labels with the pool's name. */
final class Pools {

  static final String POOL_LABEL = "cloud.google.com/gke-nodepool";
  static final String ZONE_LABEL = "topology.kubernetes.io/zone";

  private Pools() {}

  static List<Node> nodes(KubernetesClient client, String pool) {
    return client.nodes().withLabel(POOL_LABEL, pool).list().getItems();
  }

  static Set<String> nodeNames(KubernetesClient client, String pool) {
    return nodes(client, pool).stream().map(n -> n.getMetadata().getName()).collect(Collectors.toSet());
  }

  /** Pods scheduled on the pool's nodes that still run or are about to. */
  static List<Pod> pods(KubernetesClient client, String pool) {
    Set<String> nodes = nodeNames(client, pool);
    return client.pods().inAnyNamespace().list().getItems().stream()
        .filter(p -> p.getSpec().getNodeName() != null && nodes.contains(p.getSpec().getNodeName()))
        .filter(p -> !isFinished(p))
        .toList();
  }

  static boolean isFinished(Pod pod) {
    String phase = pod.getStatus() == null ? null : pod.getStatus().getPhase();
    return "Succeeded".equals(phase) || "Failed".equals(phase);
  }

  static boolean isReady(Pod pod) {
    return pod.getStatus() != null && pod.getStatus().getConditions() != null
        && pod.getStatus().getConditions().stream()
            .anyMatch(c -> "Ready".equals(c.getType()) && "True".equals(c.getStatus()));
  }

  static NodeInfo info(Node node) {
    Map<String, String> labels = node.getMetadata().getLabels();
    boolean ready = node.getStatus() != null && node.getStatus().getConditions() != null
        && node.getStatus().getConditions().stream()
            .anyMatch(c -> "Ready".equals(c.getType()) && "True".equals(c.getStatus()));
    Map<String, Quantity> allocatable = node.getStatus() == null || node.getStatus().getAllocatable() == null
        ? Map.of() : node.getStatus().getAllocatable();
    return new NodeInfo(node.getMetadata().getName(), labels == null ? null : labels.get(ZONE_LABEL), ready,
        Boolean.TRUE.equals(node.getSpec().getUnschedulable()), Resources.millicores(allocatable.get("cpu")),
        Resources.bytes(allocatable.get("memory")),
        node.getStatus() == null || node.getStatus().getNodeInfo() == null ? null
            : node.getStatus().getNodeInfo().getKubeletVersion());
  }
}
