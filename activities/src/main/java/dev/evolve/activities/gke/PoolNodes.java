package dev.evolve.activities.gke;

import java.util.Map;

/**
 * How many nodes a pool has now, per zone. GKE's NodePool carries no current size:
 * initialNodeCount is what the pool was created with, and resizes, the cluster autoscaler and
 * repairs change its instance groups. Their members are the cluster's nodes.
 */
@FunctionalInterface
public interface PoolNodes {

  Map<String, Integer> perZone(String pool);
}
