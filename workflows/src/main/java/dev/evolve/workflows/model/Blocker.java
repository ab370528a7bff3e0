package dev.evolve.workflows.model;

import com.fasterxml.jackson.annotation.JsonIgnoreProperties;

/**
 * A reason the cycle must not start. Found during PREPARE, before anything changes.
 *
 * @param code short stable identifier, e.g. {@code PDB_AT_ZERO}
 * @param subject what it is about, e.g. {@code shop/Deployment/cart} or {@code targetVersion}
 * @param message what is wrong
 * @param fix what a human can do about it
 */
@JsonIgnoreProperties(ignoreUnknown = true)
public record Blocker(String code, String subject, String message, String fix) {

  @Override
  public String toString() {
    return code + " " + subject + ": " + message + " Fix: " + fix;
  }
}
