package dev.evolve.workflows.model;

import com.fasterxml.jackson.annotation.JsonIgnoreProperties;
import java.util.List;

/**
 * A workload a move has touched (moved or begun to move onto the temporary pool), which a move
 * back must therefore put back.
 *
 * @param workload the workload
 * @param ordinals for pod-by-pod moves (StatefulSets, Kafka brokers): the pods touched, in the
 *     order they moved; empty for the others, which move as a whole
 */
@JsonIgnoreProperties(ignoreUnknown = true)
public record TouchedWorkload(WorkloadRef workload, List<Integer> ordinals) {}
