package dev.evolve.workflows.fleet;

import com.fasterxml.jackson.annotation.JsonIgnoreProperties;
import java.util.List;

/**
 * How a fleet ended. A fleet that stopped on a failed cycle ends its workflow with an error of
 * type {@value FleetUpgradeWorkflow#STOPPED} (so that Schedules and alerts see it) whose details
 * are this result.
 *
 * @param status SUCCEEDED or STOPPED
 * @param stoppedBecause which cycle failed and how (null when none did)
 * @param pools every pool and how its cycle ended, or NOT_STARTED
 */
@JsonIgnoreProperties(ignoreUnknown = true)
public record FleetResult(FleetStatus status, String stoppedBecause, List<FleetPoolProgress> pools) {}
