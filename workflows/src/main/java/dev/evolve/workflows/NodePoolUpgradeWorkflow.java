package dev.evolve.workflows;

import dev.evolve.workflows.model.ApproveRequest;
import dev.evolve.workflows.model.ControlAnswer;
import dev.evolve.workflows.model.MoveBatchReport;
import dev.evolve.workflows.model.PauseRequest;
import dev.evolve.workflows.model.Progress;
import dev.evolve.workflows.model.ResumeRequest;
import dev.evolve.workflows.model.UpgradeRequest;
import dev.evolve.workflows.model.UpgradeResult;
import io.temporal.workflow.QueryMethod;
import io.temporal.workflow.SignalMethod;
import io.temporal.workflow.UpdateMethod;
import io.temporal.workflow.UpdateValidatorMethod;
import io.temporal.workflow.WorkflowInterface;
import io.temporal.workflow.WorkflowMethod;

/**
 * One evolutionary backup cycle of one GKE node pool: PREPARE, CREATE_TEMP_POOL, MIGRATE,
 * UPGRADE_ORIGINAL, RESTORE, DECOMMISSION. Started from the CLI as workflow type
 * {@value #TYPE} on task queue {@value #TASK_QUEUE}.
 */
@WorkflowInterface
public interface NodePoolUpgradeWorkflow {

  String TYPE = "NodePoolUpgrade";
  String TASK_QUEUE = "evolve-node-pools";

  @WorkflowMethod(name = TYPE)
  UpgradeResult run(UpgradeRequest request);

  // Signals, for `temporal workflow signal` and the Web UI: fire and forget. The updates below do
  // the same with an answer (accepted and what it did, or why not), and are what the CLI uses.

  /** A user's pause: holds the cycle at the next safe point (between workloads, brokers, phases). */
  @SignalMethod(name = "pause", description = "Pause the cycle at its next safe point (between workloads, brokers, phases). Input: the reason, e.g. \"change freeze\".")
  void pause(String reason);

  /**
   * Releases one thing: the hold the cycle took itself if it waits on one (a health gate then
   * checks again), else the user's pause. A user's pause outlives a hold.
   */
  @SignalMethod(name = "resume", description = "Release what the cycle waits on: its own hold (a health gate then checks again), else the pause. No input.")
  void resume();

  /** Lets a cycle that asked for approval go on to upgrade the original pool; records who. */
  @SignalMethod(name = "approve", description = "Approve the upgrade of the original pool when the cycle asks for it. Input: who approves, e.g. \"alice@example.com\".")
  void approve(String approvedBy);

  /** The pause signal with an answer; refused when the cycle has ended or is already paused. */
  @UpdateMethod(name = "pauseCycle", description = "The pause signal with an answer (refused when the cycle ended or is paused). Input: {\"reason\": \"change freeze\", \"by\": \"alice\"}.")
  ControlAnswer pauseCycle(PauseRequest request);

  @UpdateValidatorMethod(updateName = "pauseCycle")
  void validatePause(PauseRequest request);

  /** Releases the hold or the pause the request names (or what the cycle waits on); refused if none stands. */
  @UpdateMethod(name = "resumeCycle", description = "The resume signal with an answer (refused when nothing holds the cycle). Input: {\"target\": \"HOLD\" or \"PAUSE\" (optional), \"by\": \"alice\"}.")
  ControlAnswer resumeCycle(ResumeRequest request);

  @UpdateValidatorMethod(updateName = "resumeCycle")
  void validateResume(ResumeRequest request);

  /** Approval with an answer; refused when no approval is asked for, already given, or the cycle ended. */
  @UpdateMethod(name = "approveCycle", description = "The approve signal with an answer (refused when no approval is asked for). Input: {\"by\": \"alice\"}.")
  ControlAnswer approveCycle(ApproveRequest request);

  @UpdateValidatorMethod(updateName = "approveCycle")
  void validateApprove(ApproveRequest request);

  String POOL_HELD_BY = "poolHeldBy";

  /** The pool lock's answer to a cycle it refused: the workflow id of the cycle holding the pool. */
  @SignalMethod(name = POOL_HELD_BY, description = "Internal: the pool lock's answer to a cycle it refused. Not for users.")
  void poolHeldBy(String holderWorkflowId);

  String MOVE_BATCH_REPORT = "moveBatchReport";

  /**
   * A large cycle's batch of moves (a child workflow, {@link MoveBatchWorkflow}) reports its
   * progress, its hold and whether a pause is in effect; not for users.
   */
  @SignalMethod(name = MOVE_BATCH_REPORT, description = "Internal: a batch of moves reports to its cycle. Not for users.")
  void moveBatchReport(MoveBatchReport report);

  @QueryMethod(name = "progress", description = "Where the cycle stands: status, phase, what it waits on and why, each phase's progress, the plan.")
  Progress progress();
}
