package dev.evolve.workflows;

import static dev.evolve.workflows.NodePoolUpgradeWorkflowTest.awaitProgress;
import static dev.evolve.workflows.NodePoolUpgradeWorkflowTest.failureOf;
import static dev.evolve.workflows.NodePoolUpgradeWorkflowTest.indexOf;
import static dev.evolve.workflows.NodePoolUpgradeWorkflowTest.request;
import static dev.evolve.workflows.NodePoolUpgradeWorkflowTest.result;
import static dev.evolve.workflows.NodePoolUpgradeWorkflowTest.start;
import static dev.evolve.workflows.ScriptedCluster.POOL;
import static dev.evolve.workflows.ScriptedCluster.TEMP;
import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertTrue;

import dev.evolve.workflows.activities.FailureTypes;
import dev.evolve.workflows.model.CycleStatus;
import dev.evolve.workflows.model.Progress;
import dev.evolve.workflows.model.UpgradeResult;
import dev.evolve.workflows.model.WorkloadRef;
import io.temporal.failure.ApplicationFailure;
import io.temporal.testing.TestWorkflowEnvironment;
import io.temporal.testing.TestWorkflowExtension;
import io.temporal.worker.Worker;
import java.util.List;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.extension.RegisterExtension;

/**
 * A rollback must be able to end: a workload its owner deleted is skipped with a note, and there
 * is never a moment when neither pool takes new pods.
 */
class CompensationCanFinishTest {

  @RegisterExtension
  static final TestWorkflowExtension testWorkflow = CycleTestExtension.create();

  static final WorkloadRef FRONTEND = new WorkloadRef("web", "Deployment", "frontend");

  @Test
  void aWorkloadDeletedDuringTheCycleIsSkippedByTheRollback(TestWorkflowEnvironment env, Worker worker) {
    ScriptedCluster cluster = ScriptedCluster.standard();
    cluster.onCall("upgradePool", call -> cluster.deleteWorkload(FRONTEND));
    cluster.failNext("upgradePool", ApplicationFailure.newNonRetryableFailure("injected", FailureTypes.OPERATION_FAILED));
    NodePoolUpgradeWorkflow workflow = start(env, cluster, worker, request(1));

    Progress end = awaitProgress(workflow, p -> p.status() == CycleStatus.ROLLED_BACK
        || p.status() == CycleStatus.HELD_FOR_HUMAN);
    assertEquals(CycleStatus.ROLLED_BACK, end.status(), "the rollback held on a deleted workload: " + end);

    ApplicationFailure failure = failureOf(workflow);
    assertEquals("CycleRolledBack", failure.getType());
    assertTrue(failure.getOriginalMessage().contains(FRONTEND + " was deleted"), failure.getOriginalMessage());
    assertFalse(cluster.poolExists(TEMP));
    assertTrue(cluster.podsOn(TEMP).isEmpty(), cluster.podsOn(TEMP).toString());
    assertEquals(List.of(), cluster.violations());
  }

  @Test
  void aWorkloadDeletedDuringTheCycleIsSkippedWhenMovingBack(TestWorkflowEnvironment env, Worker worker) {
    ScriptedCluster cluster = ScriptedCluster.standard();
    cluster.onCall("upgradePool", call -> cluster.deleteWorkload(FRONTEND));
    NodePoolUpgradeWorkflow workflow = start(env, cluster, worker, request());

    UpgradeResult result = result(workflow);

    assertEquals(CycleStatus.SUCCEEDED, result.status());
    assertTrue(result.notes().stream().anyMatch(n -> n.contains(FRONTEND + " was deleted")), result.notes().toString());
    assertFalse(cluster.poolExists(TEMP));
    assertEquals(List.of(), cluster.violations());
  }

  @Test
  void aWorkloadDeletedBeforeItsMoveIsNotMovedAndTheCycleGoesOn(TestWorkflowEnvironment env, Worker worker) {
    ScriptedCluster cluster = ScriptedCluster.standard();
    cluster.onCall("moveDeployment", call -> {
      if (call.startsWith("shop/Deployment/cart")) {
        cluster.deleteWorkload(FRONTEND);
      }
    });
    NodePoolUpgradeWorkflow workflow = start(env, cluster, worker, request());

    UpgradeResult result = result(workflow);

    assertEquals(CycleStatus.SUCCEEDED, result.status());
    assertTrue(result.notes().stream().anyMatch(n -> n.contains(FRONTEND + " was deleted") && n.endsWith("not moved")),
        result.notes().toString());
    assertEquals(-1, indexOf(cluster.calls(), "restoreDeployment " + FRONTEND), "nothing of it to move back");
    assertEquals(List.of(), cluster.violations());
  }

  @Test
  void restoreUncordonsTheOriginalPoolBeforeCordoningTheTemporaryOne(TestWorkflowEnvironment env, Worker worker) {
    ScriptedCluster cluster = ScriptedCluster.standard();
    NodePoolUpgradeWorkflow workflow = start(env, cluster, worker, request());

    result(workflow);

    List<String> calls = cluster.calls();
    int upgraded = indexOf(calls, "upgradePool");
    int uncordonOriginal = indexOfAfter(calls, "uncordonPool " + POOL, upgraded);
    int cordonTemp = indexOfAfter(calls, "cordonPool " + TEMP, upgraded);
    assertTrue(uncordonOriginal > 0 && uncordonOriginal < cordonTemp, calls.toString());
    assertEquals(List.of(), cluster.violations());
  }

  @Test
  void theRollbackUncordonsTheOriginalPoolBeforeCordoningTheTemporaryOne(TestWorkflowEnvironment env, Worker worker) {
    ScriptedCluster cluster = ScriptedCluster.standard()
        .failNext("moveStatefulSetPod", ApplicationFailure.newNonRetryableFailure("injected", FailureTypes.UNSCHEDULABLE));
    NodePoolUpgradeWorkflow workflow = start(env, cluster, worker, request());

    failureOf(workflow);

    List<String> calls = cluster.calls();
    int failed = indexOf(calls, "moveStatefulSetPod");
    int uncordonOriginal = indexOfAfter(calls, "uncordonPool " + POOL, failed);
    int cordonTemp = indexOfAfter(calls, "cordonPool " + TEMP, failed);
    assertTrue(uncordonOriginal > 0 && uncordonOriginal < cordonTemp, calls.toString());
    assertEquals(List.of(), cluster.violations());
  }

  static int indexOfAfter(List<String> calls, String prefix, int from) {
    for (int i = from + 1; i < calls.size(); i++) {
      if (calls.get(i).startsWith(prefix)) {
        return i;
      }
    }
    return -1;
  }
}
