package dev.evolve.workflows.model;

import com.fasterxml.jackson.annotation.JsonIgnoreProperties;
import java.util.List;

/**
 * One workload's move in the plan.
 *
 * @param workload what moves
 * @param method how
 * @param pods how many of its pods run on the pool now
 * @param ordinals for pod-by-pod moves: the pod ordinals, in the order they move
 */
@JsonIgnoreProperties(ignoreUnknown = true)
public record PlannedMove(WorkloadRef workload, MoveMethod method, int pods, List<Integer> ordinals) {}
