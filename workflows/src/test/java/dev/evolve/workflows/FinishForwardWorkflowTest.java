package dev.evolve.workflows;

import static dev.evolve.workflows.NodePoolUpgradeWorkflowTest.awaitProgress;
import static dev.evolve.workflows.NodePoolUpgradeWorkflowTest.request;
import static dev.evolve.workflows.NodePoolUpgradeWorkflowTest.result;
import static dev.evolve.workflows.NodePoolUpgradeWorkflowTest.start;
import static dev.evolve.workflows.ScriptedCluster.CONTROL_PLANE;
import static dev.evolve.workflows.ScriptedCluster.POOL;
import static dev.evolve.workflows.ScriptedCluster.TEMP;
import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertNull;
import static org.junit.jupiter.api.Assertions.assertTrue;

import dev.evolve.workflows.activities.FailureTypes;
import dev.evolve.workflows.model.CycleStatus;
import dev.evolve.workflows.model.Phase;
import dev.evolve.workflows.model.Progress;
import dev.evolve.workflows.model.UpgradeResult;
import io.temporal.failure.ApplicationFailure;
import io.temporal.testing.TestWorkflowEnvironment;
import io.temporal.testing.TestWorkflowExtension;
import io.temporal.worker.Worker;
import java.util.List;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.extension.RegisterExtension;

/**
 * Once UPGRADE_ORIGINAL succeeded there is nothing to roll back: a failure in RESTORE or
 * DECOMMISSION is retried, then held for a human, and the cycle ends with the pool upgraded.
 */
class FinishForwardWorkflowTest {

  @RegisterExtension
  static final TestWorkflowExtension testWorkflow = CycleTestExtension.create();

  private static RuntimeException permanent(String type) {
    return ApplicationFailure.newNonRetryableFailure("injected " + type, type);
  }

  private static void assertUpgradedAndClean(ScriptedCluster cluster, UpgradeResult result) {
    assertEquals(CycleStatus.UPGRADED_WITH_ISSUES, result.status());
    assertEquals(CONTROL_PLANE, result.poolVersion());
    assertEquals(CONTROL_PLANE, cluster.poolVersion(POOL));
    assertEquals("DELETED", result.tempPool());
    assertFalse(cluster.poolExists(TEMP));
    assertEquals(7, cluster.podsOn(POOL).size(), "every pod back on the upgraded pool: " + cluster.podsOn(POOL));
    assertEquals(List.of(), cluster.violations());
    assertNull(result.phases().get(Phase.COMPENSATE), "nothing may be rolled back after the upgrade");
  }

  @Test
  void aFailedRestoreIsRetriedAndTheCycleEndsUpgraded(TestWorkflowEnvironment env, Worker worker) {
    ScriptedCluster cluster = ScriptedCluster.standard()
        .failNext("restoreDeployment", permanent(FailureTypes.MOVE_TIMED_OUT));
    NodePoolUpgradeWorkflow workflow = start(env, cluster, worker, request());

    UpgradeResult result = result(workflow);

    assertUpgradedAndClean(cluster, result);
    assertTrue(result.notes().stream().anyMatch(n -> n.startsWith("RESTORE") && n.contains("injected MoveTimedOut")),
        result.notes().toString());
    assertEquals(CycleStatus.UPGRADED_WITH_ISSUES, workflow.progress().status());
  }

  @Test
  void aFailedDeleteInDecommissionIsRetriedWithoutTouchingWorkloads(TestWorkflowEnvironment env, Worker worker) {
    ScriptedCluster cluster = ScriptedCluster.standard()
        .failNext("deletePool", permanent(FailureTypes.OPERATION_FAILED));
    NodePoolUpgradeWorkflow workflow = start(env, cluster, worker, request());

    UpgradeResult result = result(workflow);

    assertUpgradedAndClean(cluster, result);
    assertEquals(2, cluster.calls().stream().filter(c -> c.equals("deletePool " + TEMP)).count());
    assertEquals(1, cluster.calls().stream().filter(c -> c.equals("restoreDeployment shop/Deployment/cart")).count(),
        "a DECOMMISSION failure must not move workloads again");
    assertTrue(result.notes().stream().anyMatch(n -> n.startsWith("DECOMMISSION")), result.notes().toString());
  }

  @Test
  void aRestoreThatKeepsFailingHoldsForAHumanAndResumeGoesOn(TestWorkflowEnvironment env, Worker worker) {
    ScriptedCluster cluster = ScriptedCluster.standard()
        .failNext("restoreDeployment", permanent(FailureTypes.MOVE_TIMED_OUT))
        .failNext("restoreDeployment", permanent(FailureTypes.MOVE_TIMED_OUT));
    NodePoolUpgradeWorkflow workflow = start(env, cluster, worker, request(1));

    Progress held = awaitProgress(workflow, p -> p.status() == CycleStatus.HELD_FOR_HUMAN
        || p.phase() == Phase.COMPENSATE || p.phase() == Phase.DONE);
    assertEquals(CycleStatus.HELD_FOR_HUMAN, held.status(), held.toString());
    assertEquals(Phase.RESTORE, held.phase());
    assertTrue(held.pauseReason().contains("injected MoveTimedOut"), held.pauseReason());
    assertEquals(CONTROL_PLANE, cluster.poolVersion(POOL));
    assertTrue(cluster.poolExists(TEMP), "the temporary pool still runs workloads: it stays");

    workflow.resume();

    assertUpgradedAndClean(cluster, result(workflow));
  }

  @Test
  void anUnsafeRefusalAtDecommissionHoldsThereInsteadOfRollingBack(TestWorkflowEnvironment env, Worker worker) {
    ScriptedCluster cluster = ScriptedCluster.standard();
    // someone starts a bare pod on the temporary pool while it is the only schedulable one
    cluster.onCall("upgradePool", call -> cluster.strayPod("ops/Pod/debug", TEMP));
    NodePoolUpgradeWorkflow workflow = start(env, cluster, worker, request(1));

    Progress held = awaitProgress(workflow, p -> p.status() == CycleStatus.HELD_FOR_HUMAN);
    assertEquals(Phase.DECOMMISSION, held.phase(), held.toString());
    assertTrue(held.pauseReason().contains("ops/Pod/debug"), held.pauseReason());
    assertEquals(1, cluster.calls().stream().filter(c -> c.equals("restoreDeployment shop/Deployment/cart")).count());
    assertTrue(cluster.poolExists(TEMP), "a pool that runs a pod is never removed");

    cluster.removePod("ops/Pod/debug");
    workflow.resume();

    UpgradeResult result = result(workflow);
    assertUpgradedAndClean(cluster, result);
    assertTrue(result.notes().stream().anyMatch(n -> n.contains("ops/Pod/debug")), result.notes().toString());
  }
}
