package dev.evolve.starter;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertTrue;

import dev.evolve.workflows.NodePoolUpgradeWorkflow;
import dev.evolve.workflows.fleet.FleetUpgradeWorkflowImpl;
import dev.evolve.workflows.model.ApproveRequest;
import dev.evolve.workflows.model.ControlAnswer;
import dev.evolve.workflows.model.CycleStatus;
import dev.evolve.workflows.model.MoveBatchReport;
import dev.evolve.workflows.model.PauseRequest;
import dev.evolve.workflows.model.Phase;
import dev.evolve.workflows.model.Progress;
import dev.evolve.workflows.model.ResumeRequest;
import dev.evolve.workflows.model.UpgradeRequest;
import dev.evolve.workflows.model.UpgradeResult;
import io.temporal.workflow.Workflow;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.List;
import java.util.Map;
import java.util.function.Predicate;
import org.junit.jupiter.api.AfterAll;
import org.junit.jupiter.api.BeforeAll;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

/**
 * {@code ./evolve fleet}: the real fleet workflow on the test server, with stand-in cycles that
 * run until a test approves them, so that start, status, pause and resume can be watched from the
 * command line at each point.
 */
class FleetCommandsTest {

  static CliTestServer temporal;
  static String address;

  /** A cycle that waits to be approved, and is paused while a pause stands. */
  public static class StandInCycle implements NodePoolUpgradeWorkflow {
    private boolean approved;
    private String pause;

    @Override
    public UpgradeResult run(UpgradeRequest request) {
      Workflow.await(() -> approved && pause == null);
      return new UpgradeResult(CycleStatus.SUCCEEDED, null, request.targetVersion(), "DELETED", Map.of(), 3,
          List.of(), null);
    }

    @Override public void pause(String reason) { pause = reason; }
    @Override public void resume() { pause = null; }
    @Override public void approve(String approvedBy) { approved = true; }
    @Override public ControlAnswer pauseCycle(PauseRequest request) { return null; }
    @Override public void validatePause(PauseRequest request) {}
    @Override public ControlAnswer resumeCycle(ResumeRequest request) { return null; }
    @Override public void validateResume(ResumeRequest request) {}
    @Override public ControlAnswer approveCycle(ApproveRequest request) { return null; }
    @Override public void validateApprove(ApproveRequest request) {}
    @Override public void poolHeldBy(String holderWorkflowId) {}
    @Override public void moveBatchReport(MoveBatchReport report) {}

    @Override
    public Progress progress() {
      return new Progress(pause != null ? CycleStatus.PAUSED : CycleStatus.RUNNING, Phase.MIGRATE, "moving", Map.of(),
          pause, null, null, 0, null, null, null, null);
    }
  }

  @BeforeAll
  static void startServer() throws Exception {
    temporal = CliTestServer.start(NodePoolUpgradeWorkflow.TASK_QUEUE, FleetUpgradeWorkflowImpl.class,
        StandInCycle.class);
    address = temporal.address();
  }

  @AfterAll
  static void stopServer() {
    temporal.close();
  }

  static final String FLEET = """
      name: shop
      targetVersion: 1.33.5-gke.1201000
      canarySize: 1
      waveSize: 1
      defaults:
        tempPoolPolicy: DELETE
      pools:
        - {project: shop-prod, location: europe-west1, cluster: alpha, nodePool: default-pool}
        - {project: shop-prod, location: us-east1, cluster: beta, nodePool: default-pool}
      """;

  static String cycleId(String location, String cluster) {
    return "evolve-fleet/shop/shop-prod/" + location + "/" + cluster + "/default-pool";
  }

  @Test
  void startStatusPauseAndResumeAFleetFromTheCommandLine(@TempDir Path dir) throws Exception {
    Path file = Files.writeString(dir.resolve("fleet.yaml"), FLEET);

    EvolveCliTest.Run start = EvolveCliTest.run("fleet", "start", "--address", address, "--file", file.toString());
    assertEquals(0, start.exit(), start.err());
    assertTrue(start.out().contains("started fleet evolve-fleet/shop: 2 pools in 2 waves"), start.out());

    String running = awaitStatus(s -> s.contains("alpha/default-pool") && s.contains("RUNNING"));
    assertTrue(running.startsWith("fleet RUNNING, wave 1 of 2"), running);
    assertTrue(running.matches("(?s).*2 +shop-prod/us-east1/beta/default-pool +NOT_STARTED.*"), running);

    EvolveCliTest.Run pause = EvolveCliTest.run("fleet", "pause", "--address", address, "evolve-fleet/shop",
        "--reason", "change freeze");
    assertEquals(0, pause.exit(), pause.err());
    awaitStatus(s -> s.startsWith("fleet PAUSED") && s.contains("paused: change freeze"));
    NodePoolUpgradeWorkflow canary = temporal.client().newWorkflowStub(NodePoolUpgradeWorkflow.class,
        cycleId("europe-west1", "alpha"));
    awaitTrue(() -> canary.progress().pauseReason() != null);
    assertTrue(canary.progress().pauseReason().contains("change freeze"), "the pause reached the running cycle");

    canary.approve("alice");
    Thread.sleep(500);
    assertTrue(status().contains("NOT_STARTED"), "no cycle ends or starts while the fleet is paused");

    // named by its file as well as by its id
    EvolveCliTest.Run resume = EvolveCliTest.run("fleet", "resume", "--address", address, "--file", file.toString());
    assertEquals(0, resume.exit(), resume.err());
    awaitStatus(s -> s.contains("alpha/default-pool") && s.contains("SUCCEEDED, pool at 1.33.5-gke.1201000"));

    NodePoolUpgradeWorkflow second = temporal.client().newWorkflowStub(NodePoolUpgradeWorkflow.class,
        cycleId("us-east1", "beta"));
    awaitTrue(() -> {
      try {
        second.approve("alice");
        return true;
      } catch (io.temporal.client.WorkflowNotFoundException notStartedYet) {
        return false;
      }
    });
    String done = awaitStatus(s -> s.startsWith("fleet SUCCEEDED"));
    assertTrue(done.contains("wave 2 of 2"), done);

    EvolveCliTest.Run late = EvolveCliTest.run("fleet", "pause", "--address", address, "evolve-fleet/shop");
    assertEquals(1, late.exit());
    assertTrue(late.err().contains("has ended"), late.err());
    EvolveCliTest.Run unnamed = EvolveCliTest.run("fleet", "status", "--address", address);
    assertEquals(2, unnamed.exit());
    assertTrue(unnamed.err().contains("by its workflow id or by --file"), unnamed.err());
  }

  @Test
  void aBadFleetFileNamesTheFieldsAndStartsNothing(@TempDir Path dir) throws Exception {
    Path file = Files.writeString(dir.resolve("fleet.yaml"), FLEET.replace("waveSize: 1", "waveSize: 0")
        .replace("cluster: beta, nodePool: default-pool", "cluster: beta, nodePool: Default_Pool"));

    EvolveCliTest.Run run = EvolveCliTest.run("fleet", "start", "--address", address, "--file", file.toString(),
        "--workflow-id", "evolve-fleet/bad");

    assertEquals(2, run.exit(), run.out());
    assertTrue(run.err().contains("waveSize must be at least 1"), run.err());
    assertTrue(run.err().contains("pools[1] (shop-prod/us-east1/beta/Default_Pool): tempPool.name"), run.err());
    assertTrue(run.err().contains("nothing was started"), run.err());
  }

  static String status() {
    EvolveCliTest.Run run = EvolveCliTest.run("fleet", "status", "--address", address, "evolve-fleet/shop");
    return run.exit() == 0 ? run.out() : run.err();
  }

  static String awaitStatus(Predicate<String> condition) {
    long deadline = System.currentTimeMillis() + 20_000;
    String last = status();
    while (!condition.test(last)) {
      if (System.currentTimeMillis() > deadline) {
        throw new AssertionError("status never matched; last:\n" + last);
      }
      sleepALittle();
      last = status();
    }
    return last;
  }

  static void awaitTrue(java.util.function.BooleanSupplier condition) {
    long deadline = System.currentTimeMillis() + 20_000;
    while (!condition.getAsBoolean()) {
      if (System.currentTimeMillis() > deadline) {
        throw new AssertionError("condition never met");
      }
      sleepALittle();
    }
  }

  static void sleepALittle() {
    try {
      Thread.sleep(100);
    } catch (InterruptedException e) {
      Thread.currentThread().interrupt();
      throw new AssertionError(e);
    }
  }
}
