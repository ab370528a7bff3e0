package dev.evolve.workflows.model;

import com.fasterxml.jackson.annotation.JsonIgnoreProperties;

/**
 * Argument of the {@code resumeCycle} update.
 *
 * @param target what to release: {@code HOLD} (a hold the cycle took itself), {@code PAUSE} (a
 *     user's pause), or null for what the cycle waits on now (the hold if there is one)
 * @param by who resumes
 */
@JsonIgnoreProperties(ignoreUnknown = true)
public record ResumeRequest(Target target, String by) {

  public enum Target { HOLD, PAUSE }
}
