package dev.evolve.workflows.fleet;

import com.fasterxml.jackson.annotation.JsonIgnoreProperties;
import dev.evolve.workflows.model.UpgradeRequest;
import java.util.ArrayList;
import java.util.List;

/**
 * Upgrade many node pools, across clusters and projects, in waves: the first {@code canarySize}
 * pools alone (the canary wave), then a soak on a durable timer, then the rest {@code waveSize}
 * at a time. Each pool's cycle is a child workflow {@code NodePoolUpgrade}; a wave starts only when
 * the one before it has ended well, so one failed cycle stops every later one. Durations are seconds.
 *
 * @param name what the fleet is called (its default workflow id is {@code evolve-fleet/<name>})
 * @param targetVersion the version for every pool that does not name its own
 * @param canarySize how many of the first pools form the canary wave (default 1)
 * @param waveSize pools upgraded side by side in each later wave (default 2)
 * @param soakSeconds how long the canary pools run on their new version before the next wave
 *     starts (default 0)
 * @param taskQueue the default task queue of the pools' cycles (see {@link FleetPool#taskQueue})
 * @param defaults the fields every pool's request shares (temp pool settings, policy, timeouts,
 *     moveParallelism, requireApproval, dryRun...): an upgrade request without project, location,
 *     cluster, nodePool, targetVersion and kafka, which come from the pool
 * @param pools the pools, in the order they are upgraded
 */
@JsonIgnoreProperties(ignoreUnknown = true)
public record FleetRequest(
    String name,
    String targetVersion,
    Integer canarySize,
    Integer waveSize,
    Long soakSeconds,
    String taskQueue,
    UpgradeRequest defaults,
    List<FleetPool> pools) {

  public static final int DEFAULT_CANARY_SIZE = 1;
  public static final int DEFAULT_WAVE_SIZE = 2;

  public int canarySizeOrDefault() {
    return canarySize != null ? canarySize : DEFAULT_CANARY_SIZE;
  }

  public int waveSizeOrDefault() {
    return waveSize != null ? waveSize : DEFAULT_WAVE_SIZE;
  }

  public long soakSecondsOrDefault() {
    return soakSeconds != null ? soakSeconds : 0;
  }

  public List<FleetPool> poolsOrEmpty() {
    return pools != null ? pools : List.of();
  }

  /** The canary wave, then the rest in waves of {@link #waveSizeOrDefault}; every pool once, in order. */
  public List<List<FleetPool>> waves() {
    List<FleetPool> all = poolsOrEmpty();
    List<List<FleetPool>> waves = new ArrayList<>();
    int canary = Math.min(Math.max(1, canarySizeOrDefault()), all.size());
    if (canary > 0) {
      waves.add(List.copyOf(all.subList(0, canary)));
    }
    int size = Math.max(1, waveSizeOrDefault());
    for (int from = canary; from < all.size(); from += size) {
      waves.add(List.copyOf(all.subList(from, Math.min(all.size(), from + size))));
    }
    return waves;
  }

  /** The cycle request for one pool: the defaults with the pool's own names, version and Kafka. */
  public UpgradeRequest requestFor(FleetPool pool) {
    UpgradeRequest.Builder builder = defaults != null ? defaults.toBuilder() : UpgradeRequest.builder(null, null, null,
        null, null);
    return builder.project(pool.project()).location(pool.location()).cluster(pool.cluster())
        .nodePool(pool.nodePool())
        .targetVersion(pool.targetVersion() != null ? pool.targetVersion() : targetVersion)
        .kafka(pool.kafka())
        .build();
  }
}
