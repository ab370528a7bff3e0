package dev.evolve.workflows.model;

/** The steps of one cycle, in the order they run. COMPENSATE only runs after a failure or cancel. */
public enum Phase {
  PREPARE,
  CREATE_TEMP_POOL,
  MIGRATE,
  UPGRADE_ORIGINAL,
  RESTORE,
  DECOMMISSION,
  COMPENSATE,
  DONE
}
