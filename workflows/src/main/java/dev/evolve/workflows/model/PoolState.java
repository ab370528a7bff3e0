package dev.evolve.workflows.model;

import com.fasterxml.jackson.annotation.JsonIgnoreProperties;
import java.util.List;

/**
 * A node pool as GKE reports it.
 *
 * @param status GKE's NodePool.Status name: PROVISIONING, RUNNING, RUNNING_WITH_ERROR, RECONCILING,
 *     STOPPING, ERROR
 * @param nodeCountPerZone the pool's node count in each of its locations
 * @param locations zones
 * @param autoscaling whether the cluster autoscaler manages the pool
 * @param provisionedByTerraform whether the pool carries the resource label Google's Terraform
 *     provider puts on what it creates ({@value #TERRAFORM_LABEL}=true): its version then lives in a
 *     {@code google_container_node_pool} that the cycle makes drift
 */
@JsonIgnoreProperties(ignoreUnknown = true)
public record PoolState(
    String name,
    String status,
    String version,
    String machineType,
    int nodeCountPerZone,
    List<String> locations,
    boolean autoscaling,
    boolean provisionedByTerraform) {

  /** The resource label Google's Terraform provider sets on what it creates. */
  public static final String TERRAFORM_LABEL = "goog-terraform-provisioned";

  /** A pool without Terraform's label. */
  public PoolState(String name, String status, String version, String machineType, int nodeCountPerZone,
      List<String> locations, boolean autoscaling) {
    this(name, status, version, machineType, nodeCountPerZone, locations, autoscaling, false);
  }

  public boolean isRunning() {
    return "RUNNING".equals(status);
  }
}
