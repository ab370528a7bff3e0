package dev.evolve.workflows;

import static dev.evolve.workflows.Poll.sleep;
import static dev.evolve.workflows.ScriptedCluster.POOL;
import static dev.evolve.workflows.ScriptedCluster.TEMP;
import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertInstanceOf;
import static org.junit.jupiter.api.Assertions.assertThrows;
import static org.junit.jupiter.api.Assertions.assertTrue;

import dev.evolve.workflows.activities.FailureTypes;
import dev.evolve.workflows.model.CycleStatus;
import dev.evolve.workflows.model.KafkaRotation;
import dev.evolve.workflows.model.Phase;
import dev.evolve.workflows.model.Progress;
import dev.evolve.workflows.model.TempPoolPolicy;
import dev.evolve.workflows.model.UpgradeRequest;
import dev.evolve.workflows.model.UpgradeResult;
import io.temporal.client.WorkflowClient;
import io.temporal.client.WorkflowFailedException;
import io.temporal.client.WorkflowOptions;
import io.temporal.client.WorkflowStub;
import io.temporal.failure.ApplicationFailure;
import io.temporal.failure.CanceledFailure;
import io.temporal.testing.TestWorkflowEnvironment;
import io.temporal.testing.TestWorkflowExtension;
import io.temporal.worker.Worker;
import java.time.Duration;
import java.util.List;
import java.util.function.Predicate;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.extension.RegisterExtension;

class NodePoolUpgradeWorkflowTest {

  @RegisterExtension
  static final TestWorkflowExtension testWorkflow = CycleTestExtension.create();

  static UpgradeRequest request() {
    return request(30);
  }

  /**
   * The test server only skips time while a client waits for a result; tests that poll the
   * progress query instead use a one-second settle, which then passes in real time.
   */
  static UpgradeRequest request(long settleSeconds) {
    return UpgradeRequest.builder("my-project", "europe-west1", "prod", POOL, ScriptedCluster.CONTROL_PLANE)
        .kafka(new KafkaRotation("kafka", "kafka", null, 0, settleSeconds, 120L))
        .build();
  }

  static NodePoolUpgradeWorkflow start(TestWorkflowEnvironment env, ScriptedCluster cluster, Worker worker,
      UpgradeRequest request) {
    worker.registerActivitiesImplementations(cluster);
    env.start();
    NodePoolUpgradeWorkflow workflow = env.getWorkflowClient().newWorkflowStub(NodePoolUpgradeWorkflow.class,
        WorkflowOptions.newBuilder().setTaskQueue(worker.getTaskQueue()).setWorkflowId("cycle-" + System.nanoTime())
            .build());
    WorkflowClient.start(workflow::run, request);
    return workflow;
  }

  static UpgradeResult result(NodePoolUpgradeWorkflow workflow) {
    return WorkflowStub.fromTyped(workflow).getResult(UpgradeResult.class);
  }

  static ApplicationFailure failureOf(NodePoolUpgradeWorkflow workflow) {
    WorkflowFailedException failed = assertThrows(WorkflowFailedException.class, () -> result(workflow));
    return assertInstanceOf(ApplicationFailure.class, failed.getCause());
  }

  static int indexOf(List<String> calls, String prefix) {
    for (int i = 0; i < calls.size(); i++) {
      if (calls.get(i).startsWith(prefix)) {
        return i;
      }
    }
    return -1;
  }

  static int lastIndexOf(List<String> calls, String prefix) {
    for (int i = calls.size() - 1; i >= 0; i--) {
      if (calls.get(i).startsWith(prefix)) {
        return i;
      }
    }
    return -1;
  }

  /** Polls the query until it holds: the workflow runs on its own threads. */
  static Progress awaitProgress(NodePoolUpgradeWorkflow workflow, Predicate<Progress> condition) {
    return Poll.until(workflow::progress, condition);
  }


  @Test
  void happyPathRunsThePhasesInOrderAndLeavesTheClusterUpgraded(TestWorkflowEnvironment env, Worker worker) {
    ScriptedCluster cluster = ScriptedCluster.standard();
    NodePoolUpgradeWorkflow workflow = start(env, cluster, worker, request());

    UpgradeResult result = result(workflow);

    assertEquals(CycleStatus.SUCCEEDED, result.status());
    assertEquals(ScriptedCluster.CONTROL_PLANE, result.poolVersion());
    assertEquals(ScriptedCluster.CONTROL_PLANE, cluster.poolVersion(POOL));
    assertEquals("DELETED", result.tempPool());
    assertFalse(cluster.poolExists(TEMP));
    assertTrue(cluster.podsOn(TEMP).isEmpty());
    assertEquals(7, cluster.podsOn(POOL).size(), "every pod back on the original pool: " + cluster.podsOn(POOL));
    assertEquals(List.of(), cluster.violations());
    // 3 + 1 + 2 + 1 pods and 3 brokers, there and back.
    assertEquals(2 * 7, result.podsMoved());

    List<String> calls = cluster.calls();
    // within a phase the moves run side by side (the broker chain first), so only the phases' order is fixed
    int[] order = {
      indexOf(calls, "describeCluster"), indexOf(calls, "inventory"), indexOf(calls, "createTempPool"),
      indexOf(calls, "cordonPool " + POOL), indexOf(calls, "moveStatefulSetPod"),
      Math.max(lastIndexOf(calls, "moveStatefulSetPod"), lastIndexOf(calls, "moveDeployment")),
      indexOf(calls, "upgradePool"), indexOf(calls, "cordonPool " + TEMP), indexOf(calls, "restoreStatefulSetPod"),
      Math.max(lastIndexOf(calls, "restoreStatefulSetPod"), lastIndexOf(calls, "restoreDeployment")),
      indexOf(calls, "evacuatePool " + TEMP), indexOf(calls, "deletePool " + TEMP)};
    for (int i = 1; i < order.length; i++) {
      assertTrue(order[i - 1] >= 0 && order[i - 1] < order[i], "phase order broken at step " + i + ": " + calls);
    }
    for (Phase phase : List.of(Phase.PREPARE, Phase.CREATE_TEMP_POOL, Phase.MIGRATE, Phase.UPGRADE_ORIGINAL,
        Phase.RESTORE, Phase.DECOMMISSION)) {
      assertEquals(result.phases().get(phase).total(), result.phases().get(phase).done(), phase + " incomplete");
    }
  }

  @Test
  void kafkaBrokersMoveOneAtATimeBehindGatesWithASettleTimerBetween(TestWorkflowEnvironment env, Worker worker) {
    ScriptedCluster cluster = ScriptedCluster.standard();
    NodePoolUpgradeWorkflow workflow = start(env, cluster, worker, request());
    long before = env.currentTimeMillis();

    result(workflow);

    List<String> kafka = cluster.calls().stream()
        .filter(c -> c.startsWith("await") || c.contains("StatefulSetPod")).toList();
    List<String> expectedMigration = List.of(
        "awaitSafeToMove broker 0", "moveStatefulSetPod kafka-0 -> " + TEMP, "awaitCaughtUp broker 0",
        "awaitSafeToMove broker 1", "moveStatefulSetPod kafka-1 -> " + TEMP, "awaitCaughtUp broker 1",
        "awaitSafeToMove broker 2", "moveStatefulSetPod kafka-2 -> " + TEMP, "awaitCaughtUp broker 2");
    assertEquals(expectedMigration, kafka.subList(0, 9));
    assertEquals(List.of("awaitSafeToMove broker 0", "restoreStatefulSetPod kafka-0", "awaitCaughtUp broker 0"),
        kafka.subList(9, 12));
    // two settle timers of 30 s in each direction
    assertTrue(env.currentTimeMillis() - before >= 4 * 30_000, "settle timers did not run");
  }

  @Test
  void aGateOutOfBudgetPausesTheCycleUntilResumed(TestWorkflowEnvironment env, Worker worker) {
    ScriptedCluster cluster = ScriptedCluster.standard().refuseGates(1);
    NodePoolUpgradeWorkflow workflow = start(env, cluster, worker, request(1));

    Progress paused = awaitProgress(workflow, p -> p.status() == CycleStatus.PAUSED);
    assertTrue(paused.pauseReason().contains("min.insync.replicas"), paused.pauseReason());
    assertEquals(-1, indexOf(cluster.calls(), "moveStatefulSetPod"), "a broker moved past a closed gate");

    workflow.resume();
    assertEquals(CycleStatus.SUCCEEDED, result(workflow).status());
  }

  @Test
  void pauseBetweenWorkloadsHoldsUntilResume(TestWorkflowEnvironment env, Worker worker) {
    ScriptedCluster cluster = ScriptedCluster.standard();
    NodePoolUpgradeWorkflow[] self = new NodePoolUpgradeWorkflow[1];
    cluster.onCall("moveDeployment", call -> {
      if (call.contains("shop/Deployment/cart")) {
        self[0].pause("change freeze");
      }
    });
    self[0] = start(env, cluster, worker, request(1));

    Progress paused = awaitProgress(self[0], p -> p.status() == CycleStatus.PAUSED);
    assertEquals("change freeze", paused.pauseReason());
    assertEquals(Phase.MIGRATE, paused.phase());
    List<String> heldAt = cluster.changes();
    assertTrue(heldAt.get(heldAt.size() - 1).startsWith("moveDeployment shop/Deployment/cart"), heldAt.toString());
    sleep(200);
    assertEquals(heldAt, cluster.changes(), "something changed while paused");

    self[0].resume();
    assertEquals(CycleStatus.SUCCEEDED, result(self[0]).status());
  }

  @Test
  void pauseDuringABrokerMoveTakesEffectOnlyAfterThatBrokerIsCaughtUpAndSettled(
      TestWorkflowEnvironment env, Worker worker) {
    ScriptedCluster cluster = ScriptedCluster.standard();
    NodePoolUpgradeWorkflow[] self = new NodePoolUpgradeWorkflow[1];
    cluster.onCall("awaitSafeToMove", call -> {
      if (call.equals("broker 1") && indexOf(cluster.calls(), "upgradePool") < 0) {
        self[0].pause("look at broker 1");
      }
    });
    self[0] = start(env, cluster, worker, request(1));

    awaitProgress(self[0], p -> p.status() == CycleStatus.PAUSED);
    List<String> calls = cluster.calls();
    String last = calls.get(calls.size() - 1);
    assertEquals("awaitCaughtUp broker 1", last, "paused in the middle of a broker move: " + calls);
    assertEquals(2, self[0].progress().brokersRotated());

    self[0].resume();
    assertEquals(CycleStatus.SUCCEEDED, result(self[0]).status());
  }

  @Test
  void pauseBetweenPhasesHoldsBeforeTheUpgrade(TestWorkflowEnvironment env, Worker worker) {
    ScriptedCluster cluster = ScriptedCluster.standard();
    NodePoolUpgradeWorkflow[] self = new NodePoolUpgradeWorkflow[1];
    cluster.onCall("awaitCaughtUp", call -> {
      if (call.equals("broker 2") && indexOf(cluster.calls(), "upgradePool") < 0) {
        self[0].pause("before upgrade");
      }
    });
    self[0] = start(env, cluster, worker, request(1));

    Progress paused = awaitProgress(self[0], p -> p.status() == CycleStatus.PAUSED);
    assertEquals(Phase.MIGRATE, paused.phase());
    assertEquals(-1, indexOf(cluster.calls(), "upgradePool"));
    self[0].resume();
    assertEquals(CycleStatus.SUCCEEDED, result(self[0]).status());
  }

  @Test
  void pauseDuringRestoreHoldsBetweenWorkloads(TestWorkflowEnvironment env, Worker worker) {
    ScriptedCluster cluster = ScriptedCluster.standard();
    NodePoolUpgradeWorkflow[] self = new NodePoolUpgradeWorkflow[1];
    cluster.onCall("restoreDeployment", call -> {
      if (call.equals("shop/Deployment/cart")) {
        self[0].pause("restore later");
      }
    });
    self[0] = start(env, cluster, worker, request(1));

    Progress paused = awaitProgress(self[0], p -> p.status() == CycleStatus.PAUSED);
    assertEquals(Phase.RESTORE, paused.phase());
    // the broker chain (moved back first) and cart are done; nothing more starts while paused
    int done = paused.phases().get(Phase.RESTORE).done();
    assertEquals(2, done);
    long restoresAtPause = cluster.calls().stream().filter(c -> c.startsWith("restore")).count();
    sleep(500);
    assertEquals(restoresAtPause, cluster.calls().stream().filter(c -> c.startsWith("restore")).count());
    assertEquals(done, self[0].progress().phases().get(Phase.RESTORE).done());
    self[0].resume();
    assertEquals(CycleStatus.SUCCEEDED, result(self[0]).status());
    assertEquals(List.of(), cluster.violations());
  }

  @Test
  void approvalGateHoldsTheUpgradeUntilApproved(TestWorkflowEnvironment env, Worker worker) {
    ScriptedCluster cluster = ScriptedCluster.standard();
    UpgradeRequest base = request(1);
    UpgradeRequest needsApproval = base.toBuilder().tempPoolPolicy(TempPoolPolicy.KEEP).dryRun(false)
        .requireApproval(true).build();
    NodePoolUpgradeWorkflow workflow = start(env, cluster, worker, needsApproval);

    awaitProgress(workflow, p -> p.status() == CycleStatus.WAITING_FOR_APPROVAL);
    assertEquals(-1, indexOf(cluster.calls(), "upgradePool"));
    workflow.approve("alice");

    UpgradeResult result = result(workflow);
    assertEquals("KEPT", result.tempPool());
    assertTrue(cluster.poolExists(TEMP), "KEEP must keep the temporary pool");
    assertEquals(-1, indexOf(cluster.calls(), "deletePool"));
  }

  @Test
  void cancelMidMigrationMovesEverythingBackAndDeletesTheTempPool(TestWorkflowEnvironment env, Worker worker) {
    ScriptedCluster cluster = ScriptedCluster.standard();
    NodePoolUpgradeWorkflow workflow = start(env, cluster, worker, request(600));
    awaitProgress(workflow, p -> p.step().startsWith("settling") && p.brokersRotated() == 1);

    WorkflowStub.fromTyped(workflow).cancel();

    WorkflowFailedException failed = assertThrows(WorkflowFailedException.class, () -> result(workflow));
    assertInstanceOf(CanceledFailure.class, failed.getCause());
    assertFalse(cluster.poolExists(TEMP), "temp pool left behind");
    assertTrue(cluster.podsOn(TEMP).isEmpty(), "pods left on the temp pool: " + cluster.podsOn(TEMP));
    assertEquals(ScriptedCluster.OLD, cluster.poolVersion(POOL), "a cancelled cycle must not upgrade");
    assertEquals(-1, indexOf(cluster.calls(), "upgradePool"));
    // what moved is moved back: the broker chain goes first, so at its first settle timer the
    // Deployments may or may not have moved beside it (the one-node temporary pool decides)
    for (String call : cluster.calls()) {
      if (call.startsWith("moveDeployment ")) {
        String deployment = call.substring("moveDeployment ".length(), call.indexOf(" -> "));
        assertTrue(indexOf(cluster.calls(), "restoreDeployment " + deployment) > 0, deployment + " not moved back");
      }
    }
    assertTrue(indexOf(cluster.calls(), "restoreStatefulSetPod kafka-0") > 0);
    assertEquals(-1, indexOf(cluster.calls(), "restoreStatefulSetPod kafka-1"), "kafka-1 never moved");
    assertEquals(List.of(), cluster.violations());
    assertEquals(CycleStatus.CANCELLED, workflow.progress().status());
  }
}
