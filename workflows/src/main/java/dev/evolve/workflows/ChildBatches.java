package dev.evolve.workflows;

import dev.evolve.workflows.activities.FailureTypes;
import dev.evolve.workflows.model.MoveBatch;
import dev.evolve.workflows.model.MoveBatchControl;
import dev.evolve.workflows.model.MoveBatchReport;
import dev.evolve.workflows.model.MoveBatchResult;
import dev.evolve.workflows.model.PlannedMove;
import dev.evolve.workflows.model.TouchedWorkload;
import io.temporal.api.enums.v1.ParentClosePolicy;
import io.temporal.failure.ActivityFailure;
import io.temporal.failure.ApplicationFailure;
import io.temporal.failure.CanceledFailure;
import io.temporal.failure.ChildWorkflowFailure;
import io.temporal.failure.TemporalFailure;
import io.temporal.workflow.Async;
import io.temporal.workflow.CancellationScope;
import io.temporal.workflow.ChildWorkflowOptions;
import io.temporal.workflow.Promise;
import io.temporal.workflow.Workflow;
import java.util.List;
import java.util.Locale;
import java.util.function.Consumer;
import org.slf4j.Logger;

/**
 * The cycle's side of moves run in child workflows ({@link MoveBatching}, {@link MoveBatchWorkflow}).
 * One batch runs at a time. While it runs the cycle stays the one place users talk to:
 *
 * <ul>
 *   <li>pauses and resumes reach the batch: the cycle forwards its control state whenever it
 *       changes ({@link CycleControl#forBatch}), and its cancellation as a {@code stop}: the
 *       batch's workflow runs outside the cycle's cancellation scope, because a workflow that is
 *       cancelled ends cancelled whatever it returns, and so could not say what it touched;
 *   <li>the batch's reports are the cycle's progress and control: moves done, the step, its hold,
 *       and PAUSED once every move of the batch stands still ({@link CycleControl#mirror});
 *   <li>what the batch touched comes back with its result or, when it fails or is cancelled
 *       half-way, with its failure's details, so that a rollback moves back exactly that. A batch
 *       that ends without a word (cancelled or terminated by hand) is taken to have touched all
 *       its workloads: moving back a Deployment that never moved finds it where it is, a
 *       StatefulSet's pods are restarted where they are, one at a time behind their gates.
 * </ul>
 *
 * History: a batch costs the cycle its start and end and one signal per report (a report is sent
 * when the batch's pause or hold state changes, a broker has moved, or a tenth of its moves are
 * done), never anything per unit of time.
 */
final class ChildBatches {

  private static final Logger log = Workflow.getLogger(ChildBatches.class);

  private final CycleControl control;
  private final CycleProgress progress;
  /** Batches started by this run of the cycle: numbers the next one (and so its workflow id). */
  private int started;
  /** The batch running now, else null. */
  private Running running;

  /** What the cycle has taken from the running batch's reports so far. */
  private static final class Running {
    final MoveBatch batch;
    int done;
    int brokersRotated;
    String lastError;
    boolean ended;
    Promise<MoveBatchResult> result;
    Promise<Void> forwarding;

    Running(MoveBatch batch) {
      this.batch = batch;
    }
  }

  ChildBatches(CycleControl control, CycleProgress progress) {
    this.control = control;
    this.progress = progress;
  }

  /** The number of the next batch of this run. */
  int next() {
    return ++started;
  }

  /**
   * Runs one batch in its child workflow until it ends, and hands {@code leftBehind} what it left
   * on the temporary pool, whether it succeeded or not. A failed batch throws the failure of the
   * move that stopped it, as that move would have thrown it in the cycle.
   */
  void run(MoveBatch batch, Consumer<MoveBatchResult> leftBehind) {
    CancellationScope cycle = CancellationScope.current();
    if (cycle.isCancelRequested()) {
      // as a move of the cycle's own would: nothing starts in a cancelled cycle
      throw new CanceledFailure("the cycle was cancelled before batch " + batch.number() + " started");
    }
    String id = Workflow.getInfo().getWorkflowId() + "/" + batch.phase().name().toLowerCase(Locale.ROOT)
        + "-batch-" + batch.number();
    MoveBatchWorkflow child = Workflow.newChildWorkflowStub(MoveBatchWorkflow.class, ChildWorkflowOptions.newBuilder()
        .setWorkflowId(id)
        // a cycle terminated by hand takes its batch with it, as it would take its own moves
        .setParentClosePolicy(ParentClosePolicy.PARENT_CLOSE_POLICY_TERMINATE)
        .build());
    Running now = new Running(batch);
    running = now;
    progress.step(prefix(batch) + "moving " + batch.moves().size() + " workload(s) " + (batch.toTemp() ? "onto" : "off")
        + " " + batch.request().tempPoolName() + " in child workflow " + id);
    control.batchStarted();
    // outside the cycle's cancellation: the cycle's cancel reaches the batch as a stop (see the class comment)
    Workflow.newDetachedCancellationScope(() -> {
      now.result = Async.function(child::run, batch);
      now.forwarding = Async.procedure(() -> forwardControl(child, batch.control(), now, cycle));
    }).run();
    try {
      MoveBatchResult done = now.result.get();
      settle(now, done);
      leftBehind.accept(done);
    } catch (ChildWorkflowFailure failure) {
      MoveBatchResult left = detailsOf(failure);
      if (left == null) {
        leftBehind.accept(everythingTouched(batch));
        log.warn("batch {} ended without saying what it moved: {}", id, failure.getMessage());
        throw ApplicationFailure.newNonRetryableFailureWithCause("batch " + batch.number() + " (child workflow " + id
            + ") ended without saying what it moved (" + NodePoolUpgradeWorkflowImpl.describe(failure.getCause())
            + "); every workload in it is taken as touched", FailureTypes.MOVE_BATCH_LOST, failure);
      }
      settle(now, left);
      leftBehind.accept(left);
      throw causeOf(failure);
    } finally {
      now.ended = true;
      running = null;
      control.batchEnded();
      // the forwarder ends at once; waited for so that no signal is left in flight
      Workflow.newDetachedCancellationScope(() -> now.forwarding.get()).run();
    }
  }

  /** A batch's report (signal moveBatchReport): shown as the cycle's progress and control. */
  void report(MoveBatchReport report) {
    Running now = running;
    if (now == null || report.number() != now.batch.number()) {
      return; // a report of a batch that has ended: its result said the last word
    }
    if (report.done() > now.done) {
      progress.itemsDone(report.done() - now.done);
      now.done = report.done();
    }
    if (report.brokersRotated() > now.brokersRotated) {
      progress.brokersRotated(report.brokersRotated() - now.brokersRotated);
      now.brokersRotated = report.brokersRotated();
    }
    if (report.lastError() != null && !report.lastError().equals(now.lastError)) {
      progress.error(report.lastError());
      now.lastError = report.lastError();
    }
    if (report.step() != null) {
      String step = prefix(now.batch) + report.step();
      if (report.waitingUntilMillis() != null) {
        progress.waitingUntil(step, report.waitingUntilMillis());
      } else {
        progress.step(step);
      }
    }
    control.mirror(report);
  }

  private static String prefix(MoveBatch batch) {
    return "batch " + batch.part() + " of " + batch.parts() + ": ";
  }

  /** The batch's final counts, less what its reports already counted. */
  private void settle(Running now, MoveBatchResult result) {
    progress.itemsDone(result.done() - now.done);
    progress.brokersRotated(result.brokersRotated() - now.brokersRotated);
    now.done = result.done();
    now.brokersRotated = result.brokersRotated();
  }

  /**
   * Sends the batch the cycle's control state whenever it changes, until the batch ends. Blocking
   * on the signal here, not in the cycle's signal or update handler, which must not wait on a
   * command.
   */
  private void forwardControl(MoveBatchWorkflow child, MoveBatchControl initial, Running now,
      CancellationScope cycle) {
    try {
      Workflow.getWorkflowExecution(child).get();
      MoveBatchControl sent = initial;
      while (true) {
        MoveBatchControl last = sent;
        Workflow.await(() -> now.ended || !wanted(cycle).equals(last));
        if (now.ended) {
          return;
        }
        MoveBatchControl next = wanted(cycle);
        child.control(next);
        sent = next;
      }
    } catch (TemporalFailure over) {
      // the batch did not start or has ended: nothing to tell
    }
  }

  private MoveBatchControl wanted(CancellationScope cycle) {
    return control.forBatch().stopping(cycle.isCancelRequested());
  }

  private static MoveBatchResult detailsOf(ChildWorkflowFailure failure) {
    if (failure.getCause() instanceof ApplicationFailure app && FailureTypes.MOVE_BATCH_FAILED.equals(app.getType())) {
      try {
        return app.getDetails().get(MoveBatchResult.class);
      } catch (RuntimeException unreadable) {
        return null;
      }
    }
    return null;
  }

  /**
   * The failure the batch's moves ended with, to throw in the cycle as a move there would have: an
   * activity's or application failure, or the cancellation when the cycle itself is cancelled. A
   * batch cancelled from outside the cycle is a failure of the cycle's moves, not a cancellation
   * of the cycle.
   */
  private static TemporalFailure causeOf(ChildWorkflowFailure failure) {
    ApplicationFailure batchFailed = (ApplicationFailure) failure.getCause();
    Throwable cause = batchFailed.getCause();
    if (cause instanceof ActivityFailure || cause instanceof ApplicationFailure) {
      return (TemporalFailure) cause;
    }
    if (cause instanceof CanceledFailure canceled && CancellationScope.current().isCancelRequested()) {
      return canceled;
    }
    return ApplicationFailure.newNonRetryableFailureWithCause(batchFailed.getOriginalMessage(),
        FailureTypes.MOVE_BATCH_FAILED, batchFailed);
  }

  /** Without a word from the batch: every workload in it, with all its pods, may have moved (or may be back). */
  private static MoveBatchResult everythingTouched(MoveBatch batch) {
    if (!batch.toTemp()) {
      return new MoveBatchResult(batch.onTemp(), 0, 0, 0, List.of());
    }
    List<TouchedWorkload> all = batch.moves().stream()
        .map(m -> new TouchedWorkload(m.workload(), m.ordinals() == null ? List.of() : List.copyOf(m.ordinals())))
        .toList();
    return new MoveBatchResult(all, 0, 0, 0, List.of());
  }
}
