package dev.evolve.activities.gke;

import io.fabric8.kubernetes.api.model.Node;
import io.fabric8.kubernetes.client.KubernetesClient;
import java.util.Map;
import java.util.TreeMap;

/** A pool's nodes per zone, from the Node objects GKE labels with their pool and zone. */
public final class KubernetesPoolNodes implements PoolNodes {

  static final String POOL_LABEL = "cloud.google.com/gke-nodepool";
  static final String ZONE_LABEL = "topology.kubernetes.io/zone";

  private final KubernetesClient client;

  public KubernetesPoolNodes(KubernetesClient client) {
    this.client = client;
  }

  @Override
  public Map<String, Integer> perZone(String pool) {
    Map<String, Integer> counts = new TreeMap<>();
    for (Node node : client.nodes().withLabel(POOL_LABEL, pool).list().getItems()) {
      String zone = node.getMetadata().getLabels().getOrDefault(ZONE_LABEL, "");
      counts.merge(zone, 1, Integer::sum);
    }
    return counts;
  }
}
