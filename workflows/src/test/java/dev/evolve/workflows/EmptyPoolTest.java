package dev.evolve.workflows;

import static dev.evolve.workflows.NodePoolUpgradeWorkflowTest.failureOf;
import static dev.evolve.workflows.NodePoolUpgradeWorkflowTest.indexOf;
import static dev.evolve.workflows.NodePoolUpgradeWorkflowTest.result;
import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertTrue;

import dev.evolve.workflows.model.CycleStatus;
import dev.evolve.workflows.model.UpgradeResult;
import io.temporal.failure.ApplicationFailure;
import io.temporal.testing.TestWorkflowEnvironment;
import io.temporal.testing.TestWorkflowExtension;
import io.temporal.worker.Worker;
import java.util.List;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.extension.RegisterExtension;

/**
 * A pool with nothing to move is upgraded without a temporary pool, but not as it stands: it was
 * empty when the inventory looked, and pods may have started on it since. It is cordoned and
 * emptied through the Eviction API first, and made schedulable again once upgraded.
 */
class EmptyPoolTest {

  @RegisterExtension
  static final TestWorkflowExtension testWorkflow = CycleTestExtension.create();

  @Test
  void aPoolWithNothingToMoveIsCordonedAndEmptiedBeforeItsNodesAreReplaced(TestWorkflowEnvironment env,
      Worker worker) {
    ScriptedCluster cluster = new ScriptedCluster();

    UpgradeResult done = result(NodePoolUpgradeWorkflowTest.start(env, cluster, worker,
        NodePoolUpgradeWorkflowTest.request(1).toBuilder().kafka(null).build()));

    assertEquals(CycleStatus.SUCCEEDED, done.status());
    assertEquals(ScriptedCluster.CONTROL_PLANE, cluster.poolVersion(ScriptedCluster.POOL));
    List<String> calls = cluster.calls();
    assertEquals(-1, indexOf(calls, "createTempPool"), "nothing to move needs no temporary pool: " + calls);
    int cordon = indexOf(calls, "cordonPool " + ScriptedCluster.POOL);
    int evacuate = indexOf(calls, "evacuatePool " + ScriptedCluster.POOL);
    int upgrade = indexOf(calls, "upgradePool " + ScriptedCluster.POOL);
    int uncordon = indexOf(calls, "uncordonPool " + ScriptedCluster.POOL);
    assertTrue(0 <= cordon && cordon < evacuate && evacuate < upgrade && upgrade < uncordon, calls.toString());
  }

  @Test
  void aPodWithoutAControllerThatStartedMeanwhileStopsTheUpgradeAndThePoolIsUncordoned(
      TestWorkflowEnvironment env, Worker worker) {
    ScriptedCluster cluster = new ScriptedCluster();
    // someone starts a bare pod on the pool after the inventory: nothing would bring it back
    cluster.onCall("cordonPool", pool -> cluster.strayPod("tools/debug-shell", ScriptedCluster.POOL));

    ApplicationFailure failure = failureOf(NodePoolUpgradeWorkflowTest.start(env, cluster, worker,
        NodePoolUpgradeWorkflowTest.request(1).toBuilder().kafka(null).build()));

    assertTrue(failure.getOriginalMessage().contains("tools/debug-shell"), failure.getOriginalMessage());
    List<String> calls = cluster.calls();
    assertEquals(-1, indexOf(calls, "upgradePool"), "the pool was not upgraded under the pod: " + calls);
    assertTrue(indexOf(calls, "uncordonPool " + ScriptedCluster.POOL) > indexOf(calls, "evacuatePool"),
        "the rollback made the pool schedulable again: " + calls);
    assertEquals(ScriptedCluster.OLD, cluster.poolVersion(ScriptedCluster.POOL));
  }
}
