package dev.evolve.workflows.model;

import com.fasterxml.jackson.annotation.JsonIgnoreProperties;

/**
 * A node pool's cluster-autoscaler settings as GKE holds them, kept so they can be put back
 * exactly after the cycle. Limits are per zone ({@code minNodeCount}, {@code maxNodeCount}) or for
 * the whole pool ({@code totalMinNodeCount}, {@code totalMaxNodeCount}), whichever the pool uses.
 *
 * @param locationPolicy GKE's NodePoolAutoscaling.LocationPolicy name (BALANCED, ANY), or empty
 */
@JsonIgnoreProperties(ignoreUnknown = true)
public record PoolAutoscaling(
    boolean enabled,
    int minNodeCount,
    int maxNodeCount,
    int totalMinNodeCount,
    int totalMaxNodeCount,
    String locationPolicy,
    boolean autoprovisioned) {

  public static PoolAutoscaling disabled() {
    return new PoolAutoscaling(false, 0, 0, 0, 0, "", false);
  }
}
