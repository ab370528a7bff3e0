package dev.evolve.workflows.model;

import com.fasterxml.jackson.annotation.JsonIgnoreProperties;

/**
 * The answer of a Kafka health gate.
 *
 * @param passed the condition held within the budget
 * @param reason why not (or what was checked, when it passed), in words a human can act on
 * @param waitedSeconds how long the gate waited
 */
@JsonIgnoreProperties(ignoreUnknown = true)
public record GateResult(boolean passed, String reason, long waitedSeconds) {

  public static GateResult passed(String what, long waitedSeconds) {
    return new GateResult(true, what, waitedSeconds);
  }

  public static GateResult refused(String reason, long waitedSeconds) {
    return new GateResult(false, reason, waitedSeconds);
  }
}
