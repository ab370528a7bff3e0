package dev.evolve.workflows;

import static dev.evolve.workflows.NodePoolUpgradeWorkflowTest.awaitProgress;
import static dev.evolve.workflows.NodePoolUpgradeWorkflowTest.indexOf;
import static dev.evolve.workflows.NodePoolUpgradeWorkflowTest.lastIndexOf;
import static dev.evolve.workflows.NodePoolUpgradeWorkflowTest.request;
import static dev.evolve.workflows.NodePoolUpgradeWorkflowTest.start;
import static dev.evolve.workflows.ScriptedCluster.POOL;
import static dev.evolve.workflows.ScriptedCluster.TEMP;
import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertTrue;

import dev.evolve.workflows.activities.FailureTypes;
import dev.evolve.workflows.model.CycleStatus;
import dev.evolve.workflows.model.PoolAutoscaling;
import dev.evolve.workflows.model.Progress;
import dev.evolve.workflows.model.UpgradeResult;
import io.temporal.client.WorkflowStub;
import io.temporal.failure.ApplicationFailure;
import io.temporal.testing.TestWorkflowEnvironment;
import io.temporal.testing.TestWorkflowExtension;
import io.temporal.worker.Worker;
import java.util.List;
import java.util.concurrent.TimeUnit;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.extension.RegisterExtension;

/** How the cycle deals with GKE's autoscaler and with a temporary pool that turns out too small. */
class GkeRulesWorkflowTest {

  @RegisterExtension
  static final TestWorkflowExtension testWorkflow = CycleTestExtension.create();

  static UpgradeResult resultWithin(NodePoolUpgradeWorkflow workflow, long seconds) throws Exception {
    return WorkflowStub.fromTyped(workflow).getResult(seconds, TimeUnit.SECONDS, UpgradeResult.class);
  }

  @Test
  void anAutoscaledPoolIsHeldAtItsSizeForTheCycleAndGetsItsAutoscalingBackExactly(TestWorkflowEnvironment env,
      Worker worker) throws Exception {
    PoolAutoscaling autoscaling = new PoolAutoscaling(true, 0, 5, 0, 0, "BALANCED", false);
    ScriptedCluster cluster = ScriptedCluster.standard().autoscaled(autoscaling);
    NodePoolUpgradeWorkflow workflow = start(env, cluster, worker, request());

    // without the hold the autoscaler empties the pool and RESTORE holds on "0 of 0 nodes"
    UpgradeResult result = resultWithin(workflow, 30);

    assertEquals(CycleStatus.SUCCEEDED, result.status());
    assertEquals(autoscaling, cluster.autoscalingOf(POOL));
    List<String> changes = cluster.changes();
    assertTrue(indexOf(changes, "holdPoolSize " + POOL) < indexOf(changes, "cordonPool " + POOL), changes.toString());
    assertTrue(indexOf(changes, "restoreAutoscaling " + POOL) > lastIndexOf(changes, "restoreStatefulSetPod"),
        changes.toString());
    assertTrue(indexOf(changes, "restoreAutoscaling " + POOL) < indexOf(changes, "deletePool " + TEMP),
        changes.toString());
  }

  @Test
  void aTempPoolTooSmallForAMovedPodPausesWithTheResizeHintInsteadOfRollingBack(TestWorkflowEnvironment env,
      Worker worker) throws Exception {
    String hint = "kafka-1 cannot be scheduled on " + TEMP + ": 0/6 nodes are available: 3 Insufficient cpu — "
        + TEMP + " is too small: resize it to 2 node(s) per zone, then resume";
    ScriptedCluster cluster = ScriptedCluster.standard()
        .failNext("moveStatefulSetPod", ApplicationFailure.newNonRetryableFailure(hint, FailureTypes.TEMP_POOL_TOO_SMALL));
    NodePoolUpgradeWorkflow workflow = start(env, cluster, worker, NodePoolUpgradeWorkflowTest.request(1));

    Progress paused = awaitProgress(workflow, p -> p.status() == CycleStatus.PAUSED);
    assertTrue(paused.pauseReason().contains("resize it to 2 node(s) per zone"), paused.pauseReason());
    workflow.resume();

    assertEquals(CycleStatus.SUCCEEDED, resultWithin(workflow, 30).status());
  }
}
