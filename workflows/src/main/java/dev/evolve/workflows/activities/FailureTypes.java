package dev.evolve.workflows.activities;

/**
 * Types of {@link io.temporal.failure.ApplicationFailure} that activities raise and the workflow
 * tells apart. The non-retryable ones describe something a retry cannot fix.
 */
public final class FailureTypes {

  /** The request is wrong; the message names the field. Non-retryable. */
  public static final String INVALID_REQUEST = "InvalidRequest";
  /** PREPARE found blockers; nothing was changed. Non-retryable. */
  public static final String BLOCKED = "Blocked";
  /** GKE rejected the call's arguments (INVALID_ARGUMENT). Non-retryable. */
  public static final String INVALID_ARGUMENT = "InvalidArgument";
  /** A cluster, pool or workload is missing. Non-retryable. */
  public static final String NOT_FOUND = "NotFound";
  /** A node version above the control plane or too far below it. Non-retryable. */
  public static final String VERSION_SKEW = "VersionSkew";
  /** A pool with the temp pool's name exists with another spec. Non-retryable. */
  public static final String POOL_SPEC_MISMATCH = "PoolSpecMismatch";
  /** Quota (RESOURCE_EXHAUSTED). Non-retryable: someone has to raise a quota or free capacity. */
  public static final String QUOTA_EXCEEDED = "QuotaExceeded";
  /**
   * The worker's identity may not do this: a GCP IAM permission (gRPC PERMISSION_DENIED) or a
   * Kubernetes RBAC verb (HTTP 403). The message names the permission or verb. Non-retryable.
   */
  public static final String PERMISSION_DENIED = "PermissionDenied";
  /** GKE's per-minute API rate limit (RESOURCE_EXHAUSTED that is not quota): retried with backoff. */
  public static final String RATE_LIMITED = "RateLimited";
  /** Kubernetes refused an object as invalid (HTTP 422). Non-retryable. */
  public static final String INVALID_OBJECT = "InvalidObject";
  /**
   * Moved pods do not fit on the temporary pool (the scheduler reports insufficient CPU, memory
   * or pod slots). Non-retryable; the message says how to resize the pool. The workflow pauses.
   */
  public static final String TEMP_POOL_TOO_SMALL = "TempPoolTooSmall";
  /** A GKE operation finished with an error. */
  public static final String OPERATION_FAILED = "OperationFailed";
  /** A pod that should have moved cannot be scheduled on the target pool. Non-retryable. */
  public static final String UNSCHEDULABLE = "Unschedulable";
  /** Eviction kept being refused by a PodDisruptionBudget; the message names it. Non-retryable. */
  public static final String EVICTION_BLOCKED = "EvictionBlocked";
  /** A rollout or pod move did not finish in time. */
  public static final String MOVE_TIMED_OUT = "MoveTimedOut";
  /** Something refuses to act because it would be unsafe (e.g. deleting a pool that runs pods). */
  public static final String UNSAFE = "Unsafe";

  private FailureTypes() {}

  /**
   * A batch of moves in a child workflow failed or was cancelled; its details are what it left on
   * the temporary pool (MoveBatchResult) and its cause is the failure of the move that stopped it.
   */
  public static final String MOVE_BATCH_FAILED = "MoveBatchFailed";
  /**
   * A batch of moves in a child workflow ended without saying what it moved (terminated or timed
   * out by hand): the cycle takes every workload of the batch as touched.
   */
  public static final String MOVE_BATCH_LOST = "MoveBatchLost";

  /** The cycle failed in a phase and was rolled back; its cause is the failure of that phase. */
  public static final String CYCLE_ROLLED_BACK = "CycleRolledBack";

  /** The pool is in another running cycle: this one refused before reading or changing anything. */
  public static final String POOL_IN_ANOTHER_CYCLE = "PoolInAnotherCycle";
}
