package dev.evolve.workflows.fleet;

import com.fasterxml.jackson.annotation.JsonIgnoreProperties;
import dev.evolve.workflows.model.Phase;

/**
 * One pool of a fleet, as the fleet last heard of its cycle.
 *
 * @param pool {@code project/location/cluster/pool}
 * @param wave 1 for the canary wave, 2 for the next, ...
 * @param workflowId the pool's cycle ({@code ./evolve status <id>} shows it in full)
 * @param taskQueue where its cycle runs
 * @param status {@code NOT_STARTED}, a cycle status while it runs or how it ended, or {@code FAILED}
 * @param phase the cycle's phase (null before it starts)
 * @param waitingOn why the cycle waits, while it does
 * @param outcome how it ended, in words (null while it runs)
 * @param startedAtMillis workflow time the fleet started the cycle
 * @param endedAtMillis workflow time the cycle ended
 */
@JsonIgnoreProperties(ignoreUnknown = true)
public record FleetPoolProgress(
    String pool,
    int wave,
    String workflowId,
    String taskQueue,
    String status,
    Phase phase,
    String waitingOn,
    String outcome,
    Long startedAtMillis,
    Long endedAtMillis) {

  public static final String NOT_STARTED = "NOT_STARTED";
  public static final String FAILED = "FAILED";
}
