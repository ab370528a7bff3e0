package dev.evolve.workflows;

import dev.evolve.workflows.model.Progress;
import dev.evolve.workflows.model.UpgradeRequest;
import dev.evolve.workflows.model.UpgradeResult;
import io.temporal.workflow.QueryMethod;
import io.temporal.workflow.SignalMethod;
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

  /** Hold the cycle at the next safe point: between workloads, between brokers, between phases. */
  @SignalMethod(name = "pause")
  void pause(String reason);

  /** Release a pause (also one taken by a health gate, which then checks again). */
  @SignalMethod(name = "resume")
  void resume();

  /** Let a cycle that asked for approval go on to upgrade the original pool. */
  @SignalMethod(name = "approve")
  void approve(String approvedBy);

  @QueryMethod(name = "progress")
  Progress progress();
}
