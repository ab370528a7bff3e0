package dev.evolve.activities.kube;

import io.fabric8.kubernetes.api.model.Node;
import io.fabric8.kubernetes.client.KubernetesClient;
import java.util.Map;
import java.util.TreeMap;
import java.util.regex.Pattern;

/**
 * A pool too small for the pods moved onto it: the scheduler says "Insufficient cpu" (memory,
 * pods, ephemeral-storage) or "Too many pods". Unlike a pod that no node may take (affinity,
 * taints, a volume's zone), this is fixed by adding nodes, so the hint says how many.
 */
final class TooSmall {

  private static final Pattern CAPACITY = Pattern.compile("Insufficient (cpu|memory|pods|ephemeral-storage)|Too many pods");

  private TooSmall() {}

  static boolean isCapacity(String schedulerMessage) {
    return CAPACITY.matcher(schedulerMessage).find();
  }

  /** One more node in each zone than the pool has now, and the command that does it. */
  static String hint(KubernetesClient client, String pool) {
    Map<String, Integer> perZone = new TreeMap<>();
    for (Node node : Pools.nodes(client, pool)) {
      perZone.merge(node.getMetadata().getLabels().getOrDefault(Pools.ZONE_LABEL, ""), 1, Integer::sum);
    }
    int next = perZone.values().stream().mapToInt(Integer::intValue).max().orElse(0) + 1;
    return pool + " is too small for the moved pods: resize " + pool + " to " + next + " node(s) per zone "
        + "(gcloud container clusters resize CLUSTER --node-pool " + pool + " --num-nodes " + next
        + " --location LOCATION), then resume the cycle";
  }
}
