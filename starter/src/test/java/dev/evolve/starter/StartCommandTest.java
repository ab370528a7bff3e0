package dev.evolve.starter;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertNotEquals;
import static org.junit.jupiter.api.Assertions.assertTrue;

import dev.evolve.workflows.NodePoolUpgradeWorkflow;
import dev.evolve.workflows.PoolLockWorkflow;
import dev.evolve.workflows.PoolLockWorkflowImpl;
import dev.evolve.workflows.model.ApproveRequest;
import dev.evolve.workflows.model.ControlAnswer;
import dev.evolve.workflows.model.PauseRequest;
import dev.evolve.workflows.model.PoolKey;
import dev.evolve.workflows.model.Progress;
import dev.evolve.workflows.model.ResumeRequest;
import dev.evolve.workflows.model.UpgradeRequest;
import dev.evolve.workflows.model.UpgradeResult;
import io.temporal.failure.ApplicationFailure;
import io.temporal.workflow.Async;
import io.temporal.workflow.ChildWorkflowOptions;
import io.temporal.workflow.Workflow;
import org.junit.jupiter.api.AfterAll;
import org.junit.jupiter.api.BeforeAll;
import org.junit.jupiter.api.Test;

/**
 * {@code ./evolve start} gives every cycle of a pool the same id, made of project, location,
 * cluster and pool, and answers a refusal clearly: a cycle already running under that id, or a
 * cycle the pool's lock refused because another one (started by a schedule, or by hand with
 * another id) holds the pool.
 */
class StartCommandTest {

  static CliTestServer temporal;
  static String address;

  /**
   * Takes the pool's lock as the cycle does and runs until cancelled; in project "busy" it is
   * refused the way the pool's lock refuses.
   */
  public static class StandInCycle implements NodePoolUpgradeWorkflow {
    @Override
    public UpgradeResult run(UpgradeRequest request) {
      if ("busy".equals(request.project())) {
        throw ApplicationFailure.newNonRetryableFailure("pool default-pool of cluster prod (project busy,"
            + " europe-west1) is already being upgraded by cycle nightly-by-hand; nothing was read or changed",
            "PoolInAnotherCycle", "nightly-by-hand");
      }
      PoolLockWorkflow lock = Workflow.newChildWorkflowStub(PoolLockWorkflow.class,
          ChildWorkflowOptions.newBuilder().setWorkflowId(PoolKey.of(request).lockId()).build());
      Async.procedure(lock::hold, Workflow.getInfo().getWorkflowId());
      Workflow.getWorkflowExecution(lock).get();
      Workflow.await(() -> false);
      return null;
    }

    @Override public void pause(String reason) {}
    @Override public void resume() {}
    @Override public void approve(String approvedBy) {}
    @Override public void poolHeldBy(String holderWorkflowId) {}
    @Override public void moveBatchReport(dev.evolve.workflows.model.MoveBatchReport report) {}
    @Override public ControlAnswer pauseCycle(PauseRequest request) { return null; }
    @Override public void validatePause(PauseRequest request) {}
    @Override public ControlAnswer resumeCycle(ResumeRequest request) { return null; }
    @Override public void validateResume(ResumeRequest request) {}
    @Override public ControlAnswer approveCycle(ApproveRequest request) { return null; }
    @Override public void validateApprove(ApproveRequest request) {}
    @Override public Progress progress() { return null; }
  }

  @BeforeAll
  static void startServer() throws Exception {
    temporal = CliTestServer.start("cli-start", StandInCycle.class, PoolLockWorkflowImpl.class);
    address = temporal.address();
  }

  @AfterAll
  static void stopServer() {
    temporal.close();
  }

  static EvolveCliTest.Run start(String project, String cluster) {
    return EvolveCliTest.run("start", "--address", address, "--task-queue", "cli-start", "--project", project,
        "--location", "europe-west1", "--cluster", cluster, "--pool", "default-pool", "--target-version", "-");
  }

  @Test
  void theSameClusterAndPoolNamesInTwoProjectsAreTwoCyclesButTheSamePoolIsRefusedNamingTheRunningOne() {
    EvolveCliTest.Run first = start("shop-prod", "prod");
    EvolveCliTest.Run otherProject = start("shop-staging", "prod");
    EvolveCliTest.Run again = start("shop-prod", "prod");

    assertEquals(0, first.exit(), first.err());
    assertTrue(first.out().contains("evolve/shop-prod/europe-west1/prod/default-pool"), first.out());
    assertEquals(0, otherProject.exit(), otherProject.err());
    assertEquals(1, again.exit(), again.out());
    assertTrue(again.err().contains("already running as evolve/shop-prod/europe-west1/prod/default-pool"),
        again.err());
  }

  @Test
  void aCycleRefusedByThePoolsLockIsReportedWithTheHolderAndExitCode1() {
    EvolveCliTest.Run refused = start("busy", "prod");

    assertEquals(1, refused.exit(), refused.out());
    assertTrue(refused.err().contains("already being upgraded by cycle nightly-by-hand"), refused.err());
    assertTrue(refused.err().contains("./evolve status nightly-by-hand"), refused.err());
  }

  @Test
  void theDefaultIdTellsPoolsOfTheSameNameApart() {
    UpgradeRequest a = UpgradeRequest.builder("a-b", "c", "prod", "pool", "-").build();
    UpgradeRequest b = UpgradeRequest.builder("a", "b-c", "prod", "pool", "-").build();

    assertNotEquals(StartCommand.defaultWorkflowId(a), StartCommand.defaultWorkflowId(b));
  }
}
