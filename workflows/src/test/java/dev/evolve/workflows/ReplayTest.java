package dev.evolve.workflows;

import static dev.evolve.workflows.NodePoolUpgradeWorkflowTest.request;
import static dev.evolve.workflows.NodePoolUpgradeWorkflowTest.result;
import static dev.evolve.workflows.NodePoolUpgradeWorkflowTest.start;

import dev.evolve.workflows.model.CycleStatus;
import io.temporal.client.WorkflowStub;
import io.temporal.common.WorkflowExecutionHistory;
import io.temporal.testing.TestWorkflowEnvironment;
import io.temporal.testing.TestWorkflowExtension;
import io.temporal.testing.WorkflowReplayer;
import io.temporal.worker.Worker;
import java.nio.file.Files;
import java.nio.file.Path;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.extension.RegisterExtension;

/**
 * Guards determinism: a history recorded from a full cycle (with Kafka brokers, timers and a
 * pause) must replay on the current workflow code. A change that breaks it needs versioning
 * (Workflow.getVersion), or running cycles would fail after a worker upgrade.
 *
 * <p>To record a new history after a deliberate, versioned change, run this test with
 * {@code -Devolve.recordHistory=true}.
 */
class ReplayTest {

  static final String RECORDED = "histories/full-cycle.json";

  @RegisterExtension
  static final TestWorkflowExtension testWorkflow = CycleTestExtension.create();

  @Test
  void theRecordedFullCycleReplays() throws Exception {
    WorkflowReplayer.replayWorkflowExecutionFromResource(RECORDED, NodePoolUpgradeWorkflowImpl.class);
  }

  @Test
  void aFreshCycleWithAPauseReplays(TestWorkflowEnvironment env, Worker worker) throws Exception {
    ScriptedCluster cluster = ScriptedCluster.standard();
    NodePoolUpgradeWorkflow[] self = new NodePoolUpgradeWorkflow[1];
    cluster.onCall("moveDeployment", call -> {
      if (call.contains("checkout")) {
        self[0].pause("replay me");
      }
    });
    self[0] = start(env, cluster, worker, request(1));
    // The test server skips time while a client waits for a result: resume before waiting.
    NodePoolUpgradeWorkflowTest.awaitProgress(self[0], p -> p.status() == CycleStatus.PAUSED);
    self[0].resume();
    result(self[0]);
    String workflowId = WorkflowStub.fromTyped(self[0]).getExecution().getWorkflowId();
    WorkflowExecutionHistory history = env.getWorkflowClient().fetchHistory(workflowId);

    WorkflowReplayer.replayWorkflowExecution(history, NodePoolUpgradeWorkflowImpl.class);

    if (Boolean.getBoolean("evolve.recordHistory")) {
      Path file = Path.of("src/test/resources", RECORDED);
      Files.createDirectories(file.getParent());
      Files.writeString(file, history.toJson(true));
    }
  }
}
