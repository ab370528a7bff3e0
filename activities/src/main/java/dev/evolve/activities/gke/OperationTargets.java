package dev.evolve.activities.gke;

import com.google.container.v1.Operation;
import dev.evolve.workflows.model.ClusterRef;

/**
 * Which cluster and pool an operation works on, read from its target link
 * ({@code .../projects/P/locations/L/clusters/C[/nodePools/N]}, or {@code zones/Z} for zonal
 * clusters). Compared segment by segment: a substring match would take cluster "prod-eu"'s
 * operations for cluster "prod"'s, since ListOperations lists every cluster of the location.
 */
final class OperationTargets {

  private OperationTargets() {}

  static boolean isCluster(Operation op, ClusterRef cluster) {
    return cluster.cluster().equals(segmentAfter(op.getTargetLink(), "clusters"));
  }

  static boolean isPool(Operation op, ClusterRef cluster, String pool) {
    return isCluster(op, cluster) && pool.equals(segmentAfter(op.getTargetLink(), "nodePools"));
  }

  private static String segmentAfter(String link, String collection) {
    String[] parts = link.split("/");
    for (int i = 0; i < parts.length - 1; i++) {
      if (parts[i].equals(collection)) {
        return parts[i + 1];
      }
    }
    return null;
  }
}
