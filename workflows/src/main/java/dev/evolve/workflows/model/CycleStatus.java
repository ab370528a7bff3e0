package dev.evolve.workflows.model;

/** Where a cycle stands, as the progress query and the result report it. */
public enum CycleStatus {
  RUNNING,
  /** Held at a safe point by the pause signal, or by a health gate that ran out of budget. */
  PAUSED,
  WAITING_FOR_APPROVAL,
  COMPENSATING,
  /** Compensation found the cluster in a state it must not touch further; a human decides. */
  HELD_FOR_HUMAN,
  /** Dry run finished: the plan is the result. */
  PLANNED,
  /** The pool already runs the target version; nothing was changed. */
  NOTHING_TO_DO,
  /** A cycle with a start window began outside it; nothing was changed. */
  SKIPPED_OUTSIDE_WINDOW,
  SUCCEEDED,
  /**
   * The original pool was upgraded, but a step after the upgrade (moving back, removing the
   * temporary pool) failed on the way and was retried or resumed by a human: the result's notes
   * say what. Nothing was rolled back, since there was nothing left to roll back.
   */
  UPGRADED_WITH_ISSUES,
  BLOCKED,
  /** A phase failed; compensation left the cluster as it was before the cycle. */
  ROLLED_BACK,
  CANCELLED,
  FAILED
}
