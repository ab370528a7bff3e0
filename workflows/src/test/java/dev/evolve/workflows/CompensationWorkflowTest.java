package dev.evolve.workflows;

import static dev.evolve.workflows.NodePoolUpgradeWorkflowTest.awaitProgress;
import static dev.evolve.workflows.NodePoolUpgradeWorkflowTest.failureOf;
import static dev.evolve.workflows.NodePoolUpgradeWorkflowTest.indexOf;
import static dev.evolve.workflows.NodePoolUpgradeWorkflowTest.request;
import static dev.evolve.workflows.NodePoolUpgradeWorkflowTest.start;
import static dev.evolve.workflows.ScriptedCluster.POOL;
import static dev.evolve.workflows.ScriptedCluster.TEMP;
import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertTrue;

import dev.evolve.workflows.activities.FailureTypes;
import dev.evolve.workflows.model.CycleStatus;
import dev.evolve.workflows.model.Phase;
import dev.evolve.workflows.model.PhaseProgress;
import dev.evolve.workflows.model.Progress;
import io.temporal.failure.ApplicationFailure;
import io.temporal.testing.TestWorkflowEnvironment;
import io.temporal.testing.TestWorkflowExtension;
import io.temporal.worker.Worker;
import java.util.List;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.extension.RegisterExtension;
import org.junit.jupiter.params.ParameterizedTest;
import org.junit.jupiter.params.provider.CsvSource;

/**
 * A failure in each phase up to UPGRADE_ORIGINAL, and what the saga does about it. Failures after
 * the upgrade finish forward instead: {@link FinishForwardWorkflowTest}.
 */
class CompensationWorkflowTest {

  @RegisterExtension
  static final TestWorkflowExtension testWorkflow = CycleTestExtension.create();

  private static RuntimeException permanent(String type) {
    return ApplicationFailure.newNonRetryableFailure("injected " + type, type);
  }

  /**
   * Each row: the call that fails, the phase it belongs to, and whether workloads had reached
   * the temp pool (so must be moved back). In every case the cluster ends as it began: workloads
   * on the original pool at its old version, no temp pool, and no pool deleted under pods.
   */
  @ParameterizedTest(name = "{0} fails in {1}")
  @CsvSource({
    "createTempPool,     CREATE_TEMP_POOL, QuotaExceeded,  false",
    "moveDeployment,     MIGRATE,          MoveTimedOut,   false",
    "moveStatefulSetPod, MIGRATE,          Unschedulable,  true",
    "evictPods,          MIGRATE,          Unsafe,         true",
    "upgradePool,        UPGRADE_ORIGINAL, OperationFailed, true",
  })
  void aFailureRollsTheClusterBack(String call, String phase, String type, boolean workloadsMoved,
      TestWorkflowEnvironment env, Worker worker) {
    ScriptedCluster cluster = ScriptedCluster.standard().failNext(call, permanent(type));
    NodePoolUpgradeWorkflow workflow = start(env, cluster, worker, request());

    ApplicationFailure failure = failureOf(workflow);

    assertEquals("CycleRolledBack", failure.getType());
    assertTrue(failure.getOriginalMessage().startsWith(phase + " failed"), failure.getOriginalMessage());
    assertTrue(failure.getOriginalMessage().contains("injected " + type), failure.getOriginalMessage());
    assertEquals(CycleStatus.ROLLED_BACK, workflow.progress().status());
    assertFalse(cluster.poolExists(TEMP), "temp pool leaked");
    assertTrue(cluster.podsOn(TEMP).isEmpty(), "left on temp: " + cluster.podsOn(TEMP));
    assertEquals(List.of(), cluster.violations());
    assertEquals(ScriptedCluster.OLD, cluster.poolVersion(POOL));
    PhaseProgress compensate = workflow.progress().phases().get(Phase.COMPENSATE);
    assertEquals(compensate.total(), compensate.done(), "COMPENSATE progress: " + compensate);
    if (workloadsMoved) {
      // the broker chain moves first (moves side by side offer the long chains the first slots)
      assertTrue(cluster.calls().stream().anyMatch(c -> c.startsWith("restoreDeployment")
          || c.startsWith("restoreStatefulSetPod") || c.startsWith("evictPods batch/Job/nightly from " + TEMP)),
          "nothing moved back: " + cluster.calls());
    }
  }

  @Test
  void anUnhealthyOriginalPoolKeepsTheTempPoolAndHoldsForAHuman(TestWorkflowEnvironment env, Worker worker) {
    ScriptedCluster cluster = ScriptedCluster.standard();
    cluster.onCall("upgradePool", call -> cluster.poolStatus(POOL, "ERROR"));
    cluster.failNext("upgradePool", permanent(FailureTypes.OPERATION_FAILED));
    NodePoolUpgradeWorkflow workflow = start(env, cluster, worker, request(1));

    Progress held = awaitProgress(workflow, p -> p.status() == CycleStatus.HELD_FOR_HUMAN);
    assertTrue(held.pauseReason().contains("is ERROR"), held.pauseReason());
    assertTrue(cluster.poolExists(TEMP), "the temp pool is the only capacity left: it must stay");
    assertEquals(7, cluster.podsOn(TEMP).size(), "workloads must stay where they run");
    assertEquals(-1, indexOf(cluster.calls(), "deletePool"));

    cluster.poolStatus(POOL, "RUNNING");
    workflow.resume();

    assertEquals("CycleRolledBack", failureOf(workflow).getType());
    assertFalse(cluster.poolExists(TEMP));
    assertTrue(cluster.podsOn(TEMP).isEmpty());
    assertEquals(List.of(), cluster.violations());
  }

  @Test
  void notReadyOriginalNodesAlsoHoldTheRollback(TestWorkflowEnvironment env, Worker worker) {
    ScriptedCluster cluster = ScriptedCluster.standard();
    cluster.onCall("upgradePool", call -> cluster.originalNodesReady(false));
    cluster.failNext("upgradePool", permanent(FailureTypes.OPERATION_FAILED));
    NodePoolUpgradeWorkflow workflow = start(env, cluster, worker, request(1));

    Progress held = awaitProgress(workflow, p -> p.status() == CycleStatus.HELD_FOR_HUMAN);
    assertTrue(held.pauseReason().contains("not Ready"), held.pauseReason());
    assertTrue(cluster.poolExists(TEMP));

    cluster.originalNodesReady(true);
    workflow.resume();
    failureOf(workflow);
    assertFalse(cluster.poolExists(TEMP));
    assertEquals(List.of(), cluster.violations());
  }

  @Test
  void aPdbThatKeepsRefusingPausesTheCycleWithItsName(TestWorkflowEnvironment env, Worker worker) {
    ScriptedCluster cluster = ScriptedCluster.standard().failNext("evictPods", ApplicationFailure
        .newNonRetryableFailure("eviction of batch/nightly-x refused for 900s by PodDisruptionBudget batch/nightly",
            FailureTypes.EVICTION_BLOCKED));
    NodePoolUpgradeWorkflow workflow = start(env, cluster, worker, request(1));

    Progress paused = awaitProgress(workflow, p -> p.status() == CycleStatus.PAUSED);
    assertTrue(paused.pauseReason().contains("PodDisruptionBudget batch/nightly"), paused.pauseReason());

    workflow.resume();
    assertEquals(CycleStatus.SUCCEEDED, NodePoolUpgradeWorkflowTest.result(workflow).status());
    assertEquals(2, cluster.calls().stream().filter(c -> c.equals("evictPods batch/Job/nightly from " + POOL))
        .count(), "the refused eviction is tried again after resume");
  }
}
