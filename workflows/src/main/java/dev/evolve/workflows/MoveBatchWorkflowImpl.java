package dev.evolve.workflows;

import dev.evolve.workflows.activities.FailureTypes;
import dev.evolve.workflows.model.MoveBatch;
import dev.evolve.workflows.model.MoveBatchControl;
import dev.evolve.workflows.model.MoveBatchReport;
import dev.evolve.workflows.model.MoveBatchResult;
import dev.evolve.workflows.model.Progress;
import io.temporal.api.common.v1.WorkflowExecution;
import io.temporal.failure.ApplicationFailure;
import io.temporal.failure.TemporalFailure;
import io.temporal.workflow.Async;
import io.temporal.workflow.CancellationScope;
import io.temporal.workflow.Workflow;
import java.util.Objects;
import java.util.Optional;

/**
 * One batch of a large cycle's moves ({@link MoveBatchWorkflow}). The moves are the cycle's own
 * code, {@link WorkloadMover}, with their own pause and hold control ({@link CycleControl}), so a
 * batch moves exactly as the cycle would: side by side within {@link MoveRules}, a pause starts no
 * new move and is in effect once every move stands still, a budget that keeps refusing holds.
 *
 * <p>Whatever ends the batch, it says what it left on the temporary pool: in its result, or in
 * the details of the failure it ends with (a move's failure, or the cycle's cancellation, which
 * reaches it as a stop and cancels its moves as the cycle's cancellation would cancel its own), so
 * that the cycle's rollback moves back exactly what the batch touched. Only a batch cancelled or
 * terminated by hand ends without a word (Temporal ends a cancelled workflow as cancelled, its
 * result unsaid); the cycle then takes all its workloads as touched.
 */
public class MoveBatchWorkflowImpl implements MoveBatchWorkflow {

  private final CycleProgress progress = new CycleProgress();
  private final CycleControl control = new CycleControl(progress);
  /** The cycle has sent its control state already: newer than what the batch was started with. */
  private boolean controlled;
  private boolean ended;
  private boolean sending;
  /** The scope the moves run in: the cycle's stop cancels it. */
  private CancellationScope moving;
  private boolean stopped;

  @Override
  public MoveBatchResult run(MoveBatch batch) {
    if (!controlled) {
      control.follow(batch.control());
    }
    progress.enter(batch.phase(), batch.moves().size());
    control.working(batch.workingStatus());
    WorkloadMover mover = WorkloadMover.forBatch(batch, control, progress);
    CycleActivities activities = CycleActivities.create(batch.request(), batch.attempts());
    Optional<WorkflowExecution> cycle = cycle();
    cycle.ifPresent(c -> Async.procedure(() -> reportUntilEnded(c, batch)));
    moving = Workflow.newCancellationScope(() -> {
      if (batch.toTemp()) {
        mover.moveAllToTemp(batch.moves(), activities);
      } else {
        mover.moveAllBack(activities);
      }
    });
    if (stopped) {
      moving.cancel("the cycle was cancelled");
    }
    try {
      moving.run();
    } catch (TemporalFailure failure) {
      MoveBatchResult left = mover.batchResult();
      stopReporting();
      throw ApplicationFailure.newNonRetryableFailureWithCause(
          "batch " + batch.number() + ": " + NodePoolUpgradeWorkflowImpl.describe(failure),
          FailureTypes.MOVE_BATCH_FAILED, failure, left);
    }
    MoveBatchResult result = mover.batchResult();
    stopReporting();
    return result;
  }

  @Override
  public void control(MoveBatchControl forwarded) {
    controlled = true;
    control.follow(forwarded);
    if (forwarded.stop() && !stopped) {
      stopped = true;
      if (moving != null) {
        moving.cancel("the cycle was cancelled");
      }
    }
  }

  @Override
  public Progress progress() {
    return progress.snapshot();
  }

  /** The cycle that started this batch; none when it was started by hand. */
  private static Optional<WorkflowExecution> cycle() {
    var info = Workflow.getInfo();
    return info.getParentWorkflowId().map(id -> WorkflowExecution.newBuilder().setWorkflowId(id)
        .setRunId(info.getParentRunId().orElse("")).build());
  }

  /**
   * Reports to the cycle when the pause or hold state changes, a broker has moved, an error was
   * seen, or another tenth of the moves is done: never on a clock, so that neither history grows
   * with how long the moves take.
   */
  private void reportUntilEnded(WorkflowExecution cycle, MoveBatch batch) {
    NodePoolUpgradeWorkflow parent = Workflow.newExternalWorkflowStub(NodePoolUpgradeWorkflow.class, cycle);
    int every = Math.max(1, batch.moves().size() / 10);
    MoveBatchReport sent = report(batch);
    try {
      while (true) {
        MoveBatchReport last = sent;
        Workflow.await(() -> ended || due(last, report(batch), every));
        if (ended) {
          return;
        }
        MoveBatchReport now = report(batch);
        sending = true;
        try {
          parent.moveBatchReport(now);
        } finally {
          sending = false;
        }
        sent = now;
      }
    } catch (TemporalFailure cancelledOrGone) {
      // the batch is cancelled (its result says the rest) or the cycle has ended: nobody to tell
    }
  }

  /**
   * Due at each further tenth of the moves done (counted from the start, not from the last report:
   * the same reports whatever moves happen to finish together), and at every change of state.
   */
  private static boolean due(MoveBatchReport sent, MoveBatchReport now, int every) {
    return now.done() / every > sent.done() / every
        || now.brokersRotated() != sent.brokersRotated()
        || now.status() != sent.status()
        || !Objects.equals(now.pauseReason(), sent.pauseReason())
        || !Objects.equals(now.userPause(), sent.userPause())
        || !Objects.equals(now.hold(), sent.hold())
        || now.holdReleasesApplied() != sent.holdReleasesApplied()
        || !Objects.equals(now.lastError(), sent.lastError());
  }

  private MoveBatchReport report(MoveBatch batch) {
    Progress now = progress.snapshot();
    return new MoveBatchReport(batch.number(), progress.doneInPhase(), now.brokersRotated(), now.status(),
        now.pauseReason(), now.step(), now.waitingUntilMillis(), now.lastError(), control.userPause(), control.hold(),
        control.holdReleasesApplied());
  }

  /** No report after the batch's last word (its result); one in flight is let through first. */
  private void stopReporting() {
    ended = true;
    Workflow.newDetachedCancellationScope(() -> Workflow.await(() -> !sending)).run();
  }
}
