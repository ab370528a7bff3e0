package dev.evolve.workflows.model;

import com.fasterxml.jackson.annotation.JsonIgnoreProperties;
import java.util.List;
import java.util.Optional;

/**
 * A cluster as GKE reports it, with what the server config allows.
 *
 * @param status GKE's Cluster.Status name (RUNNING, RECONCILING, ...)
 * @param controlPlaneVersion current master version
 * @param pools all node pools
 * @param validNodeVersions node versions GKE offers in this location
 * @param operationsInFlight operations on this cluster that are not DONE
 */
@JsonIgnoreProperties(ignoreUnknown = true)
public record ClusterState(
    String name,
    String status,
    String controlPlaneVersion,
    List<PoolState> pools,
    List<String> validNodeVersions,
    List<OperationInfo> operationsInFlight) {

  public Optional<PoolState> pool(String poolName) {
    return pools.stream().filter(p -> p.name().equals(poolName)).findFirst();
  }
}
