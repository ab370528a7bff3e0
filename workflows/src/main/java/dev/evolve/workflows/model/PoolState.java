package dev.evolve.workflows.model;

import com.fasterxml.jackson.annotation.JsonIgnoreProperties;
import java.util.List;

/**
 * A node pool as GKE reports it.
 *
 * @param status GKE's NodePool.Status name: PROVISIONING, RUNNING, RUNNING_WITH_ERROR, RECONCILING,
 *     STOPPING, ERROR
 * @param nodeCountPerZone the pool's node count in each of its locations
 * @param locations zones
 * @param autoscaling whether the cluster autoscaler manages the pool
 */
@JsonIgnoreProperties(ignoreUnknown = true)
public record PoolState(
    String name,
    String status,
    String version,
    String machineType,
    int nodeCountPerZone,
    List<String> locations,
    boolean autoscaling) {

  public boolean isRunning() {
    return "RUNNING".equals(status);
  }
}
