package dev.evolve.workflows.fleet;

import com.fasterxml.jackson.annotation.JsonIgnoreProperties;
import java.util.List;

/**
 * The answer to a fleet's {@code progress} query.
 *
 * @param status where the fleet stands
 * @param wave the wave running or last run (1 is the canary; 0 before the first)
 * @param waves how many waves there are
 * @param soakUntilMillis while soaking, when the soak ends
 * @param pauseReason the fleet's pause, while it stands
 * @param stoppedBecause why no further cycle starts, once one failed
 * @param pools every pool, in order, with its cycle's phase
 */
@JsonIgnoreProperties(ignoreUnknown = true)
public record FleetProgress(
    FleetStatus status,
    int wave,
    int waves,
    Long soakUntilMillis,
    String pauseReason,
    String stoppedBecause,
    List<FleetPoolProgress> pools) {}
