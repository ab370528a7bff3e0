package dev.evolve.workflows;

import static dev.evolve.workflows.NodePoolUpgradeWorkflowTest.awaitProgress;
import static dev.evolve.workflows.NodePoolUpgradeWorkflowTest.failureOf;
import static dev.evolve.workflows.NodePoolUpgradeWorkflowTest.result;
import static dev.evolve.workflows.Poll.sleep;
import static dev.evolve.workflows.ScriptedCluster.POOL;
import static dev.evolve.workflows.ScriptedCluster.TEMP;
import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertInstanceOf;
import static org.junit.jupiter.api.Assertions.assertThrows;
import static org.junit.jupiter.api.Assertions.assertTrue;

import dev.evolve.workflows.ParallelMovesTest.Span;
import dev.evolve.workflows.ParallelMovesTest.Timeline;
import dev.evolve.workflows.activities.FailureTypes;
import dev.evolve.workflows.model.ControlAnswer;
import dev.evolve.workflows.model.CycleStatus;
import dev.evolve.workflows.model.KafkaRotation;
import dev.evolve.workflows.model.PdbInfo;
import dev.evolve.workflows.model.Phase;
import dev.evolve.workflows.model.PhaseProgress;
import dev.evolve.workflows.model.Progress;
import dev.evolve.workflows.model.ResumeRequest;
import dev.evolve.workflows.model.UpgradeRequest;
import dev.evolve.workflows.model.UpgradeResult;
import dev.evolve.workflows.model.WorkloadRef;
import io.temporal.api.enums.v1.EventType;
import io.temporal.api.history.v1.HistoryEvent;
import io.temporal.client.WorkflowFailedException;
import io.temporal.client.WorkflowStub;
import io.temporal.common.WorkflowExecutionHistory;
import io.temporal.failure.ApplicationFailure;
import io.temporal.failure.CanceledFailure;
import io.temporal.testing.TestWorkflowEnvironment;
import io.temporal.testing.TestWorkflowExtension;
import io.temporal.testing.WorkflowReplayer;
import io.temporal.worker.Worker;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.Base64;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Locale;
import java.util.Map;
import java.util.Set;
import java.util.TreeSet;
import org.junit.jupiter.api.Assumptions;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.extension.RegisterExtension;
import org.junit.jupiter.params.ParameterizedTest;
import org.junit.jupiter.params.provider.CsvSource;

/**
 * Large cycles (change id {@code move-batches-in-child-workflows}): moves too many for one run's
 * history run in batches, each a child workflow, and the cycle still behaves as one: everything
 * comes back, a failure or a cancel half-way through a batch moves back exactly what was touched,
 * a pause and a hold reach the moves in the batch and PAUSED means nothing moves. Each cycle here
 * has 300 Deployments (two batches of 150) and, where said, two StatefulSets in a third batch.
 */
class MoveBatchesTest {

  @RegisterExtension
  static final TestWorkflowExtension testWorkflow = CycleTestExtension.create();

  static final boolean RECORD = Boolean.getBoolean("evolve.recordHistories");
  static final String HISTORY = "move-batches-cycle";
  static final int DEPLOYMENTS = 300;

  /** {@code count} Deployments, each under a budget of its own, so that they move side by side. */
  static ScriptedCluster deployments(int count) {
    ScriptedCluster cluster = new ScriptedCluster();
    for (int i = 0; i < count; i++) {
      String name = String.format(Locale.ROOT, "svc-%04d", i);
      cluster.workload(ParallelMovesTest.deployment("apps", name, 1, name));
    }
    return cluster;
  }

  /** The Deployments, then a database StatefulSet and three Kafka brokers, each with its own budget. */
  static ScriptedCluster withStatefulSets(int count) {
    return deployments(count)
        .workload(ScriptedCluster.workload(new WorkloadRef("data", "StatefulSet", "db"), 3, List.of(0, 1, 2), false,
            List.of(new PdbInfo("data", "db", 1, 3, 2))))
        .workload(ScriptedCluster.workload(new WorkloadRef("kafka", "StatefulSet", "kafka"), 3, List.of(0, 1, 2),
            false, List.of(new PdbInfo("kafka", "kafka", 1, 3, 2))));
  }

  /**
   * No settle timer: tests that poll the progress query run in real time (the test server skips
   * time only while a client waits for a result).
   */
  static UpgradeRequest request() {
    return UpgradeRequest.builder("my-project", "europe-west1", "prod", POOL, ScriptedCluster.CONTROL_PLANE)
        .kafka(new KafkaRotation("kafka", "kafka", null, 0, 0L, 120L)).build();
  }

  static NodePoolUpgradeWorkflow start(TestWorkflowEnvironment env, ScriptedCluster cluster, Worker worker, String id) {
    return ParallelMovesTest.start(env, cluster, worker, id, request());
  }

  @Test
  void aLargeCycleMovesInBatchesOfChildWorkflowsAndEndsWithEverythingBack(TestWorkflowEnvironment env,
      Worker worker) throws Exception {
    Assumptions.assumeFalse(RECORD, "recording");
    ScriptedCluster cluster = withStatefulSets(DEPLOYMENTS);
    String id = "large-" + System.nanoTime();

    UpgradeResult result = result(start(env, cluster, worker, id));

    assertEquals(CycleStatus.SUCCEEDED, result.status());
    int moves = DEPLOYMENTS + 2;
    assertEquals(moves, result.phases().get(Phase.MIGRATE).done());
    assertEquals(moves, result.phases().get(Phase.MIGRATE).total());
    assertEquals(moves, result.phases().get(Phase.RESTORE).done());
    // everything back where it was, each workload moved once there and once back
    assertEquals(DEPLOYMENTS + 6, cluster.podsOn(POOL).size());
    assertTrue(cluster.podsOn(TEMP).isEmpty(), cluster.podsOn(TEMP).toString());
    assertFalse(cluster.poolExists(TEMP));
    assertTrue(cluster.violations().isEmpty(), cluster.violations().toString());
    assertEquals(DEPLOYMENTS, count(cluster, "moveDeployment"));
    assertEquals(DEPLOYMENTS, count(cluster, "restoreDeployment"));
    assertEquals(6, count(cluster, "moveStatefulSetPod"));
    assertEquals(6, count(cluster, "restoreStatefulSetPod"));
    assertEquals(2 * (DEPLOYMENTS + 6), result.podsMoved());

    // three batches each way, each run well under 2,000 events, and every history replays
    Map<String, WorkflowExecutionHistory> runs = cycleAndBatches(env, id);
    assertEquals(List.of("migrate-batch-1", "migrate-batch-2", "migrate-batch-3", "restore-batch-4",
        "restore-batch-5", "restore-batch-6"), runs.keySet().stream().skip(1)
        .map(child -> child.substring(id.length() + 1)).toList());
    WorkflowExecutionHistory cycle = runs.get(id);
    assertTrue(cycle.toJson(false).contains(marker()), "no " + WorkloadMover.MOVE_BATCHES + " marker");
    runs.forEach((run, history) ->
        assertTrue(history.getEvents().size() < HistoryEventsBenchmark.EVENTS_PER_RUN_LIMIT,
            run + ": " + history.getEvents().size() + " events"));
    WorkflowReplayer.replayWorkflowExecution(cycle, NodePoolUpgradeWorkflowImpl.class);
    for (Map.Entry<String, WorkflowExecutionHistory> batch : runs.entrySet()) {
      if (!batch.getKey().equals(id)) {
        WorkflowReplayer.replayWorkflowExecution(batch.getValue(), MoveBatchWorkflowImpl.class);
      }
    }
  }

  /**
   * A move fails half-way through a batch: the second batch of Deployments, or the Kafka brokers
   * of the third batch after one broker moved. The rollback moves back exactly what was touched:
   * the first batch, what the failed batch had started (the failed move too), nothing after it.
   */
  @ParameterizedTest(name = "{0} {1} fails")
  @CsvSource({
    "moveDeployment,     apps/Deployment/svc-0200, svc-0200",
    "moveStatefulSetPod, kafka-1,                  kafka-1",
  })
  void aFailureHalfWayThroughABatchRollsBackEverythingTouched(String method, String what, String failed,
      TestWorkflowEnvironment env, Worker worker) {
    Assumptions.assumeFalse(RECORD, "recording");
    ScriptedCluster cluster = withStatefulSets(DEPLOYMENTS);
    cluster.onCall(method, call -> {
      if (call.startsWith(what + " ")) {
        throw ApplicationFailure.newNonRetryableFailure("injected failure of " + failed, FailureTypes.MOVE_TIMED_OUT);
      }
    });
    String id = "fail-" + System.nanoTime();
    NodePoolUpgradeWorkflow workflow = start(env, cluster, worker, id);

    ApplicationFailure failure = failureOf(workflow);

    assertEquals("CycleRolledBack", failure.getType());
    assertTrue(failure.getOriginalMessage().startsWith("MIGRATE failed"), failure.getOriginalMessage());
    assertTrue(failure.getOriginalMessage().contains("injected failure of " + failed), failure.getOriginalMessage());
    assertEquals(CycleStatus.ROLLED_BACK, workflow.progress().status());
    Set<String> moved = workloads(cluster, "moveDeployment", "moveStatefulSetPod");
    Set<String> movedBack = workloads(cluster, "restoreDeployment", "restoreStatefulSetPod");
    assertTrue(moved.contains(failed), moved.toString());
    assertEquals(moved, movedBack, "moved back other than what was touched");
    // the first batch wholly, the failed batch in part, nothing after it
    assertTrue(moved.containsAll(List.of("svc-0000", "svc-0149")), moved.toString());
    if (failed.startsWith("svc")) {
      assertTrue(moved.size() > 150 && moved.size() < DEPLOYMENTS, moved.size() + " moved");
      assertEquals(0, count(cluster, "moveStatefulSetPod"));
    } else {
      assertTrue(moved.containsAll(List.of("kafka-0", "kafka-1")) && !moved.contains("kafka-2"), moved.toString());
    }
    assertTrue(cluster.podsOn(TEMP).isEmpty(), cluster.podsOn(TEMP).toString());
    assertFalse(cluster.poolExists(TEMP));
    assertEquals(ScriptedCluster.OLD, cluster.poolVersion(POOL));
    assertTrue(cluster.violations().isEmpty(), cluster.violations().toString());
    PhaseProgress compensate = workflow.progress().phases().get(Phase.COMPENSATE);
    assertEquals(compensate.total(), compensate.done(), "COMPENSATE progress: " + compensate);
    // the rollback's moves ran in batches too
    assertTrue(cycleAndBatches(env, id).keySet().stream().anyMatch(run -> run.startsWith(id + "/compensate-batch-")));
  }

  @Test
  void aPauseDuringALargeCycleStopsEveryMoveOfTheBatchAndResumeFinishesIt(TestWorkflowEnvironment env,
      Worker worker) {
    Assumptions.assumeFalse(RECORD, "recording");
    ScriptedCluster cluster = deployments(DEPLOYMENTS);
    Timeline timeline = new Timeline(cluster, Map.of("moveDeployment", 20L), call -> false);
    NodePoolUpgradeWorkflow[] self = new NodePoolUpgradeWorkflow[1];
    timeline.atStart = call -> {
      if (call.startsWith("moveDeployment apps/Deployment/svc-0100 ")) {
        self[0].pause("change freeze");
      }
    };
    self[0] = start(env, cluster, worker, "pause-" + System.nanoTime());

    Progress paused = awaitProgress(self[0], p -> p.status() == CycleStatus.PAUSED);
    long pausedSeenAt = System.nanoTime();
    assertEquals("change freeze", paused.pauseReason());
    assertTrue(paused.userPause().inEffect(), paused.toString());
    assertTrue(paused.step().startsWith("batch 1 of 2: "), paused.step());
    // PAUSED means nothing moves: every move of the batch that had started had ended
    List<Span> moved = timeline.of("moveDeployment");
    assertTrue(moved.size() > 100 && moved.size() < 150, moved.size() + " moved before the pause took effect");
    assertTrue(moved.stream().allMatch(s -> s.end() <= pausedSeenAt), "a move still ran when PAUSED was reported");
    assertEquals(moved.size(), paused.phases().get(Phase.MIGRATE).done());
    sleep(500);
    assertEquals(moved.size(), timeline.of("moveDeployment").size(), "a move started during the pause");

    long resumedAt = System.nanoTime();
    self[0].resume();
    UpgradeResult result = result(self[0]);

    assertEquals(CycleStatus.SUCCEEDED, result.status());
    assertEquals(DEPLOYMENTS - moved.size(), timeline.of("moveDeployment").stream()
        .filter(s -> s.start() >= resumedAt).count(), "the rest moved after the resume, and only then");
    assertEquals(DEPLOYMENTS, result.phases().get(Phase.MIGRATE).done());
    assertEquals(DEPLOYMENTS, cluster.podsOn(POOL).size());
    assertTrue(cluster.podsOn(TEMP).isEmpty());
  }

  /**
   * A budget that keeps refusing in a batch holds the cycle with its name; the resumeCycle update
   * releases it there.
   */
  @Test
  void aHoldInABatchIsTheCyclesAndAResumeReleasesIt(TestWorkflowEnvironment env, Worker worker) {
    Assumptions.assumeFalse(RECORD, "recording");
    ScriptedCluster cluster = deployments(DEPLOYMENTS)
        .workload(ScriptedCluster.workload(new WorkloadRef("batch", "Job", "nightly"), 1, List.of(), false,
            List.of(new PdbInfo("batch", "nightly", 1, 2, 1))))
        .failNext("evictPods", ApplicationFailure.newNonRetryableFailure(
            "eviction of batch/nightly-x refused for 900s by PodDisruptionBudget batch/nightly",
            FailureTypes.EVICTION_BLOCKED));
    NodePoolUpgradeWorkflow workflow = start(env, cluster, worker, "hold-" + System.nanoTime());

    Progress held = awaitProgress(workflow, p -> p.status() == CycleStatus.PAUSED);
    assertTrue(held.pauseReason().contains("PodDisruptionBudget batch/nightly"), held.pauseReason());
    assertTrue(held.hold() != null && held.userPause() == null, held.toString());
    assertTrue(held.lastError().contains("PodDisruptionBudget batch/nightly"), held.lastError());
    assertEquals(1, count(cluster, "evictPods"));

    ControlAnswer answer = workflow.resumeCycle(new ResumeRequest(ResumeRequest.Target.HOLD, "alice"));
    assertTrue(answer.message().startsWith("released the hold"), answer.message());

    assertEquals(CycleStatus.SUCCEEDED, result(workflow).status());
    assertEquals(2, cluster.calls().stream().filter(c -> c.equals("evictPods batch/Job/nightly from " + POOL))
        .count(), "the refused eviction is tried again after the resume");
    assertTrue(cluster.podsOn(TEMP).isEmpty());
  }

  /**
   * The cycle is cancelled as the second batch starts its moves. The moves in flight take their
   * time (300 ms) so that their cancellation is asked while they run: the test server refuses a
   * cancellation asked of an activity that ended meanwhile, and a real server takes it.
   */
  @Test
  void cancellingALargeCycleMovesBackWhatTheCancelledBatchTouched(TestWorkflowEnvironment env, Worker worker) {
    Assumptions.assumeFalse(RECORD, "recording");
    ScriptedCluster cluster = deployments(DEPLOYMENTS);
    NodePoolUpgradeWorkflow[] self = new NodePoolUpgradeWorkflow[1];
    new Timeline(cluster, call -> call.startsWith("moveDeployment apps/Deployment/svc-015") ? 300 : 2,
        call -> false).atStart = call -> {
          if (call.startsWith("moveDeployment apps/Deployment/svc-0150 ")) {
            WorkflowStub.fromTyped(self[0]).cancel();
          }
        };
    self[0] = start(env, cluster, worker, "cancel-" + System.nanoTime());

    WorkflowFailedException failed = assertThrows(WorkflowFailedException.class, () -> result(self[0]));

    assertInstanceOf(CanceledFailure.class, failed.getCause());
    assertEquals(CycleStatus.CANCELLED, self[0].progress().status());
    Set<String> moved = workloads(cluster, "moveDeployment");
    // the first batch, and what the second had started when it was cancelled
    assertTrue(moved.contains("svc-0150") && moved.size() > 150 && moved.size() <= 160, moved.size() + " moved");
    assertEquals(moved, workloads(cluster, "restoreDeployment"), "moved back other than what was touched");
    assertTrue(cluster.podsOn(TEMP).isEmpty(), cluster.podsOn(TEMP).toString());
    assertFalse(cluster.poolExists(TEMP));
    assertTrue(cluster.violations().isEmpty(), cluster.violations().toString());
  }

  /** Below the limit nothing changes: no batch, not even the change id's marker in the history. */
  @Test
  void aSmallCycleKeepsItsHistoryAsBefore(TestWorkflowEnvironment env, Worker worker) {
    Assumptions.assumeFalse(RECORD, "recording");
    String id = "small-" + System.nanoTime();
    assertEquals(CycleStatus.SUCCEEDED, result(start(env, deployments(100), worker, id)).status());
    assertEquals(List.of(id), List.copyOf(cycleAndBatches(env, id).keySet()));
    assertFalse(env.getWorkflowClient().fetchHistory(id).toJson(false).contains(marker()));
  }

  @Test
  void batchesAreCutUnderTheirBudgetInPlanOrder() {
    List<Integer> costs = List.of(300, 300, 300, 6, 1000, 6);
    List<List<Integer>> slices = MoveBatching.slices(costs, c -> c);
    // the first three fill a batch; a move over the budget is a batch alone
    assertEquals(List.of(List.of(300, 300, 300), List.of(6), List.of(1000), List.of(6)), slices);
  }

  /**
   * Replayed under the workflow id it was recorded with: the batches' workflow ids are made of the
   * cycle's (the replayer's own placeholder id would name other children).
   */
  @Test
  void aCycleRecordedWithTheChangeReplays() throws Exception {
    Assumptions.assumeFalse(RECORD, "recording");
    String cycle = Files.readString(Path.of("src/test/resources/histories", HISTORY + ".json"));
    assertTrue(cycle.contains(marker()), "the recorded history is not of the new shape");
    WorkflowReplayer.replayWorkflowExecution(WorkflowExecutionHistory.fromJson(cycle, "move-batches"),
        NodePoolUpgradeWorkflowImpl.class);
    String batch = Files.readString(Path.of("src/test/resources/histories", HISTORY + "-batch.json"));
    WorkflowReplayer.replayWorkflowExecution(
        WorkflowExecutionHistory.fromJson(batch, "move-batches/migrate-batch-2"), MoveBatchWorkflowImpl.class);
  }

  /**
   * Records {@link #HISTORY}: 160 Deployments (a batch of 150 and one of 10 each way, three moves
   * at a time) with a pause during the second MIGRATE batch, and that batch's own history
   * ({@code -batch}), which the pause and the resume reached as the cycle's control signals.
   */
  @Test
  void record(TestWorkflowEnvironment env, Worker worker) throws Exception {
    Assumptions.assumeTrue(RECORD);
    ScriptedCluster cluster = deployments(160);
    NodePoolUpgradeWorkflow[] self = new NodePoolUpgradeWorkflow[1];
    new Timeline(cluster, Map.of("moveDeployment", 5L), call -> false).atStart = call -> {
      if (call.startsWith("moveDeployment apps/Deployment/svc-0152 ")) {
        self[0].pause("recorded pause");
      }
    };
    self[0] = ParallelMovesTest.start(env, cluster, worker, "move-batches",
        request().toBuilder().moveParallelism(3).build());
    awaitProgress(self[0], p -> p.status() == CycleStatus.PAUSED && p.step().startsWith("batch 2 of 2"));
    self[0].resume();
    result(self[0]);
    Files.writeString(Path.of("src/test/resources/histories", HISTORY + ".json"),
        env.getWorkflowClient().fetchHistory("move-batches").toJson(true));
    Files.writeString(Path.of("src/test/resources/histories", HISTORY + "-batch.json"),
        env.getWorkflowClient().fetchHistory("move-batches/migrate-batch-2").toJson(true));
  }

  /** The cycle's history and, by workflow id, each batch it started, in the order started. */
  static Map<String, WorkflowExecutionHistory> cycleAndBatches(TestWorkflowEnvironment env, String id) {
    Map<String, WorkflowExecutionHistory> runs = new LinkedHashMap<>();
    WorkflowExecutionHistory cycle = env.getWorkflowClient().fetchHistory(id);
    runs.put(id, cycle);
    for (HistoryEvent event : cycle.getEvents()) {
      if (event.getEventType() == EventType.EVENT_TYPE_START_CHILD_WORKFLOW_EXECUTION_INITIATED
          && event.getStartChildWorkflowExecutionInitiatedEventAttributes().getWorkflowType().getName()
              .equals(MoveBatchWorkflow.TYPE)) {
        String child = event.getStartChildWorkflowExecutionInitiatedEventAttributes().getWorkflowId();
        runs.put(child, env.getWorkflowClient().fetchHistory(child));
      }
    }
    return runs;
  }

  private static long count(ScriptedCluster cluster, String method) {
    return cluster.calls().stream().filter(c -> c.startsWith(method + " ")).count();
  }

  /** The Deployments' names and the StatefulSets' pods these calls were about: "svc-0001", "kafka-1". */
  private static Set<String> workloads(ScriptedCluster cluster, String... methods) {
    Set<String> names = new TreeSet<>();
    for (String call : cluster.calls()) {
      for (String method : methods) {
        if (call.startsWith(method + " ")) {
          String what = call.substring(method.length() + 1).split(" ")[0];
          names.add(what.substring(what.lastIndexOf('/') + 1));
        }
      }
    }
    return names;
  }

  /** The change id as a marker stores it: a JSON string in base64. */
  private static String marker() {
    return Base64.getEncoder().encodeToString(
        ("\"" + WorkloadMover.MOVE_BATCHES + "\"").getBytes(StandardCharsets.UTF_8)).replace("=", "");
  }
}
