package dev.evolve.workflows;

import static dev.evolve.workflows.NodePoolUpgradeWorkflowTest.awaitProgress;
import static dev.evolve.workflows.NodePoolUpgradeWorkflowTest.result;
import static dev.evolve.workflows.OneCyclePerPoolTest.startAs;
import static org.junit.jupiter.api.Assertions.assertThrows;

import dev.evolve.workflows.model.CycleStatus;
import dev.evolve.workflows.model.PoolKey;
import io.temporal.client.WorkflowFailedException;
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
 * Histories recorded by the workflow shape that took the pool lock and recorded the plan
 * (change ids one-cycle-per-pool and plan-in-history): an approved cycle, a cycle the lock
 * refused, and the lock itself answering who holds it. Like the older ones under
 * src/test/resources/histories, they must keep replaying until their change ids' old branches
 * are removed (see the README's versioning rule).
 *
 * <p>To record them again (only from the code of that shape), run
 * {@code -Devolve.recordHistories=true -Dtest=RecordedHistoriesReplayTest}.
 */
class RecordedHistoriesReplayTest {

  @RegisterExtension
  static final TestWorkflowExtension testWorkflow = CycleTestExtension.create();

  static final boolean RECORD = Boolean.getBoolean("evolve.recordHistories");

  @ParameterizedTest(name = "{0}")
  @ValueSource(strings = {"pool-lock-approved-cycle", "pool-lock-refused-cycle"})
  void cyclesReplayOnTodaysCode(String name) throws Exception {
    Assumptions.assumeFalse(RECORD, "recording");
    WorkflowReplayer.replayWorkflowExecutionFromResource("histories/" + name + ".json",
        NodePoolUpgradeWorkflowImpl.class);
  }

  @Test
  void theLockReplaysOnTodaysCode() throws Exception {
    Assumptions.assumeFalse(RECORD, "recording");
    WorkflowReplayer.replayWorkflowExecutionFromResource("histories/pool-lock.json", PoolLockWorkflowImpl.class);
  }

  @Test
  void record(TestWorkflowEnvironment env, Worker worker) throws Exception {
    Assumptions.assumeTrue(RECORD);
    worker.registerActivitiesImplementations(ScriptedCluster.standard());
    env.start();
    NodePoolUpgradeWorkflow first = startAs(env, worker.getTaskQueue(), "evolve/my-project/europe-west1/prod/default-pool",
        ApprovalRecordTest.needingApproval());
    awaitProgress(first, p -> p.status() == CycleStatus.WAITING_FOR_APPROVAL);
    NodePoolUpgradeWorkflow second = startAs(env, worker.getTaskQueue(), "typed-by-hand",
        NodePoolUpgradeWorkflowTest.request(1));
    assertThrows(WorkflowFailedException.class, () -> result(second));
    first.approve("alice");
    result(first);
    save(env, "evolve/my-project/europe-west1/prod/default-pool", "pool-lock-approved-cycle");
    save(env, "typed-by-hand", "pool-lock-refused-cycle");
    save(env, PoolKey.of(NodePoolUpgradeWorkflowTest.request()).lockId(), "pool-lock");
  }

  private static void save(TestWorkflowEnvironment env, String workflowId, String name) throws Exception {
    Path file = Path.of("src/test/resources/histories", name + ".json");
    Files.writeString(file, env.getWorkflowClient().fetchHistory(workflowId).toJson(true));
  }
}
