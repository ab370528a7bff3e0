package dev.evolve.workflows;

import dev.evolve.workflows.model.MoveBatch;
import dev.evolve.workflows.model.MoveBatchControl;
import dev.evolve.workflows.model.MoveBatchResult;
import dev.evolve.workflows.model.Progress;
import io.temporal.workflow.QueryMethod;
import io.temporal.workflow.SignalMethod;
import io.temporal.workflow.WorkflowInterface;
import io.temporal.workflow.WorkflowMethod;

/**
 * One batch of a large cycle's moves, a child workflow of the cycle (workflow type {@value #TYPE},
 * id {@code <cycle's id>/<phase>-batch-<n>}), so that the cycle's own history stays small whatever
 * the number of workloads. The cycle starts one batch at a time and stays the one place users talk
 * to: it forwards pauses and resumes here, and this batch reports its progress, its holds and when
 * a pause is in effect back to the cycle.
 */
@WorkflowInterface
public interface MoveBatchWorkflow {

  String TYPE = "NodePoolUpgradeMoveBatch";

  /** Moves the batch; fails with {@code MoveBatchFailed} and the MoveBatchResult as details. */
  @WorkflowMethod(name = TYPE)
  MoveBatchResult run(MoveBatch batch);

  /** The cycle's pause and hold releases, sent by the cycle whenever they change. */
  @SignalMethod(name = "control", description = "Internal: the cycle passes on its pause and hold releases. Not for users.")
  void control(MoveBatchControl control);

  /** The batch's own progress (the cycle's progress query shows it too). */
  @QueryMethod(name = "progress", description = "The batch's moves: done, total, what it waits on.")
  Progress progress();
}
