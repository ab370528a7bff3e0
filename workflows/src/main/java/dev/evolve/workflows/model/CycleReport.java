package dev.evolve.workflows.model;

import com.fasterxml.jackson.annotation.JsonIgnoreProperties;

/**
 * What a cycle started by another workflow (a fleet) tells it, each time one of these changes:
 * a workflow cannot query another one, so the cycle signals its parent instead.
 *
 * @param workflowId the cycle's workflow id
 * @param status where the cycle stands
 * @param phase the phase running now
 * @param waitingOn why it waits, while it does (its hold's or the user's pause's reason)
 * @param userPaused a user's (or the fleet's) pause stands on it
 * @param held the cycle holds itself for a budget, a gate or a human
 */
@JsonIgnoreProperties(ignoreUnknown = true)
public record CycleReport(String workflowId, CycleStatus status, Phase phase, String waitingOn, boolean userPaused,
    boolean held) {

  /** The signal a cycle sends its parent. */
  public static final String SIGNAL = "cycleReport";
}
