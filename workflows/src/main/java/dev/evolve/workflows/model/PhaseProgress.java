package dev.evolve.workflows.model;

import com.fasterxml.jackson.annotation.JsonIgnoreProperties;

/**
 * Progress of one phase. Times are workflow time in epoch milliseconds; null until it happens.
 *
 * @param done items finished (workloads moved, operations completed, ...)
 * @param total items planned
 */
@JsonIgnoreProperties(ignoreUnknown = true)
public record PhaseProgress(int done, int total, Long startedAtMillis, Long finishedAtMillis) {

  public static PhaseProgress notStarted() {
    return new PhaseProgress(0, 0, null, null);
  }

  public Long durationMillis() {
    return startedAtMillis == null || finishedAtMillis == null ? null : finishedAtMillis - startedAtMillis;
  }
}
