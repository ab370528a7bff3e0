package dev.evolve.workflows.model;

import com.fasterxml.jackson.annotation.JsonIgnoreProperties;

/** Names one GKE cluster. */
@JsonIgnoreProperties(ignoreUnknown = true)
public record ClusterRef(String project, String location, String cluster) {

  /** The resource name the GKE v1 API uses: {@code projects/P/locations/L/clusters/C}. */
  public String resourceName() {
    return "projects/" + project + "/locations/" + location + "/clusters/" + cluster;
  }

  public String poolResourceName(String pool) {
    return resourceName() + "/nodePools/" + pool;
  }

  @Override
  public String toString() {
    return resourceName();
  }
}
