package dev.evolve.workflows.fleet;

import static dev.evolve.workflows.Poll.sleep;
import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertInstanceOf;
import static org.junit.jupiter.api.Assertions.assertThrows;
import static org.junit.jupiter.api.Assertions.assertTrue;

import dev.evolve.workflows.CycleTestExtension;
import dev.evolve.workflows.CycleWorkflows;
import dev.evolve.workflows.NodePoolUpgradeWorkflow;
import dev.evolve.workflows.Poll;
import dev.evolve.workflows.ScriptedCluster;
import dev.evolve.workflows.activities.FailureTypes;
import dev.evolve.workflows.model.CycleStatus;
import dev.evolve.workflows.model.Progress;
import dev.evolve.workflows.model.UpgradeRequest;
import io.temporal.client.WorkflowClient;
import io.temporal.client.WorkflowFailedException;
import io.temporal.client.WorkflowOptions;
import io.temporal.client.WorkflowStub;
import io.temporal.failure.ApplicationFailure;
import io.temporal.testing.TestWorkflowEnvironment;
import io.temporal.testing.TestWorkflowExtension;
import io.temporal.worker.Worker;
import java.time.Duration;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.concurrent.CountDownLatch;
import java.util.concurrent.TimeUnit;
import java.util.function.Predicate;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.extension.RegisterExtension;

/**
 * A fleet of three clusters, each reached by its own worker on its own task queue (as in-cluster
 * workers would be), on the scripted fake cluster: waves in order with the soak between them, a
 * failed canary stopping the rest before they are touched, a fleet-wide pause and resume, a cycle
 * waiting for a human holding the next wave, and a bad request refused whole.
 */
class FleetUpgradeWorkflowTest {

  @RegisterExtension
  static final TestWorkflowExtension testWorkflow = CycleTestExtension.create();

  static final List<String> CLUSTERS = List.of("alpha", "beta", "gamma");

  /** One scripted cluster per worker, by cluster name. */
  final Map<String, ScriptedCluster> clusters = new LinkedHashMap<>();

  void startWorkers(TestWorkflowEnvironment env) {
    for (String name : CLUSTERS) {
      ScriptedCluster cluster = clusters.computeIfAbsent(name, n -> ScriptedCluster.standard());
      Worker worker = env.newWorker(queueOf(name));
      worker.registerWorkflowImplementationTypes(CycleWorkflows.implementations());
      worker.registerActivitiesImplementations(cluster);
    }
    env.start();
  }

  static String queueOf(String cluster) {
    return "evolve-" + cluster;
  }

  static FleetRequest fleet(long soakSeconds, UpgradeRequest defaults) {
    List<FleetPool> pools = CLUSTERS.stream().map(c -> new FleetPool("shop-prod", "europe-west1", c,
        ScriptedCluster.POOL, null, queueOf(c), null)).toList();
    return new FleetRequest("shop", ScriptedCluster.CONTROL_PLANE, 1, 2, soakSeconds, null, defaults, pools);
  }

  static FleetUpgradeWorkflow start(TestWorkflowEnvironment env, Worker worker, FleetRequest request) {
    FleetUpgradeWorkflow fleet = env.getWorkflowClient().newWorkflowStub(FleetUpgradeWorkflow.class,
        WorkflowOptions.newBuilder().setTaskQueue(worker.getTaskQueue()).setWorkflowId("evolve-fleet/shop").build());
    WorkflowClient.start(fleet::run, request);
    return fleet;
  }

  static String path(String cluster) {
    return "shop-prod/europe-west1/" + cluster + "/" + ScriptedCluster.POOL;
  }

  @Test
  void theCanaryGoesFirstThenTheSoakThenTheOthersSideBySide(TestWorkflowEnvironment env, Worker worker) {
    startWorkers(env);
    // a soak in real time: the test server's time skipping once stayed locked on a heavily loaded machine
    FleetUpgradeWorkflow fleet = start(env, worker, fleet(2, null));

    FleetResult result = WorkflowStub.fromTyped(fleet).getResult(FleetResult.class);

    assertEquals(FleetStatus.SUCCEEDED, result.status());
    clusters.forEach((name, cluster) -> {
      assertEquals(ScriptedCluster.CONTROL_PLANE, cluster.poolVersion(ScriptedCluster.POOL), name);
      assertFalse(cluster.poolExists(ScriptedCluster.POOL + "-temp"), name + "'s temporary pool is gone");
      assertEquals(List.of(), cluster.violations(), name);
    });
    FleetPoolProgress canary = result.pools().get(0);
    assertEquals(path("alpha"), canary.pool());
    assertEquals(1, canary.wave());
    for (FleetPoolProgress later : result.pools().subList(1, 3)) {
      assertEquals(2, later.wave(), later.toString());
      assertEquals("SUCCEEDED", later.status());
      assertTrue(later.startedAtMillis() >= canary.endedAtMillis() + Duration.ofSeconds(2).toMillis(),
          "wave 2 started after the canary's end and the soak: " + later + " vs " + canary);
      assertEquals("evolve-fleet/shop/" + later.pool(), later.workflowId());
    }
    assertEquals(result.pools().get(1).startedAtMillis(), result.pools().get(2).startedAtMillis(),
        "the second wave's two cycles started together");
  }

  @Test
  void aFailedCanaryStopsTheFleetBeforeAnyOtherClusterIsTouched(TestWorkflowEnvironment env, Worker worker) {
    clusters.put("alpha", ScriptedCluster.standard().failNext("createTempPool", ApplicationFailure
        .newNonRetryableFailure("Insufficient regional quota to satisfy request: resource \"CPUS\"",
            FailureTypes.QUOTA_EXCEEDED)));
    startWorkers(env);
    FleetUpgradeWorkflow fleet = start(env, worker, fleet(600, null));

    WorkflowFailedException failed = assertThrows(WorkflowFailedException.class,
        () -> WorkflowStub.fromTyped(fleet).getResult(FleetResult.class));

    ApplicationFailure stop = assertInstanceOf(ApplicationFailure.class, failed.getCause());
    assertEquals(FleetUpgradeWorkflow.STOPPED, stop.getType());
    String message = stop.getOriginalMessage();
    assertTrue(message.startsWith("the canary wave failed: " + path("alpha")), message);
    assertTrue(message.contains("quota"), message);
    assertTrue(message.endsWith("not started: " + path("beta") + ", " + path("gamma")), message);
    FleetResult result = stop.getDetails().get(FleetResult.class);
    assertEquals(FleetStatus.STOPPED, result.status());
    assertEquals(List.of("ROLLED_BACK", "NOT_STARTED", "NOT_STARTED"),
        result.pools().stream().map(FleetPoolProgress::status).toList());
    assertEquals(List.of(), clusters.get("beta").calls(), "beta was never touched");
    assertEquals(List.of(), clusters.get("gamma").calls(), "gamma was never touched");
    assertEquals(ScriptedCluster.OLD, clusters.get("alpha").poolVersion(ScriptedCluster.POOL));
    assertFalse(clusters.get("alpha").poolExists(ScriptedCluster.POOL + "-temp"));
    assertEquals(FleetStatus.STOPPED, fleet.progress().status(), "the query answers after the end too");
  }

  @Test
  void pauseAndResumeReachTheRunningCyclesAndHoldTheWaves(TestWorkflowEnvironment env, Worker worker)
      throws InterruptedException {
    CountDownLatch inMigrate = new CountDownLatch(1);
    CountDownLatch release = new CountDownLatch(1);
    clusters.put("alpha", ScriptedCluster.standard().onCall("moveDeployment", call -> {
      inMigrate.countDown();
      await(release);
    }));
    startWorkers(env);
    FleetUpgradeWorkflow fleet = start(env, worker, fleet(0, null));
    assertTrue(inMigrate.await(20, TimeUnit.SECONDS), "the canary reached MIGRATE");

    fleet.pause("change freeze");
    release.countDown();

    NodePoolUpgradeWorkflow canary = env.getWorkflowClient().newWorkflowStub(NodePoolUpgradeWorkflow.class,
        "evolve-fleet/shop/" + path("alpha"));
    Progress paused = awaitCycle(canary, p -> p.status() == CycleStatus.PAUSED);
    assertTrue(paused.pauseReason().contains("change freeze"), paused.pauseReason());
    FleetProgress progress = awaitFleet(fleet, p -> "PAUSED".equals(p.pools().get(0).status()));
    assertEquals(FleetStatus.PAUSED, progress.status());
    assertEquals("change freeze", progress.pauseReason());
    assertEquals(List.of("PAUSED", "NOT_STARTED", "NOT_STARTED"),
        progress.pools().stream().map(FleetPoolProgress::status).toList());

    fleet.resume();

    FleetResult result = WorkflowStub.fromTyped(fleet).getResult(FleetResult.class);
    assertEquals(FleetStatus.SUCCEEDED, result.status());
    assertEquals(List.of("SUCCEEDED", "SUCCEEDED", "SUCCEEDED"),
        result.pools().stream().map(FleetPoolProgress::status).toList());
  }

  @Test
  void aCycleWaitingForAHumanHoldsTheNextWave(TestWorkflowEnvironment env, Worker worker) {
    startWorkers(env);
    FleetUpgradeWorkflow fleet = start(env, worker, fleet(0,
        UpgradeRequest.builder(null, null, null, null, null).requireApproval(true).build()));

    FleetProgress waiting = awaitFleet(fleet, p -> p.status() == FleetStatus.WAITING_ON_CYCLE);
    assertEquals(CycleStatus.WAITING_FOR_APPROVAL.name(), waiting.pools().get(0).status());
    assertEquals(FleetPoolProgress.NOT_STARTED, waiting.pools().get(1).status());
    assertEquals(List.of(), clusters.get("beta").calls());

    // each cycle asks for its own approval: approve them as they come
    for (String name : CLUSTERS) {
      NodePoolUpgradeWorkflow cycle = env.getWorkflowClient().newWorkflowStub(NodePoolUpgradeWorkflow.class,
          "evolve-fleet/shop/" + path(name));
      awaitCycle(cycle, p -> p.status() == CycleStatus.WAITING_FOR_APPROVAL);
      cycle.approve("alice");
    }
    assertEquals(FleetStatus.SUCCEEDED, WorkflowStub.fromTyped(fleet).getResult(FleetResult.class).status());
  }

  @Test
  void cancellingTheFleetRollsItsRunningCycleBackAndStartsNoOther(TestWorkflowEnvironment env, Worker worker) {
    startWorkers(env);
    FleetUpgradeWorkflow fleet = start(env, worker, fleet(0,
        UpgradeRequest.builder(null, null, null, null, null).requireApproval(true).build()));
    awaitFleet(fleet, p -> p.status() == FleetStatus.WAITING_ON_CYCLE);

    WorkflowStub.fromTyped(fleet).cancel();

    WorkflowFailedException failed = assertThrows(WorkflowFailedException.class,
        () -> WorkflowStub.fromTyped(fleet).getResult(FleetResult.class));
    assertInstanceOf(io.temporal.failure.CanceledFailure.class, failed.getCause());
    FleetProgress after = fleet.progress();
    assertEquals(FleetStatus.CANCELLED, after.status());
    assertEquals(List.of("CANCELLED", "NOT_STARTED", "NOT_STARTED"),
        after.pools().stream().map(FleetPoolProgress::status).toList());
    ScriptedCluster canary = clusters.get("alpha");
    assertEquals(ScriptedCluster.OLD, canary.poolVersion(ScriptedCluster.POOL));
    assertFalse(canary.poolExists(ScriptedCluster.POOL + "-temp"), "the canary rolled back");
    assertEquals(List.of(), clusters.get("beta").calls());
  }

  @Test
  void aBadFleetIsRefusedWholeNamingEveryField(TestWorkflowEnvironment env, Worker worker) {
    startWorkers(env);
    FleetRequest good = fleet(0, null);
    List<FleetPool> pools = new java.util.ArrayList<>(good.pools());
    pools.add(pools.get(1));
    pools.add(new FleetPool("shop-prod", "europe-west1", "delta", "Bad_Pool"));
    FleetRequest bad = new FleetRequest("shop", good.targetVersion(), 9, 0, null, null,
        UpgradeRequest.builder(null, null, "prod", null, null).build(), pools);

    WorkflowFailedException failed = assertThrows(WorkflowFailedException.class,
        () -> WorkflowStub.fromTyped(start(env, worker, bad)).getResult(FleetResult.class));

    ApplicationFailure refusal = assertInstanceOf(ApplicationFailure.class, failed.getCause());
    assertEquals(FleetUpgradeWorkflow.INVALID, refusal.getType());
    String message = refusal.getOriginalMessage();
    for (String field : List.of("canarySize", "waveSize", "defaults.cluster", "pools[3] repeats pools[1]",
        "pools[4] (shop-prod/europe-west1/delta/Bad_Pool)")) {
      assertTrue(message.contains(field), field + " in: " + message);
    }
    clusters.values().forEach(c -> assertEquals(List.of(), c.calls()));
  }

  /** A cycle of a later wave does not exist until its wave starts: until then it has no progress. */
  static Progress awaitCycle(NodePoolUpgradeWorkflow cycle, Predicate<Progress> condition) {
    return Poll.until(() -> {
      try {
        return cycle.progress();
      } catch (io.temporal.client.WorkflowNotFoundException notYet) {
        return null;
      }
    }, p -> p != null && condition.test(p));
  }

  static FleetProgress awaitFleet(FleetUpgradeWorkflow fleet, Predicate<FleetProgress> condition) {
    return Poll.until(fleet::progress, condition);
  }

  static void await(CountDownLatch latch) {
    try {
      latch.await(30, TimeUnit.SECONDS);
    } catch (InterruptedException e) {
      Thread.currentThread().interrupt();
    }
  }

}
