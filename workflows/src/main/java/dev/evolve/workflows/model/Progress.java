package dev.evolve.workflows.model;

import com.fasterxml.jackson.annotation.JsonIgnoreProperties;
import java.util.Map;

/**
 * The answer to the {@code progress} query.
 *
 * @param status where the cycle stands
 * @param phase the phase running now
 * @param step what is being done right now, in words
 * @param phases done/total and times of each phase that has started
 * @param pauseReason why it waits right now: the hold's reason while held, else the user's pause
 *     once in effect (null when running)
 * @param lastError the last failure seen, even if it was recovered from
 * @param plan the plan made in PREPARE (null before)
 * @param brokersRotated Kafka brokers moved so far in the running phase
 * @param waitingUntilMillis end of the timer the cycle is waiting on (a settle wait), else null
 * @param userPause the pause a user asked for, while it stands (in effect or not yet), else null
 * @param hold the hold the cycle took itself, while it stands, else null
 * @param approval who approved the upgrade and when, once approved
 */
@JsonIgnoreProperties(ignoreUnknown = true)
public record Progress(
    CycleStatus status,
    Phase phase,
    String step,
    Map<Phase, PhaseProgress> phases,
    String pauseReason,
    String lastError,
    UpgradePlan plan,
    int brokersRotated,
    Long waitingUntilMillis,
    PauseInfo userPause,
    HoldInfo hold,
    ApprovalInfo approval) {}
