package dev.evolve.workflows.model;

import com.fasterxml.jackson.annotation.JsonIgnoreProperties;

/**
 * What one move did.
 *
 * @param podsMoved pods that now run on the target side
 * @param detail a line for the progress log, e.g. "rollout done: 3/3 ready on pool-temp"
 */
@JsonIgnoreProperties(ignoreUnknown = true)
public record MoveResult(WorkloadRef workload, int podsMoved, String detail) {}
