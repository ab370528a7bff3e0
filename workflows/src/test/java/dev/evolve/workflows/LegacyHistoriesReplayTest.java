package dev.evolve.workflows;

import static dev.evolve.workflows.NodePoolUpgradeWorkflowTest.awaitProgress;
import static dev.evolve.workflows.NodePoolUpgradeWorkflowTest.request;
import static dev.evolve.workflows.NodePoolUpgradeWorkflowTest.start;
import static dev.evolve.workflows.PauseAndHoldTest.pausedThenHeld;

import dev.evolve.workflows.activities.FailureTypes;
import dev.evolve.workflows.model.CycleStatus;
import io.temporal.client.WorkflowStub;
import io.temporal.failure.ApplicationFailure;
import io.temporal.testing.TestWorkflowEnvironment;
import io.temporal.testing.TestWorkflowExtension;
import io.temporal.testing.WorkflowReplayer;
import io.temporal.worker.Worker;
import java.nio.file.Files;
import java.nio.file.Path;
import org.junit.jupiter.api.Assumptions;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.extension.RegisterExtension;
import org.junit.jupiter.params.ParameterizedTest;
import org.junit.jupiter.params.provider.ValueSource;

/**
 * Histories recorded by the workflow as it was before the changes of issue 10 (the commit before
 * "Cycle end and operators"), each going through a path that those changes altered: a RESTORE
 * failure that was rolled back, a user's pause that one resume cleared together with a hold, and
 * an approval by signal. They must replay on today's code, which takes the old path for them
 * through the Workflow.getVersion change ids.
 *
 * <p>To record them again (only ever from that older workflow code), run
 * {@code -Devolve.recordLegacyHistories=true -Dtest=LegacyHistoriesReplayTest}.
 */
class LegacyHistoriesReplayTest {

  @RegisterExtension
  static final TestWorkflowExtension testWorkflow = CycleTestExtension.create();

  static final boolean RECORD = Boolean.getBoolean("evolve.recordLegacyHistories");

  @ParameterizedTest(name = "{0}")
  @ValueSource(strings = {"legacy-restore-failure-rolled-back", "legacy-pause-then-hold", "legacy-approval"})
  void replaysOnTodaysCode(String name) throws Exception {
    Assumptions.assumeFalse(RECORD, "recording");
    WorkflowReplayer.replayWorkflowExecutionFromResource("histories/" + name + ".json",
        NodePoolUpgradeWorkflowImpl.class);
  }

  @Test
  void recordRestoreFailure(TestWorkflowEnvironment env, Worker worker) throws Exception {
    Assumptions.assumeTrue(RECORD);
    ScriptedCluster cluster = ScriptedCluster.standard().failNext("restoreDeployment",
        ApplicationFailure.newNonRetryableFailure("injected", FailureTypes.MOVE_TIMED_OUT));
    NodePoolUpgradeWorkflow workflow = start(env, cluster, worker, request());
    awaitEnd(workflow);
    save(env, workflow, "legacy-restore-failure-rolled-back");
  }

  @Test
  void recordPauseThenHold(TestWorkflowEnvironment env, Worker worker) throws Exception {
    Assumptions.assumeTrue(RECORD);
    NodePoolUpgradeWorkflow[] self = new NodePoolUpgradeWorkflow[1];
    ScriptedCluster cluster = pausedThenHeld(self);
    self[0] = start(env, cluster, worker, request(1));
    awaitProgress(self[0], p -> p.status() == CycleStatus.PAUSED);
    self[0].resume();
    awaitEnd(self[0]);
    save(env, self[0], "legacy-pause-then-hold");
  }

  @Test
  void recordApproval(TestWorkflowEnvironment env, Worker worker) throws Exception {
    Assumptions.assumeTrue(RECORD);
    NodePoolUpgradeWorkflow workflow = start(env, ScriptedCluster.standard(), worker,
        ApprovalRecordTest.needingApproval());
    awaitProgress(workflow, p -> p.status() == CycleStatus.WAITING_FOR_APPROVAL);
    workflow.approve("alice");
    awaitEnd(workflow);
    save(env, workflow, "legacy-approval");
  }

  private static void awaitEnd(NodePoolUpgradeWorkflow workflow) {
    try {
      WorkflowStub.fromTyped(workflow).getResult(Object.class);
    } catch (RuntimeException failedAsRecorded) {
      // a rolled-back cycle ends in failure; the history is what matters
    }
  }

  private static void save(TestWorkflowEnvironment env, NodePoolUpgradeWorkflow workflow, String name)
      throws Exception {
    String id = WorkflowStub.fromTyped(workflow).getExecution().getWorkflowId();
    Path file = Path.of("src/test/resources/histories", name + ".json");
    Files.createDirectories(file.getParent());
    Files.writeString(file, env.getWorkflowClient().fetchHistory(id).toJson(true));
  }
}
