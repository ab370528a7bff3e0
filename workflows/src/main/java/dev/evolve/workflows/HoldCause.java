package dev.evolve.workflows;

import java.util.Locale;

/**
 * Why the cycle held itself, as a metric label: the hold's reason names workloads and budgets,
 * which would make a series per name, so the metric carries this instead.
 */
enum HoldCause {
  /** A PodDisruptionBudget kept refusing an eviction (EVICTION_BLOCKED). */
  BUDGET_REFUSED,
  /** The temporary pool had no room for a moved pod (TEMP_POOL_TOO_SMALL). */
  TEMP_POOL_TOO_SMALL,
  /** A Kafka gate (safe to move, caught up) ran out of its budget. */
  KAFKA_GATE,
  /** The original pool was missing, not RUNNING or had nodes not Ready before moving back. */
  ORIGINAL_POOL_UNHEALTHY,
  /** RESTORE or DECOMMISSION failed twice after the upgrade (finishing forward). */
  STEP_FAILED_AFTER_UPGRADE,
  /** A step of the rollback kept failing. */
  ROLLBACK_STEP_FAILED;

  String label() {
    return name().toLowerCase(Locale.ROOT);
  }
}
