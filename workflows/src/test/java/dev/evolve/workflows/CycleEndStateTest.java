package dev.evolve.workflows;

import static dev.evolve.workflows.NodePoolUpgradeWorkflowTest.failureOf;
import static dev.evolve.workflows.NodePoolUpgradeWorkflowTest.request;
import static dev.evolve.workflows.NodePoolUpgradeWorkflowTest.start;
import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertThrows;
import static org.junit.jupiter.api.Assertions.assertTrue;

import dev.evolve.workflows.activities.FailureTypes;
import dev.evolve.workflows.model.CycleStatus;
import dev.evolve.workflows.model.Progress;
import io.temporal.client.WorkflowFailedException;
import io.temporal.client.WorkflowStub;
import io.temporal.failure.ApplicationFailure;
import io.temporal.testing.TestWorkflowEnvironment;
import io.temporal.testing.TestWorkflowExtension;
import io.temporal.worker.Worker;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.extension.RegisterExtension;

/** A cycle that ended says so, in the progress query and in the EvolvePhase search attribute. */
class CycleEndStateTest {

  @RegisterExtension
  static final TestWorkflowExtension testWorkflow = CycleTestExtension.create();

  static String phaseAttribute(NodePoolUpgradeWorkflow workflow) {
    return WorkflowStub.fromTyped(workflow).describe().getTypedSearchAttributes().get(CycleSearchAttributes.PHASE);
  }

  @Test
  void aPrepareFailureIsReportedAsFailed(TestWorkflowEnvironment env, Worker worker) {
    ScriptedCluster cluster = ScriptedCluster.standard().failNext("describeCluster",
        ApplicationFailure.newNonRetryableFailure("cluster prod not found", FailureTypes.NOT_FOUND));
    NodePoolUpgradeWorkflow workflow = start(env, cluster, worker, request());

    assertThrows(WorkflowFailedException.class, () -> NodePoolUpgradeWorkflowTest.result(workflow));

    Progress end = workflow.progress();
    assertEquals(CycleStatus.FAILED, end.status(), end.toString());
    assertTrue(end.lastError() != null && end.lastError().contains("cluster prod not found"), end.toString());
    assertEquals("DONE", phaseAttribute(workflow));
  }

  @Test
  void evolvePhaseLeavesCompensateWhenTheRollbackEnds(TestWorkflowEnvironment env, Worker worker) {
    ScriptedCluster cluster = ScriptedCluster.standard().failNext("upgradePool",
        ApplicationFailure.newNonRetryableFailure("injected", FailureTypes.OPERATION_FAILED));
    NodePoolUpgradeWorkflow workflow = start(env, cluster, worker, request());

    failureOf(workflow);

    assertEquals(CycleStatus.ROLLED_BACK, workflow.progress().status());
    assertEquals("DONE", phaseAttribute(workflow));
  }
}
