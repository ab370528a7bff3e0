package dev.evolve.workflows.model;

/**
 * Where the cycle's temporary pool stands, as one value: it replaces a "was createTempPool called"
 * flag next to an outcome string, which could disagree. The name is what the result reports.
 */
public enum TempPoolState {
  NOT_CREATED,
  /** createTempPool was called: from here the pool may exist and must be cleaned up, even if the call failed. */
  REQUESTED,
  CREATED,
  KEPT,
  SCALED_TO_ZERO,
  DELETED;

  /** Whether the pool may have been made at some point, so that compensation must remove it. */
  public boolean wasRequested() {
    return this != NOT_CREATED;
  }
}
