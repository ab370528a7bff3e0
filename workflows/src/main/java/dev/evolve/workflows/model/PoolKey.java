package dev.evolve.workflows.model;

/**
 * One node pool, wherever it lives: the same cluster and pool names exist in many projects and
 * locations. GCP names are lowercase letters, digits and hyphens, so joining them with '/' cannot
 * make two pools look alike (with '-' "a-b"+"c" and "a"+"b-c" would).
 */
public record PoolKey(String project, String location, String cluster, String pool) {

  public static PoolKey of(UpgradeRequest request) {
    return new PoolKey(request.project(), request.location(), request.cluster(), request.nodePool());
  }

  /** The workflow id the CLI and schedules give a cycle of this pool. */
  public String cycleId() {
    return "evolve/" + path();
  }

  /** The workflow id of the lock a running cycle holds on this pool. */
  public String lockId() {
    return "evolve-lock/" + path();
  }

  private String path() {
    return project + "/" + location + "/" + cluster + "/" + pool;
  }

  @Override
  public String toString() {
    return "pool " + pool + " of cluster " + cluster + " (project " + project + ", " + location + ")";
  }
}
