package dev.evolve.workflows.model;

import com.fasterxml.jackson.annotation.JsonIgnoreProperties;

/**
 * A batch's report to its cycle (signal {@code moveBatchReport}), so that the cycle's progress
 * query and its pause, resume and holds speak for the moves running in the child workflow. Sent
 * when the batch's pause or hold state changes, when a broker has moved, and every tenth of the
 * batch's moves, never on a clock: the cycle's history does not grow with how long moves take.
 *
 * @param number the batch, as in {@link MoveBatch#number()}
 * @param done moves finished in the batch
 * @param brokersRotated Kafka brokers moved in the batch
 * @param status the batch's status (RUNNING or COMPENSATING, PAUSED, HELD_FOR_HUMAN)
 * @param pauseReason why it waits (null when it does not)
 * @param step what the batch does now
 * @param waitingUntilMillis end of the timer it waits on, else null
 * @param lastError the last failure it saw, even if recovered from
 * @param userPause the user's pause as the batch holds it (in effect once every move stands still)
 * @param hold the hold the batch took itself, else null
 * @param holdReleasesApplied the {@link MoveBatchControl#holdReleases()} the batch has applied
 */
@JsonIgnoreProperties(ignoreUnknown = true)
public record MoveBatchReport(
    int number,
    int done,
    int brokersRotated,
    CycleStatus status,
    String pauseReason,
    String step,
    Long waitingUntilMillis,
    String lastError,
    PauseInfo userPause,
    HoldInfo hold,
    int holdReleasesApplied) {}
