package dev.evolve.workflows.model;

import com.fasterxml.jackson.annotation.JsonIgnoreProperties;
import java.util.List;

/**
 * The temporary pool to create (or adopt). Node configuration not named here is copied from
 * {@code copyConfigFrom}.
 *
 * @param name pool name
 * @param copyConfigFrom the original pool, whose node config, labels and taints are copied
 * @param machineType machine type
 * @param nodeCountPerZone nodes in each zone (GKE counts multi-zone pools per zone)
 * @param locations zones the pool covers
 * @param version GKE node version of the new nodes
 */
@JsonIgnoreProperties(ignoreUnknown = true)
public record TempPoolSpec(
    String name,
    String copyConfigFrom,
    String machineType,
    int nodeCountPerZone,
    List<String> locations,
    String version) {

  public int totalNodes() {
    return nodeCountPerZone * Math.max(1, locations == null ? 1 : locations.size());
  }
}
