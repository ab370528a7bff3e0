package dev.evolve.workflows.activities;

import dev.evolve.workflows.model.ClusterRef;
import dev.evolve.workflows.model.ClusterState;
import dev.evolve.workflows.model.PoolAutoscaling;
import dev.evolve.workflows.model.PoolState;
import dev.evolve.workflows.model.TempPoolSpec;
import io.temporal.activity.ActivityInterface;
import io.temporal.activity.ActivityMethod;

/**
 * Node pools through the GKE API. Every method that starts a GKE operation also waits for it,
 * heartbeating with the operation's name, so that a retried attempt waits for the same operation
 * instead of starting a second one. All of them are idempotent.
 */
@ActivityInterface(namePrefix = "Gke")
public interface GkeActivities {

  /** The cluster, its pools, the versions GKE offers and the operations in flight. */
  @ActivityMethod
  ClusterState describeCluster(ClusterRef cluster);

  /**
   * Creates the temporary pool and waits until it runs. A pool of that name with the same machine
   * type and locations is adopted (and resized to the spec); with a different one this fails with
   * {@link FailureTypes#POOL_SPEC_MISMATCH}.
   */
  @ActivityMethod
  PoolState createTempPool(ClusterRef cluster, TempPoolSpec spec);

  /**
   * Upgrades an emptied pool's nodes to {@code version} and waits as long as the operation runs:
   * all nodes at once (surge, maxSurge 0, maxUnavailable = its node count), then the pool's own
   * upgrade settings back exactly, also when the upgrade fails. Waits first for whatever runs on
   * the pool, and does not upgrade a pool that already runs {@code version}.
   */
  @ActivityMethod
  PoolState upgradePool(ClusterRef cluster, String pool, String version);

  /** Sets the pool's node count per zone and waits. */
  @ActivityMethod
  PoolState resizePool(ClusterRef cluster, String pool, int nodeCountPerZone);

  /**
   * Takes the pool away from the cluster autoscaler for the cycle, at the size it has now: an
   * emptied, cordoned pool is exactly what an autoscaler removes. Returns the pool's autoscaling
   * as it was, for {@link #restoreAutoscaling}; a pool without autoscaling is left as it is.
   */
  @ActivityMethod
  PoolAutoscaling holdPoolSize(ClusterRef cluster, String pool);

  /** Puts back the autoscaling {@link #holdPoolSize} returned, exactly; nothing if it was off. */
  @ActivityMethod
  void restoreAutoscaling(ClusterRef cluster, String pool, PoolAutoscaling original);

  /** Deletes the pool and waits. A pool that does not exist counts as deleted. */
  @ActivityMethod
  void deletePool(ClusterRef cluster, String pool);
}
