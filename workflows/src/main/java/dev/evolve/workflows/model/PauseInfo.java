package dev.evolve.workflows.model;

import com.fasterxml.jackson.annotation.JsonIgnoreProperties;

/**
 * A pause a user asked for (signal {@code pause} or update {@code pauseCycle}). It stands until a
 * user releases it; holds the cycle takes itself never overwrite or release it.
 *
 * @param reason the user's words
 * @param requestedBy who asked, when the update named them (null for the plain signal)
 * @param requestedAtMillis workflow time of the request
 * @param inEffect true while the cycle waits on it at a safe point; false while it still runs
 *     to the next safe point (or waits on a hold first)
 */
@JsonIgnoreProperties(ignoreUnknown = true)
public record PauseInfo(String reason, String requestedBy, long requestedAtMillis, boolean inEffect) {

  public PauseInfo inEffect(boolean value) {
    return new PauseInfo(reason, requestedBy, requestedAtMillis, value);
  }
}
