package dev.evolve.workflows.model;

import com.fasterxml.jackson.annotation.JsonIgnoreProperties;

/** Names one workload: {@code namespace/Kind/name}, Kind as in the API (Deployment, StatefulSet, ...). */
@JsonIgnoreProperties(ignoreUnknown = true)
public record WorkloadRef(String namespace, String kind, String name) {

  public static WorkloadRef parse(String text) {
    String[] parts = text.split("/");
    if (parts.length != 3 || parts[0].isBlank() || parts[1].isBlank() || parts[2].isBlank()) {
      throw new IllegalArgumentException(
          "'" + text + "' is not a workload reference; write namespace/Kind/name, e.g. shop/Deployment/cart");
    }
    return new WorkloadRef(parts[0], parts[1], parts[2]);
  }

  @Override
  public String toString() {
    return namespace + "/" + kind + "/" + name;
  }
}
