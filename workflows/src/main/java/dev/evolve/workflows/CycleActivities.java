package dev.evolve.workflows;

import dev.evolve.workflows.activities.FailureTypes;
import dev.evolve.workflows.activities.GkeActivities;
import dev.evolve.workflows.activities.KafkaActivities;
import dev.evolve.workflows.activities.KubernetesActivities;
import dev.evolve.workflows.model.UpgradeRequest;
import io.temporal.activity.ActivityCancellationType;
import io.temporal.activity.ActivityOptions;
import io.temporal.common.RetryOptions;
import io.temporal.workflow.Workflow;
import java.time.Duration;

/**
 * The activity stubs of one cycle, each with the timeout and retry policy that suits it:
 * quick reads fail fast, GKE operations wait as long as GKE takes (with heartbeats), moves get
 * the request's move budget. Compensation uses the same stubs with more patient retries, because
 * giving up half-way through a rollback is the one thing worse than a slow one.
 */
record CycleActivities(
    GkeActivities gke,
    GkeActivities gkeOperations,
    KubernetesActivities kube,
    KubernetesActivities kubeMoves,
    KafkaActivities kafka,
    // Kafka's quick reads (the brokers' move order): no heartbeat, unlike the gates
    KafkaActivities kafkaReads,
    // how many times a move is tried: a batch of moves in a child workflow builds the same stubs from it
    int attempts) {

  /** Failures a retry cannot fix: they go straight to the workflow. */
  private static final String[] PERMANENT = {
    FailureTypes.INVALID_ARGUMENT, FailureTypes.NOT_FOUND, FailureTypes.VERSION_SKEW,
    FailureTypes.POOL_SPEC_MISMATCH, FailureTypes.QUOTA_EXCEEDED, FailureTypes.OPERATION_FAILED,
    FailureTypes.UNSCHEDULABLE, FailureTypes.EVICTION_BLOCKED, FailureTypes.UNSAFE,
    FailureTypes.INVALID_REQUEST, FailureTypes.PERMISSION_DENIED, FailureTypes.INVALID_OBJECT,
    FailureTypes.TEMP_POOL_TOO_SMALL
  };

  /** How long a quick read (an inventory, a describe, a cordon) may take before it is tried again. */
  static final Duration READ_TIMEOUT = Duration.ofSeconds(30);

  static CycleActivities forCycle(UpgradeRequest request) {
    return create(request, 5);
  }

  static CycleActivities forCompensation(UpgradeRequest request) {
    return create(request, 20);
  }

  /** The stubs of a cycle or of its compensation, by {@link #attempts()}: for a batch's child workflow. */
  static CycleActivities create(UpgradeRequest request, int attempts) {
    // A read is one or a few API calls (fabric8 gives each 10 s) and sends no heartbeat, so its
    // start-to-close is also how long a worker killed during it holds the cycle up: keep it short.
    ActivityOptions reads = ActivityOptions.newBuilder()
        .setStartToCloseTimeout(READ_TIMEOUT)
        .setRetryOptions(retry(Duration.ofSeconds(2), Duration.ofMinutes(1), attempts * 2))
        .build();
    ActivityOptions operations = ActivityOptions.newBuilder()
        .setStartToCloseTimeout(Duration.ofSeconds(request.operationTimeoutSecondsOrDefault()))
        .setHeartbeatTimeout(request.heartbeatTimeoutOr(Duration.ofMinutes(2)))
        // GKE answers "another operation is running" for as long as that one runs: keep trying.
        .setRetryOptions(retry(Duration.ofSeconds(10), Duration.ofMinutes(5), attempts * 4))
        .setCancellationType(ActivityCancellationType.WAIT_CANCELLATION_COMPLETED)
        .build();
    ActivityOptions moves = ActivityOptions.newBuilder()
        .setStartToCloseTimeout(Duration.ofSeconds(request.moveTimeoutSecondsOrDefault() + 120))
        .setHeartbeatTimeout(request.heartbeatTimeoutOr(Duration.ofMinutes(1)))
        .setRetryOptions(retry(Duration.ofSeconds(5), Duration.ofMinutes(2), attempts))
        // A cancelled move must have stopped before compensation touches the same workload.
        .setCancellationType(ActivityCancellationType.WAIT_CANCELLATION_COMPLETED)
        .build();
    long gateBudget = request.kafka() == null ? 600 : request.kafka().healthGateSecondsOrDefault();
    ActivityOptions gates = ActivityOptions.newBuilder()
        .setStartToCloseTimeout(Duration.ofSeconds(gateBudget + 120))
        .setHeartbeatTimeout(request.heartbeatTimeoutOr(Duration.ofMinutes(1)))
        .setRetryOptions(retry(Duration.ofSeconds(5), Duration.ofMinutes(1), attempts))
        .build();
    return new CycleActivities(
        Workflow.newActivityStub(GkeActivities.class, reads),
        Workflow.newActivityStub(GkeActivities.class, operations),
        Workflow.newActivityStub(KubernetesActivities.class, reads),
        Workflow.newActivityStub(KubernetesActivities.class, moves),
        Workflow.newActivityStub(KafkaActivities.class, gates),
        Workflow.newActivityStub(KafkaActivities.class, reads),
        attempts);
  }

  private static RetryOptions retry(Duration initial, Duration max, int attempts) {
    return RetryOptions.newBuilder()
        .setInitialInterval(initial)
        .setBackoffCoefficient(2)
        .setMaximumInterval(max)
        .setMaximumAttempts(attempts)
        .setDoNotRetry(PERMANENT)
        .build();
  }
}
