package dev.evolve.workflows.model;

import com.fasterxml.jackson.annotation.JsonIgnoreProperties;
import java.util.List;

/**
 * What a batch of moves leaves behind: its result when it succeeds, the details of its failure
 * when it fails or is cancelled half-way, so that the cycle always knows what to move back.
 *
 * @param onTemp the batch's workloads on the temporary pool now (touched and not moved back), in
 *     the order they moved
 * @param done moves finished
 * @param podsMoved pods the moves moved
 * @param brokersRotated Kafka brokers moved
 * @param notes workloads deleted by their owners during the batch, and what that meant
 */
@JsonIgnoreProperties(ignoreUnknown = true)
public record MoveBatchResult(List<TouchedWorkload> onTemp, int done, int podsMoved, int brokersRotated,
    List<String> notes) {}
