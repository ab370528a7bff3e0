package dev.evolve.workflows.model;

import com.fasterxml.jackson.annotation.JsonIgnoreProperties;

/**
 * A hold the cycle took itself: a PodDisruptionBudget that kept refusing or a Kafka gate out of
 * budget ({@code PAUSED}), or a step that needs a human ({@code HELD_FOR_HUMAN}). A resume asks
 * the same question again.
 *
 * @param kind PAUSED or HELD_FOR_HUMAN
 * @param reason what to look at
 * @param sinceMillis workflow time the hold began
 */
@JsonIgnoreProperties(ignoreUnknown = true)
public record HoldInfo(CycleStatus kind, String reason, long sinceMillis) {}
