package dev.evolve.workflows.fleet;

/** Where a fleet stands, as its {@code progress} query and result report it. */
public enum FleetStatus {
  /** A wave's cycles run. */
  RUNNING,
  /** The canary wave went well; its pools run on the new version before the next wave starts. */
  SOAKING,
  /** Paused by its {@code pause} signal: no cycle starts, running cycles were paused too. */
  PAUSED,
  /** A running cycle holds itself (a budget, a gate, a human's approval or decision): the next wave waits. */
  WAITING_ON_CYCLE,
  SUCCEEDED,
  /** A cycle failed (or was refused): the cycles of its wave ended, no later one was started. */
  STOPPED,
  CANCELLED
}
