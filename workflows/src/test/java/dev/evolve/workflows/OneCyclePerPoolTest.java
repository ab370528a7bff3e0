package dev.evolve.workflows;

import static dev.evolve.workflows.NodePoolUpgradeWorkflowTest.awaitProgress;
import static dev.evolve.workflows.NodePoolUpgradeWorkflowTest.failureOf;
import static dev.evolve.workflows.NodePoolUpgradeWorkflowTest.result;
import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertTrue;

import dev.evolve.workflows.model.CycleStatus;
import dev.evolve.workflows.model.PoolKey;
import dev.evolve.workflows.model.UpgradeRequest;
import io.temporal.api.enums.v1.ParentClosePolicy;
import io.temporal.api.enums.v1.WorkflowExecutionStatus;
import io.temporal.api.workflow.v1.PendingChildExecutionInfo;
import io.temporal.client.WorkflowClient;
import io.temporal.client.WorkflowOptions;
import io.temporal.client.WorkflowStub;
import io.temporal.failure.ApplicationFailure;
import io.temporal.testing.TestWorkflowEnvironment;
import io.temporal.testing.TestWorkflowExtension;
import io.temporal.worker.Worker;
import java.util.List;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.extension.RegisterExtension;

/**
 * The same pool is never in two running cycles, whatever their workflow ids (a hand-typed id in
 * the Web UI, a schedule's timestamped one, the CLI's): the second refuses before it reads or
 * changes anything, naming the running one. Other pools, including a pool of the same name in a
 * cluster of the same name in another project, run side by side.
 */
class OneCyclePerPoolTest {

  @RegisterExtension
  static final TestWorkflowExtension testWorkflow = CycleTestExtension.create();

  static NodePoolUpgradeWorkflow startAs(TestWorkflowEnvironment env, String taskQueue, String id,
      UpgradeRequest request) {
    NodePoolUpgradeWorkflow workflow = env.getWorkflowClient().newWorkflowStub(NodePoolUpgradeWorkflow.class,
        WorkflowOptions.newBuilder().setTaskQueue(taskQueue).setWorkflowId(id).build());
    WorkflowClient.start(workflow::run, request);
    return workflow;
  }

  static UpgradeRequest inProject(String project, UpgradeRequest base) {
    return base.toBuilder().project(project).build();
  }

  @Test
  void aSecondCycleOnTheSamePoolRefusesNamingTheRunningOneAndTouchesNothing(TestWorkflowEnvironment env,
      Worker worker) {
    ScriptedCluster cluster = ScriptedCluster.standard();
    worker.registerActivitiesImplementations(cluster);
    env.start();
    NodePoolUpgradeWorkflow first = startAs(env, worker.getTaskQueue(), "evolve-from-the-cli",
        ApprovalRecordTest.needingApproval());
    awaitProgress(first, p -> p.status() == CycleStatus.WAITING_FOR_APPROVAL);
    List<String> callsBefore = cluster.calls();

    NodePoolUpgradeWorkflow second = startAs(env, worker.getTaskQueue(), "typed-by-hand-in-the-ui",
        NodePoolUpgradeWorkflowTest.request(1));

    ApplicationFailure refusal = failureOf(second);
    assertEquals("PoolInAnotherCycle", refusal.getType());
    assertTrue(refusal.isNonRetryable());
    assertTrue(refusal.getOriginalMessage().contains("evolve-from-the-cli"), refusal.getOriginalMessage());
    assertEquals(callsBefore, cluster.calls(), "the refused cycle called an activity");

    first.approve("alice");
    assertEquals(CycleStatus.SUCCEEDED, result(first).status());
    // the lock went with the first cycle: the pool takes a cycle again
    NodePoolUpgradeWorkflow third = startAs(env, worker.getTaskQueue(), "evolve-next-week",
        NodePoolUpgradeWorkflowTest.request(1));
    assertEquals(CycleStatus.NOTHING_TO_DO, result(third).status());
  }

  @Test
  void theSamePoolNameInAnotherProjectRunsSideBySide(TestWorkflowEnvironment env, Worker worker) {
    ScriptedCluster here = ScriptedCluster.standard();
    worker.registerActivitiesImplementations(here);
    Worker elsewhere = env.newWorker("other-project");
    elsewhere.registerWorkflowImplementationTypes(CycleTestExtension.WORKFLOWS);
    ScriptedCluster there = ScriptedCluster.standard();
    elsewhere.registerActivitiesImplementations(there);
    env.start();

    NodePoolUpgradeWorkflow first = startAs(env, worker.getTaskQueue(), "cycle-here",
        ApprovalRecordTest.needingApproval());
    NodePoolUpgradeWorkflow second = startAs(env, "other-project", "cycle-there",
        inProject("another-project", ApprovalRecordTest.needingApproval()));
    awaitProgress(first, p -> p.status() == CycleStatus.WAITING_FOR_APPROVAL);
    awaitProgress(second, p -> p.status() == CycleStatus.WAITING_FOR_APPROVAL);
    first.approve("alice");
    second.approve("bob");

    assertEquals(CycleStatus.SUCCEEDED, result(first).status());
    assertEquals(CycleStatus.SUCCEEDED, result(second).status());
  }

  /**
   * A cycle terminated by hand runs no release: the server ends its lock with it because the lock
   * is its child with parent-close policy TERMINATE. The in-process test server records that
   * policy but does not enforce it, so this checks the policy the server will apply.
   */
  @Test
  void theLockIsAChildTheServerEndsWithItsCycle(TestWorkflowEnvironment env, Worker worker) {
    worker.registerActivitiesImplementations(ScriptedCluster.standard());
    env.start();
    NodePoolUpgradeWorkflow first = startAs(env, worker.getTaskQueue(), "terminated-by-hand",
        ApprovalRecordTest.needingApproval());
    awaitProgress(first, p -> p.status() == CycleStatus.WAITING_FOR_APPROVAL);
    String lockId = PoolKey.of(ApprovalRecordTest.needingApproval()).lockId();

    List<PendingChildExecutionInfo> children = WorkflowStub.fromTyped(first).describe().getRawDescription()
        .getPendingChildrenList();

    assertEquals(1, children.size(), children.toString());
    assertEquals(lockId, children.get(0).getWorkflowId());
    assertEquals(ParentClosePolicy.PARENT_CLOSE_POLICY_TERMINATE, children.get(0).getParentClosePolicy());
    assertEquals(WorkflowExecutionStatus.WORKFLOW_EXECUTION_STATUS_RUNNING,
        env.getWorkflowClient().newUntypedWorkflowStub(lockId).describe().getStatus());
  }
}
