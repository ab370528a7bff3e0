package dev.evolve.workflows;

import static dev.evolve.workflows.NodePoolUpgradeWorkflowTest.awaitProgress;
import static dev.evolve.workflows.NodePoolUpgradeWorkflowTest.request;
import static dev.evolve.workflows.NodePoolUpgradeWorkflowTest.result;
import static dev.evolve.workflows.NodePoolUpgradeWorkflowTest.start;
import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertNotNull;
import static org.junit.jupiter.api.Assertions.assertNull;
import static org.junit.jupiter.api.Assertions.assertThrows;
import static org.junit.jupiter.api.Assertions.assertTrue;

import dev.evolve.workflows.model.ApprovalInfo;
import dev.evolve.workflows.model.ApproveRequest;
import dev.evolve.workflows.model.ControlAnswer;
import dev.evolve.workflows.model.CycleStatus;
import dev.evolve.workflows.model.PauseRequest;
import dev.evolve.workflows.model.Progress;
import dev.evolve.workflows.model.ResumeRequest;
import dev.evolve.workflows.model.ResumeRequest.Target;
import dev.evolve.workflows.model.UpgradeRequest;
import dev.evolve.workflows.model.UpgradeResult;
import io.temporal.client.WorkflowNotFoundException;
import io.temporal.client.WorkflowUpdateException;
import io.temporal.testing.TestWorkflowEnvironment;
import io.temporal.testing.TestWorkflowExtension;
import io.temporal.worker.Worker;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.extension.RegisterExtension;
import org.junit.jupiter.api.function.Executable;

/** pauseCycle, resumeCycle and approveCycle: an answer for the caller, and a reason when refused. */
class UpdatesTest {

  @RegisterExtension
  static final TestWorkflowExtension testWorkflow = CycleTestExtension.create();

  /** The validator's reason, as the caller receives it. */
  static String refusal(Executable update) {
    WorkflowUpdateException refused = assertThrows(WorkflowUpdateException.class, update);
    Throwable cause = refused;
    while (cause.getCause() != null) {
      cause = cause.getCause();
    }
    return cause.getMessage();
  }

  @Test
  void aUsersPauseAndAHoldAreShownApartAndResumedOneByOne(TestWorkflowEnvironment env, Worker worker) {
    ScriptedCluster cluster = ScriptedCluster.standard().refuseGates(1);
    NodePoolUpgradeWorkflow workflow = start(env, cluster, worker, request(1));
    awaitProgress(workflow, p -> p.hold() != null);

    assertTrue(refusal(() -> workflow.resumeCycle(new ResumeRequest(Target.PAUSE, "bob")))
        .contains("no user's pause stands"));
    ControlAnswer paused = workflow.pauseCycle(new PauseRequest("change freeze", "alice"));
    assertTrue(paused.message().contains("after the hold"), paused.message());
    assertTrue(refusal(() -> workflow.pauseCycle(new PauseRequest("again", "carol")))
        .contains("already paused by alice: change freeze"));

    Progress both = workflow.progress();
    assertEquals(CycleStatus.PAUSED, both.hold().kind());
    assertTrue(both.hold().reason().contains("min.insync.replicas"), both.hold().reason());
    assertEquals("change freeze", both.userPause().reason());
    assertEquals("alice", both.userPause().requestedBy());
    assertFalse(both.userPause().inEffect());

    ControlAnswer resumed = workflow.resumeCycle(new ResumeRequest(null, "bob"));
    assertTrue(resumed.message().startsWith("released the hold"), resumed.message());
    assertTrue(resumed.message().contains("the pause by alice (change freeze) still stands"), resumed.message());
    assertNull(resumed.hold());

    Progress userPaused = awaitProgress(workflow, p -> p.userPause() != null && p.userPause().inEffect());
    assertEquals(CycleStatus.PAUSED, userPaused.status());
    assertEquals("change freeze", userPaused.pauseReason());
    assertNull(userPaused.hold());
    assertTrue(refusal(() -> workflow.resumeCycle(new ResumeRequest(Target.HOLD, "bob")))
        .contains("not held"));

    ControlAnswer released = workflow.resumeCycle(new ResumeRequest(Target.PAUSE, "alice"));
    assertTrue(released.message().startsWith("released the pause by alice"), released.message());
    assertEquals(CycleStatus.SUCCEEDED, result(workflow).status());
    // a closed cycle takes no update at all: the server answers that it is not running
    assertThrows(WorkflowNotFoundException.class, () -> workflow.pauseCycle(new PauseRequest("late", "dave")));
  }

  @Test
  void approvalIsRefusedWhenNobodyAskedForIt(TestWorkflowEnvironment env, Worker worker) {
    ScriptedCluster cluster = ScriptedCluster.standard();
    NodePoolUpgradeWorkflow workflow = start(env, cluster, worker, request(1));
    awaitProgress(workflow, p -> p.plan() != null);

    assertTrue(refusal(() -> workflow.approveCycle(new ApproveRequest("alice")))
        .contains("without requireApproval"));
    assertNull(result(workflow).approval());
  }

  @Test
  void whoApprovedAndWhenIsAnsweredShownAndKept(TestWorkflowEnvironment env, Worker worker) {
    ScriptedCluster cluster = ScriptedCluster.standard();
    UpgradeRequest needsApproval = ApprovalRecordTest.needingApproval();
    NodePoolUpgradeWorkflow workflow = start(env, cluster, worker, needsApproval);
    awaitProgress(workflow, p -> p.status() == CycleStatus.WAITING_FOR_APPROVAL);
    long before = env.currentTimeMillis();

    ControlAnswer answer = workflow.approveCycle(new ApproveRequest("alice"));

    assertTrue(answer.message().startsWith("approved by alice at "), answer.message());
    assertTrue(refusal(() -> workflow.approveCycle(new ApproveRequest("bob"))).contains("already approved by alice"));
    UpgradeResult result = result(workflow);
    ApprovalInfo approval = result.approval();
    assertNotNull(approval);
    assertEquals("alice", approval.approvedBy());
    assertEquals("update", approval.via());
    assertTrue(approval.approvedAtMillis() >= before - 1000 && approval.approvedAtMillis() <= env.currentTimeMillis(),
        approval.toString());
    assertEquals(approval, workflow.progress().approval());
  }
}
