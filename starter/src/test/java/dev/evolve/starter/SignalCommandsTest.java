package dev.evolve.starter;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertTrue;

import dev.evolve.workflows.NodePoolUpgradeWorkflow;
import dev.evolve.workflows.model.ApproveRequest;
import dev.evolve.workflows.model.ControlAnswer;
import dev.evolve.workflows.model.CycleStatus;
import dev.evolve.workflows.model.HoldInfo;
import dev.evolve.workflows.model.PauseInfo;
import dev.evolve.workflows.model.PauseRequest;
import dev.evolve.workflows.model.Progress;
import dev.evolve.workflows.model.ResumeRequest;
import dev.evolve.workflows.model.UpgradeRequest;
import dev.evolve.workflows.model.UpgradeResult;
import io.temporal.client.WorkflowClient;
import io.temporal.client.WorkflowOptions;
import io.temporal.workflow.Workflow;
import java.util.ArrayList;
import java.util.List;
import org.junit.jupiter.api.AfterAll;
import org.junit.jupiter.api.BeforeAll;
import org.junit.jupiter.api.Test;

/**
 * pause, resume and approve go through the cycle's updates: the CLI prints the cycle's answer, and
 * a refusal with the validator's reason and exit code 1. The cycle here is a stand-in that holds
 * (a budget refusing) while a user's pause stands, answering the way the real one does.
 */
class SignalCommandsTest {

  static CliTestServer temporal;
  static String address;
  static final List<String> received = new ArrayList<>();

  /** A cycle held by a budget, with alice's pause standing behind the hold. */
  public static class HeldCycle implements NodePoolUpgradeWorkflow {
    private HoldInfo hold = new HoldInfo(CycleStatus.PAUSED, "PodDisruptionBudget shop/cart refuses", 0L);
    private PauseInfo pause = new PauseInfo("change freeze", "alice", 0L, false);

    @Override
    public UpgradeResult run(UpgradeRequest request) {
      Workflow.await(() -> hold == null && pause == null);
      return null;
    }

    @Override public void pause(String reason) {}
    @Override public void resume() {}
    @Override public void approve(String approvedBy) {}
    @Override public void poolHeldBy(String holderWorkflowId) {}
    @Override public void moveBatchReport(dev.evolve.workflows.model.MoveBatchReport report) {}

    @Override
    public ControlAnswer pauseCycle(PauseRequest request) {
      return null;
    }

    @Override
    public void validatePause(PauseRequest request) {
      throw new IllegalStateException("already paused by alice: change freeze");
    }

    @Override
    public ControlAnswer resumeCycle(ResumeRequest request) {
      synchronized (received) {
        received.add(request.target() + " by " + request.by());
      }
      hold = null;
      return new ControlAnswer("released the hold (PAUSED: PodDisruptionBudget shop/cart refuses); the pause by alice"
          + " (change freeze) still stands and takes effect at the next safe point: resume again to release it",
          CycleStatus.RUNNING, pause, null, null);
    }

    @Override
    public void validateResume(ResumeRequest request) {
      if (request.target() == ResumeRequest.Target.PAUSE) {
        throw new IllegalStateException("no user's pause stands");
      }
    }

    @Override
    public ControlAnswer approveCycle(ApproveRequest request) {
      return null;
    }

    @Override
    public void validateApprove(ApproveRequest request) {
      throw new IllegalStateException("this cycle was started without requireApproval: nothing waits for an approval");
    }

    @Override
    public Progress progress() {
      return null;
    }
  }

  @BeforeAll
  static void startServer() throws Exception {
    temporal = CliTestServer.start("cli-test", HeldCycle.class);
    address = temporal.address();
    NodePoolUpgradeWorkflow cycle = temporal.client().newWorkflowStub(NodePoolUpgradeWorkflow.class,
        WorkflowOptions.newBuilder().setTaskQueue("cli-test").setWorkflowId("evolve-prod-default-pool").build());
    WorkflowClient.start(cycle::run, (UpgradeRequest) null);
  }

  @AfterAll
  static void stopServer() {
    temporal.close();
  }

  @Test
  void resumeSaysWhatItReleasedAndWhatStillStands() {
    EvolveCliTest.Run run = EvolveCliTest.run("resume", "--address", address, "evolve-prod-default-pool", "--by", "bob");

    assertEquals(0, run.exit(), run.err());
    assertTrue(run.out().contains("released the hold"), run.out());
    assertTrue(run.out().contains("paused by alice"), run.out());
    assertTrue(run.out().contains("[resume --pause releases it]"), run.out());
    synchronized (received) {
      assertTrue(received.contains("null by bob"), received.toString());
    }
  }

  @Test
  void aRefusalIsPrintedWithTheCyclesReason() {
    EvolveCliTest.Run pause = EvolveCliTest.run("resume", "--pause", "--address", address, "evolve-prod-default-pool");
    EvolveCliTest.Run approve = EvolveCliTest.run("approve", "--address", address, "evolve-prod-default-pool");

    assertEquals(1, pause.exit(), pause.out() + pause.err());
    assertTrue(pause.err().contains("refused: no user's pause stands"), pause.err());
    assertEquals(1, approve.exit());
    assertTrue(approve.err().contains("refused: this cycle was started without requireApproval"), approve.err());
  }
}
