package dev.evolve.workflows.fleet;

import dev.evolve.workflows.model.CycleReport;
import dev.evolve.workflows.model.CycleStatus;
import dev.evolve.workflows.model.Phase;
import dev.evolve.workflows.model.UpgradeRequest;
import dev.evolve.workflows.model.UpgradeResult;
import dev.evolve.workflows.activities.FailureTypes;
import io.temporal.failure.ApplicationFailure;
import io.temporal.failure.CanceledFailure;
import io.temporal.failure.ChildWorkflowFailure;
import java.util.EnumSet;
import java.util.Set;

/** One pool's cycle as the fleet knows it: what it asks for, and what it last heard or saw. */
final class PoolCycle {

  /** A cycle that ended so lets the next wave go on; any other end, or a failure, stops the fleet. */
  static final Set<CycleStatus> ENDED_WELL = EnumSet.of(CycleStatus.SUCCEEDED, CycleStatus.UPGRADED_WITH_ISSUES,
      CycleStatus.NOTHING_TO_DO, CycleStatus.PLANNED, CycleStatus.SKIPPED_OUTSIDE_WINDOW);

  final FleetPool pool;
  final UpgradeRequest request;
  final int wave;
  final String workflowId;
  final String taskQueue;

  private String status = FleetPoolProgress.NOT_STARTED;
  private Phase phase;
  private String waitingOn;
  private boolean userPaused;
  private boolean held;
  private String outcome;
  private boolean failed;
  private Long startedAtMillis;
  private Long endedAtMillis;
  /** The fleet's pause was sent to this cycle and not yet taken back. */
  boolean pausedByFleet;

  PoolCycle(FleetPool pool, UpgradeRequest request, int wave, String workflowId, String taskQueue) {
    this.pool = pool;
    this.request = request;
    this.wave = wave;
    this.workflowId = workflowId;
    this.taskQueue = taskQueue;
  }

  void started(long nowMillis) {
    status = CycleStatus.RUNNING.name();
    phase = Phase.PREPARE;
    startedAtMillis = nowMillis;
  }

  /** A report can arrive after the cycle's end was seen (signals and completion race): the end wins. */
  void report(CycleReport report) {
    if (hasEnded()) {
      return;
    }
    status = report.status().name();
    phase = report.phase();
    waitingOn = report.waitingOn();
    userPaused = report.userPaused();
    held = report.held();
  }

  void ended(UpgradeResult result, long nowMillis) {
    endedAtMillis = nowMillis;
    clearWaits();
    status = result.status().name();
    phase = Phase.DONE;
    failed = !ENDED_WELL.contains(result.status());
    outcome = result.status() + ", pool at " + result.poolVersion()
        + (result.tempPool() == null ? "" : ", temporary pool " + result.tempPool());
  }

  /**
   * The cycle ended with an error: it failed, was refused or cancelled; its own rollback has run.
   * How it ended is read from the error: its last report may not have reached the fleet, since a
   * cycle's report and its end race.
   */
  void failed(Throwable failure, long nowMillis) {
    endedAtMillis = nowMillis;
    clearWaits();
    failed = true;
    status = endOf(failure);
    outcome = describe(failure);
  }

  private static String endOf(Throwable failure) {
    Throwable cause = causeOf(failure);
    if (cause instanceof CanceledFailure) {
      return CycleStatus.CANCELLED.name();
    }
    if (cause instanceof ApplicationFailure app) {
      if (FailureTypes.CYCLE_ROLLED_BACK.equals(app.getType())) {
        return CycleStatus.ROLLED_BACK.name();
      }
      if (FailureTypes.BLOCKED.equals(app.getType())) {
        return CycleStatus.BLOCKED.name();
      }
    }
    return FleetPoolProgress.FAILED;
  }

  private void clearWaits() {
    waitingOn = null;
    userPaused = false;
    held = false;
    pausedByFleet = false;
  }

  /** What the cycle itself failed with: a child's failure wraps it. */
  private static Throwable causeOf(Throwable failure) {
    return failure instanceof ChildWorkflowFailure child && child.getCause() != null ? child.getCause() : failure;
  }

  private static String describe(Throwable failure) {
    Throwable cause = causeOf(failure);
    if (cause instanceof ApplicationFailure app) {
      return app.getOriginalMessage() + (app.getType() == null ? "" : " [" + app.getType() + "]");
    }
    return cause.getMessage();
  }

  boolean isRunning() {
    return startedAtMillis != null && endedAtMillis == null;
  }

  boolean hasEnded() {
    return endedAtMillis != null;
  }

  boolean hasFailed() {
    return failed;
  }

  boolean isHeld() {
    return isRunning() && held;
  }

  boolean isUserPaused() {
    return isRunning() && userPaused;
  }

  String waitingOn() {
    return waitingOn;
  }

  String outcome() {
    return outcome;
  }

  FleetPoolProgress progress() {
    return new FleetPoolProgress(pool.path(), wave, workflowId, taskQueue, status, phase, waitingOn, outcome,
        startedAtMillis, endedAtMillis);
  }
}
