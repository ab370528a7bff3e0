package dev.evolve.workflows.model;

import com.fasterxml.jackson.annotation.JsonIgnoreProperties;

/** A PodDisruptionBudget and what its status allows right now. */
@JsonIgnoreProperties(ignoreUnknown = true)
public record PdbInfo(
    String namespace, String name, int disruptionsAllowed, int currentHealthy, int desiredHealthy) {

  @Override
  public String toString() {
    return namespace + "/" + name;
  }
}
