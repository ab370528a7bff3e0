package dev.evolve.workflows;

import static dev.evolve.workflows.NodePoolUpgradeWorkflowTest.awaitProgress;
import static dev.evolve.workflows.NodePoolUpgradeWorkflowTest.request;
import static dev.evolve.workflows.NodePoolUpgradeWorkflowTest.result;
import static dev.evolve.workflows.Poll.sleep;
import static dev.evolve.workflows.NodePoolUpgradeWorkflowTest.start;
import static dev.evolve.workflows.ScriptedCluster.POOL;
import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertTrue;

import dev.evolve.workflows.activities.FailureTypes;
import dev.evolve.workflows.model.CycleStatus;
import dev.evolve.workflows.model.Progress;
import io.temporal.failure.ApplicationFailure;
import io.temporal.testing.TestWorkflowEnvironment;
import io.temporal.testing.TestWorkflowExtension;
import io.temporal.worker.Worker;
import java.util.List;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.extension.RegisterExtension;

/** A user's pause and the holds the cycle takes itself are kept apart. */
class PauseAndHoldTest {

  @RegisterExtension
  static final TestWorkflowExtension testWorkflow = CycleTestExtension.create();

  static final String PDB_REFUSAL =
      "eviction of batch/nightly-x refused for 900s by PodDisruptionBudget batch/nightly";

  /** The user pauses during a move, and the same move then meets a budget that keeps refusing. */
  static ScriptedCluster pausedThenHeld(NodePoolUpgradeWorkflow[] self) {
    ScriptedCluster cluster = ScriptedCluster.standard().failNext("evictPods",
        ApplicationFailure.newNonRetryableFailure(PDB_REFUSAL, FailureTypes.EVICTION_BLOCKED));
    cluster.onCall("evictPods", call -> {
      if (call.startsWith("batch/Job/nightly from " + POOL) && cluster.calls().stream()
          .filter(c -> c.equals("evictPods batch/Job/nightly from " + POOL)).count() == 1) {
        self[0].pause("change freeze");
      }
    });
    return cluster;
  }

  @Test
  void aHoldKeepsTheUsersPauseAndOneResumeReleasesOnlyTheHold(TestWorkflowEnvironment env, Worker worker) {
    NodePoolUpgradeWorkflow[] self = new NodePoolUpgradeWorkflow[1];
    ScriptedCluster cluster = pausedThenHeld(self);
    self[0] = start(env, cluster, worker, request(1));

    Progress held = awaitProgress(self[0], p -> p.status() == CycleStatus.PAUSED);
    assertTrue(held.pauseReason().contains("PodDisruptionBudget batch/nightly"), held.pauseReason());

    self[0].resume();

    // the hold is released and the refused eviction goes through; the user's pause then holds
    // the cycle at the next safe point, with the user's own reason
    Progress paused = awaitProgress(self[0], p -> cluster.calls().stream()
        .filter(c -> c.equals("evictPods batch/Job/nightly from " + POOL)).count() == 2
        && p.status() != CycleStatus.RUNNING);
    assertEquals(CycleStatus.PAUSED, paused.status(), paused.toString());
    assertEquals("change freeze", paused.pauseReason());
    List<String> heldAt = cluster.changes();
    sleep(200);
    assertEquals(heldAt, cluster.changes(), "something changed while the user's pause stood");

    self[0].resume();
    assertEquals(CycleStatus.SUCCEEDED, result(self[0]).status());
  }
}
