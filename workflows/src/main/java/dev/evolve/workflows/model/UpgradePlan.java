package dev.evolve.workflows.model;

import com.fasterxml.jackson.annotation.JsonIgnoreProperties;
import java.util.List;

/**
 * What PREPARE found and decided, before anything changes.
 *
 * @param pool the pool to upgrade
 * @param currentVersion its node version now
 * @param targetVersion the version it will run (aliases resolved)
 * @param controlPlaneVersion the cluster's control-plane version
 * @param originalNodes nodes in the original pool now
 * @param tempPool the temporary pool to create
 * @param sizing how the temporary pool's size was chosen, in words
 * @param moves workloads in the order they move (RESTORE uses the same order)
 * @param blockers reasons not to start; a plan with blockers changes nothing
 * @param notes things worth knowing that do not block
 */
@JsonIgnoreProperties(ignoreUnknown = true)
public record UpgradePlan(
    String pool,
    String currentVersion,
    String targetVersion,
    String controlPlaneVersion,
    int originalNodes,
    TempPoolSpec tempPool,
    String sizing,
    List<PlannedMove> moves,
    List<Blocker> blockers,
    List<String> notes) {

  public boolean isBlocked() {
    return blockers != null && !blockers.isEmpty();
  }

  public boolean alreadyAtTarget() {
    return currentVersion != null && currentVersion.equals(targetVersion);
  }

  public int podsToMove() {
    return moves == null ? 0 : moves.stream().mapToInt(PlannedMove::pods).sum();
  }
}
