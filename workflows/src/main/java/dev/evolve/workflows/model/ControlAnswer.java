package dev.evolve.workflows.model;

import com.fasterxml.jackson.annotation.JsonIgnoreProperties;

/**
 * What a pauseCycle, resumeCycle or approveCycle update did, for the caller to print.
 *
 * @param message what was done and what still stands, in words
 * @param status the cycle's status right after the update
 * @param userPause the user's pause still standing, else null
 * @param hold the hold still standing, else null
 * @param approval the approval, once given
 */
@JsonIgnoreProperties(ignoreUnknown = true)
public record ControlAnswer(String message, CycleStatus status, PauseInfo userPause, HoldInfo hold,
    ApprovalInfo approval) {}
