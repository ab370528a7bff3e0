package dev.evolve.sandbox;

import java.time.Instant;

/**
 * A stretch of time during which a workload had fewer Ready pods than its
 * PodDisruptionBudget requires.
 *
 * @param workload "namespace/Kind/name" of the workload(s) the budget covers
 * @param budget "namespace/name" of the PodDisruptionBudget
 * @param end null while it lasts
 * @param lowestReady the fewest Ready pods seen during it
 * @param required the budget's desired healthy count
 */
public record Disruption(String workload, String budget, Instant start, Instant end, int lowestReady, int required) {

  public boolean ongoing() {
    return end == null;
  }

  @Override
  public String toString() {
    return workload + " (" + budget + "): " + lowestReady + " ready of " + required + " required from " + start
        + (end == null ? " (ongoing)" : " to " + end);
  }
}
