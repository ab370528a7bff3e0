package dev.evolve.workflows;

import static dev.evolve.workflows.NodePoolUpgradeWorkflowTest.awaitProgress;
import static dev.evolve.workflows.NodePoolUpgradeWorkflowTest.failureOf;
import static dev.evolve.workflows.NodePoolUpgradeWorkflowTest.request;
import static dev.evolve.workflows.NodePoolUpgradeWorkflowTest.result;
import static dev.evolve.workflows.Poll.sleep;
import static dev.evolve.workflows.ScriptedCluster.POOL;
import static dev.evolve.workflows.ScriptedCluster.TEMP;
import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertTrue;

import dev.evolve.workflows.model.CycleStatus;
import dev.evolve.workflows.model.KafkaRotation;
import dev.evolve.workflows.model.PdbInfo;
import dev.evolve.workflows.model.Phase;
import dev.evolve.workflows.model.Progress;
import dev.evolve.workflows.model.TempPoolSettings;
import dev.evolve.workflows.model.UpgradeRequest;
import dev.evolve.workflows.model.UpgradeResult;
import dev.evolve.workflows.model.Workload;
import dev.evolve.workflows.model.WorkloadRef;
import dev.evolve.workflows.plan.RequestValidator;
import io.temporal.failure.ApplicationFailure;
import io.temporal.testing.TestWorkflowEnvironment;
import io.temporal.testing.TestWorkflowExtension;
import io.temporal.testing.WorkflowReplayer;
import io.temporal.worker.Worker;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.Base64;
import java.util.List;
import java.util.Map;
import java.util.function.Predicate;
import java.util.function.ToLongFunction;
import org.junit.jupiter.api.Assumptions;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.extension.RegisterExtension;

/**
 * Parallel moves (change id {@code parallel-moves}): independent workloads move side by side, up
 * to moveParallelism, within the rules of {@link MoveRules}. Every assertion is on what the fake
 * activities recorded while they ran: each move activity takes real time (a hook sleeps in it) and
 * writes down when it started and ended, and how many move activities ran at that moment.
 */
class ParallelMovesTest {

  @RegisterExtension
  static final TestWorkflowExtension testWorkflow = CycleTestExtension.create();

  static final boolean RECORD = Boolean.getBoolean("evolve.recordHistories");
  static final String HISTORY = "parallel-moves-cycle";

  static final List<String> MOVES = List.of("moveDeployment", "restoreDeployment", "evictPods",
      "moveStatefulSetPod", "restoreStatefulSetPod", "awaitSafeToMove", "awaitCaughtUp");

  /** One activity call as it ran: which, when (nanoTime), and how many move calls ran when it started. */
  record Span(String method, String what, long start, long end, int runningAtStart) {
    boolean overlaps(Span other) {
      return start < other.end && other.start < end;
    }

    boolean isMove() {
      return !method.startsWith("await");
    }
  }

  /** Makes the move activities of a {@link ScriptedCluster} take time, and records each one's span. */
  static final class Timeline {
    private final List<Span> spans = new ArrayList<>();
    private int running;
    private int maxRunning;
    /** Runs as each call starts ("method what"), before it takes its time. */
    volatile java.util.function.Consumer<String> atStart = call -> { };

    Timeline(ScriptedCluster cluster, Map<String, Long> millisByMethod, Predicate<String> failWhen) {
      this(cluster, call -> millisByMethod.getOrDefault(call.substring(0, call.indexOf(' ')), 0L), failWhen);
    }

    /** Each call ("method what") takes {@code millis} of it, and fails when {@code failWhen} says so. */
    Timeline(ScriptedCluster cluster, ToLongFunction<String> millisOf, Predicate<String> failWhen) {
      for (String method : MOVES) {
        cluster.onCall(method, what -> {
          atStart.accept(method + " " + what);
          long millis = millisOf.applyAsLong(method + " " + what);
          long start = System.nanoTime();
          int now;
          boolean move = !method.startsWith("await");
          synchronized (this) {
            if (move) {
              running++;
              maxRunning = Math.max(maxRunning, running);
            }
            now = running;
          }
          try {
            sleep(millis);
            if (failWhen.test(method + " " + what)) {
              throw ApplicationFailure.newNonRetryableFailure("injected failure of " + what, "MoveTimedOut");
            }
          } finally {
            synchronized (this) {
              if (move) {
                running--;
              }
              spans.add(new Span(method, what, start, System.nanoTime(), now));
            }
          }
        });
      }
    }

    synchronized List<Span> spans() {
      return new ArrayList<>(spans);
    }

    synchronized List<Span> of(String method) {
      return spans.stream().filter(s -> s.method().equals(method)).toList();
    }

    synchronized Span of(String method, String whatStartsWith) {
      return spans.stream().filter(s -> s.method().equals(method) && s.what().startsWith(whatStartsWith))
          .findFirst().orElseThrow(() -> new AssertionError("no " + method + " " + whatStartsWith + " in " + spans));
    }

    /** The most move calls of these methods that ran at the same moment. */
    synchronized int mostAtOnce(String... methods) {
      List<Span> chosen = spans.stream().filter(s -> List.of(methods).contains(s.method())).toList();
      int most = 0;
      for (Span s : chosen) {
        int at = (int) chosen.stream().filter(o -> o.start() <= s.start() && s.start() < o.end()).count();
        most = Math.max(most, at);
      }
      return most;
    }

    synchronized int maxRunning() {
      return maxRunning;
    }
  }

  /** A Deployment under a PodDisruptionBudget of its own (or the one named). */
  static Workload deployment(String ns, String name, int pods, String pdb) {
    return ScriptedCluster.workload(new WorkloadRef(ns, "Deployment", name), pods, List.of(), false,
        List.of(new PdbInfo(ns, pdb, 1, pods, pods - 1)));
  }

  static ScriptedCluster independentDeployments(int count) {
    ScriptedCluster cluster = new ScriptedCluster();
    for (int i = 0; i < count; i++) {
      cluster.workload(deployment("apps", "svc-" + (char) ('a' + i), 2, "svc-" + (char) ('a' + i)));
    }
    return cluster;
  }

  static UpgradeRequest requestWith(int parallelism) {
    return UpgradeRequest.builder("my-project", "europe-west1", "prod", POOL, ScriptedCluster.CONTROL_PLANE)
        .moveParallelism(parallelism).build();
  }

  static NodePoolUpgradeWorkflow start(TestWorkflowEnvironment env, ScriptedCluster cluster, Worker worker,
      String id, UpgradeRequest request) {
    worker.registerActivitiesImplementations(cluster);
    env.start();
    return OneCyclePerPoolTest.startAs(env, worker.getTaskQueue(), id, request);
  }

  @Test
  void independentDeploymentsMoveSideBySideUpToTheLimitAndNeverMore(TestWorkflowEnvironment env, Worker worker)
      throws Exception {
    Assumptions.assumeFalse(RECORD, "recording");
    ScriptedCluster cluster = independentDeployments(12);
    Timeline timeline = new Timeline(cluster, Map.of("moveDeployment", 300L, "restoreDeployment", 300L), w -> false);
    String id = "parallel-" + System.nanoTime();
    NodePoolUpgradeWorkflow workflow = start(env, cluster, worker, id, requestWith(4));

    UpgradeResult result = result(workflow);

    assertEquals(CycleStatus.SUCCEEDED, result.status());
    assertEquals(12, timeline.of("moveDeployment").size());
    assertEquals(12, timeline.of("restoreDeployment").size());
    // MIGRATE and RESTORE each ran 4 moves at once, never 5
    assertEquals(4, timeline.mostAtOnce("moveDeployment"), timeline.spans().toString());
    assertEquals(4, timeline.mostAtOnce("restoreDeployment"), timeline.spans().toString());
    assertEquals(4, timeline.maxRunning());
    assertEquals(12, result.phases().get(Phase.MIGRATE).done());
    assertEquals(12, result.phases().get(Phase.RESTORE).done());
    assertEquals(12, cluster.podsOn(POOL).size());
    assertTrue(cluster.violations().isEmpty(), cluster.violations().toString());
    // the parallel history replays on the same code (determinism), and has the change's marker
    String history = env.getWorkflowClient().fetchHistory(id).toJson(true);
    assertTrue(history.contains(marker()), "no parallel-moves marker in the history");
    WorkflowReplayer.replayWorkflowExecution(history, NodePoolUpgradeWorkflowImpl.class);
  }

  @Test
  void moveParallelismOneMovesStrictlyOneAfterTheOther(TestWorkflowEnvironment env, Worker worker) {
    Assumptions.assumeFalse(RECORD, "recording");
    ScriptedCluster cluster = independentDeployments(6);
    Timeline timeline = new Timeline(cluster, Map.of("moveDeployment", 100L, "restoreDeployment", 100L), w -> false);

    UpgradeResult result = result(start(env, cluster, worker, "sequential-" + System.nanoTime(), requestWith(1)));

    assertEquals(CycleStatus.SUCCEEDED, result.status());
    assertEquals(1, timeline.maxRunning(), timeline.spans().toString());
    List<Span> moves = timeline.of("moveDeployment");
    for (int i = 1; i < moves.size(); i++) {
      assertTrue(moves.get(i - 1).end() <= moves.get(i).start(), "overlap: " + moves);
    }
    // plan order, as before the change
    assertEquals(List.of("apps/Deployment/svc-a", "apps/Deployment/svc-b", "apps/Deployment/svc-c",
        "apps/Deployment/svc-d", "apps/Deployment/svc-e", "apps/Deployment/svc-f"),
        moves.stream().map(s -> s.what().substring(0, s.what().indexOf(' '))).toList());
  }

  @Test
  void workloadsUnderOneBudgetNeverMoveAtOnce(TestWorkflowEnvironment env, Worker worker) {
    Assumptions.assumeFalse(RECORD, "recording");
    ScriptedCluster cluster = new ScriptedCluster()
        .workload(deployment("shop", "cart", 2, "shop-shared"))
        .workload(deployment("shop", "checkout", 2, "shop-shared"))
        .workload(deployment("shop", "search", 2, "search"))
        .workload(deployment("shop", "web", 2, "web"));
    Timeline timeline = new Timeline(cluster, Map.of("moveDeployment", 300L, "restoreDeployment", 300L), w -> false);

    UpgradeResult result = result(start(env, cluster, worker, "pdb-" + System.nanoTime(), requestWith(10)));

    assertEquals(CycleStatus.SUCCEEDED, result.status());
    for (String method : List.of("moveDeployment", "restoreDeployment")) {
      Span cart = timeline.of(method, "shop/Deployment/cart");
      Span checkout = timeline.of(method, "shop/Deployment/checkout");
      assertFalse(cart.overlaps(checkout), method + ": cart and checkout share a budget but overlapped");
      // the others did move beside them: three at once
      assertEquals(3, timeline.mostAtOnce(method), timeline.spans().toString());
    }
  }

  @Test
  void kafkaBrokersStayOneAtATimeWithTheirGatesWhileDeploymentsMoveBeside(TestWorkflowEnvironment env,
      Worker worker) {
    Assumptions.assumeFalse(RECORD, "recording");
    ScriptedCluster cluster = independentDeployments(3)
        .workload(ScriptedCluster.workload(new WorkloadRef("kafka", "StatefulSet", "kafka"), 3, List.of(0, 1, 2),
            false, List.of(new PdbInfo("kafka", "kafka", 1, 3, 2))));
    Timeline timeline = new Timeline(cluster, Map.of("moveDeployment", 600L, "restoreDeployment", 600L,
        "moveStatefulSetPod", 150L, "restoreStatefulSetPod", 150L, "awaitSafeToMove", 50L, "awaitCaughtUp", 50L),
        w -> false);
    UpgradeRequest request = requestWith(2).toBuilder()
        .kafka(new KafkaRotation("kafka", "kafka", null, 0, 0L, 120L)).build();

    UpgradeResult result = result(start(env, cluster, worker, "kafka-" + System.nanoTime(), request));

    assertEquals(CycleStatus.SUCCEEDED, result.status());
    for (String method : List.of("moveStatefulSetPod", "restoreStatefulSetPod")) {
      List<Span> brokers = timeline.of(method);
      assertEquals(3, brokers.size());
      List<Span> gates = timeline.of("awaitSafeToMove").subList(method.startsWith("move") ? 0 : 3,
          method.startsWith("move") ? 3 : 6);
      List<Span> caughtUp = timeline.of("awaitCaughtUp").subList(method.startsWith("move") ? 0 : 3,
          method.startsWith("move") ? 3 : 6);
      for (int i = 0; i < 3; i++) {
        // gate, move, caught up: in that order for each broker, and all of it before the next broker's gate
        assertTrue(gates.get(i).end() <= brokers.get(i).start(), "gate after move: " + timeline.spans());
        assertTrue(brokers.get(i).end() <= caughtUp.get(i).start(), "caught up before move: " + timeline.spans());
        if (i > 0) {
          assertTrue(caughtUp.get(i - 1).end() <= gates.get(i).start(), "two brokers out: " + timeline.spans());
          assertFalse(brokers.get(i - 1).overlaps(brokers.get(i)), "brokers overlapped: " + brokers);
        }
      }
      // the Deployments moved while the brokers did
      String deployments = method.startsWith("move") ? "moveDeployment" : "restoreDeployment";
      Span firstBroker = brokers.get(0);
      // the broker chain, the longest move, got one of the two slots at once although the plan
      // lists it last (in plan order it would have waited for a Deployment to end)
      Span firstGate = gates.get(0);
      assertTrue(timeline.of(deployments).stream().allMatch(d -> firstGate.start() < d.end()),
          "the broker chain waited for a Deployment: " + timeline.spans());
      assertTrue(timeline.of(deployments).stream().anyMatch(d -> d.overlaps(firstBroker)),
          "no Deployment moved beside the brokers: " + timeline.spans());
    }
  }

  @Test
  void aPauseStartsNoNewMoveUntilResumed(TestWorkflowEnvironment env, Worker worker) {
    Assumptions.assumeFalse(RECORD, "recording");
    ScriptedCluster cluster = independentDeployments(6);
    NodePoolUpgradeWorkflow[] self = new NodePoolUpgradeWorkflow[1];
    Timeline timeline = new Timeline(cluster, Map.of("moveDeployment", 400L), call -> false);
    timeline.atStart = call -> {
      if (call.startsWith("moveDeployment apps/Deployment/svc-a")) {
        self[0].pause("change freeze"); // svc-a and svc-b are in flight, and stay 400 ms
      }
    };
    self[0] = start(env, cluster, worker, "pause-" + System.nanoTime(), requestWith(2));

    Progress paused = awaitProgress(self[0], p -> p.status() == CycleStatus.PAUSED);
    long pausedSeenAt = System.nanoTime();
    assertEquals("change freeze", paused.pauseReason());
    // PAUSED means nothing moves: the two moves in flight had ended before it was reported
    List<Span> moved = timeline.of("moveDeployment");
    assertEquals(2, moved.size(), moved.toString());
    assertTrue(moved.stream().allMatch(s -> s.end() > 0 && s.end() <= pausedSeenAt), moved.toString());
    sleep(800);
    // none started after the pause
    moved = timeline.of("moveDeployment");
    assertEquals(2, moved.size(), moved.toString());
    assertEquals(2, self[0].progress().phases().get(Phase.MIGRATE).done());
    assertEquals(2, cluster.calls().stream().filter(c -> c.startsWith("moveDeployment")).count());

    long resumedAt = System.nanoTime();
    self[0].resume();
    assertEquals(CycleStatus.SUCCEEDED, result(self[0]).status());
    List<Span> after = timeline.of("moveDeployment").subList(2, 6);
    assertTrue(after.stream().allMatch(s -> s.start() >= resumedAt), "a move started during the pause");
    assertEquals(2, timeline.mostAtOnce("moveDeployment"));
  }

  @Test
  void aFailingMoveRollsBackEverythingMovedAfterTheMovesInFlightEnded(TestWorkflowEnvironment env, Worker worker) {
    Assumptions.assumeFalse(RECORD, "recording");
    ScriptedCluster cluster = independentDeployments(4);
    // svc-c fails after 100 ms; svc-a, svc-b and svc-d are still moving when it does (600 ms)
    Timeline timeline = new Timeline(cluster, call -> call.startsWith("moveDeployment apps/Deployment/svc-c") ? 100
        : call.startsWith("moveDeployment") ? 600 : call.startsWith("restoreDeployment") ? 300 : 0,
        call -> call.startsWith("moveDeployment apps/Deployment/svc-c"));

    ApplicationFailure failure = failureOf(start(env, cluster, worker, "fail-" + System.nanoTime(), requestWith(4)));

    assertEquals("CycleRolledBack", failure.getType());
    List<Span> moveSpans = timeline.of("moveDeployment");
    List<Span> restores = timeline.of("restoreDeployment");
    assertEquals(4, moveSpans.size(), moveSpans.toString());
    Span failed = timeline.of("moveDeployment", "apps/Deployment/svc-c");
    assertTrue(moveSpans.stream().filter(m -> m != failed).allMatch(m -> m.overlaps(failed)), moveSpans.toString());
    long lastMoveEnded = moveSpans.stream().mapToLong(Span::end).max().orElseThrow();
    long firstRestoreStarted = restores.stream().mapToLong(Span::start).min().orElseThrow();
    // the rollback started only after all four moves, the failed one and those in flight, had ended
    assertTrue(lastMoveEnded <= firstRestoreStarted, "a rollback started while a move was in flight");
    // it moved back all four (svc-c too: its failed move had touched it), side by side
    assertEquals(List.of("apps/Deployment/svc-a", "apps/Deployment/svc-b", "apps/Deployment/svc-c",
        "apps/Deployment/svc-d"), restores.stream().map(Span::what).sorted().toList());
    assertEquals(4, timeline.mostAtOnce("restoreDeployment"), restores.toString());
    assertEquals(4, cluster.podsOn(POOL).size());
    assertTrue(cluster.podsOn(TEMP).isEmpty());
    assertFalse(cluster.poolExists(TEMP));
    assertTrue(cluster.violations().isEmpty(), cluster.violations().toString());
  }

  /**
   * A temporary pool sized by hand (one node per zone: 3 x 3820 mCPU filled to 85 %, 9741 mCPU)
   * for five Deployments of 2000 mCPU each: four fit beside each other, the fifth would overfill the
   * pool and waits until it is the only move, as a sequential cycle would have moved it. Moving back
   * onto the original pool is not limited by the temporary pool.
   */
  @Test
  void movesThatWouldOverfillTheTemporaryPoolWaitUntilTheyAreAlone(TestWorkflowEnvironment env, Worker worker) {
    Assumptions.assumeFalse(RECORD, "recording");
    ScriptedCluster cluster = new ScriptedCluster();
    for (String name : List.of("svc-a", "svc-b", "svc-c", "svc-d", "svc-e")) {
      cluster.workload(deployment("apps", name, 8, name)); // 8 pods x 250 mCPU
    }
    Timeline timeline = new Timeline(cluster, Map.of("moveDeployment", 300L, "restoreDeployment", 300L), w -> false);
    UpgradeRequest request = requestWith(10).toBuilder().tempPool(new TempPoolSettings(null, null, 1)).build();

    UpgradeResult result = result(start(env, cluster, worker, "capacity-" + System.nanoTime(), request));

    assertEquals(CycleStatus.SUCCEEDED, result.status());
    Span fifth = timeline.of("moveDeployment", "apps/Deployment/svc-e");
    List<Span> firstFour = timeline.of("moveDeployment").stream().filter(m -> m != fifth).toList();
    assertEquals(4, timeline.mostAtOnce("moveDeployment"), timeline.spans().toString());
    assertTrue(firstFour.stream().allMatch(m -> m.end() <= fifth.start()), "svc-e moved beside others: "
        + timeline.spans());
    assertEquals(5, timeline.mostAtOnce("restoreDeployment"), timeline.spans().toString());
  }

  /** With several moves in flight the progress names each of them, and counts each workload once when it is done. */
  @Test
  void progressNamesEveryMoveInFlightAndCountsEachWhenDone(TestWorkflowEnvironment env, Worker worker) {
    Assumptions.assumeFalse(RECORD, "recording");
    ScriptedCluster cluster = independentDeployments(3);
    new Timeline(cluster, Map.of("moveDeployment", 800L), w -> false);
    NodePoolUpgradeWorkflow workflow = start(env, cluster, worker, "progress-" + System.nanoTime(), requestWith(10));

    Progress during = awaitProgress(workflow, p -> p.step().startsWith("3 moves in flight"));
    assertEquals("3 moves in flight: rolling out apps/Deployment/svc-a onto " + TEMP + "; rolling out "
        + "apps/Deployment/svc-b onto " + TEMP + "; rolling out apps/Deployment/svc-c onto " + TEMP, during.step());
    assertEquals(0, during.phases().get(Phase.MIGRATE).done());
    assertEquals(3, during.phases().get(Phase.MIGRATE).total());

    UpgradeResult result = result(workflow);
    assertEquals(3, result.phases().get(Phase.MIGRATE).done());
    assertEquals(3, result.phases().get(Phase.RESTORE).done());
  }

  /** Moving side by side writes no more history events than moving one after the other. */
  @Test
  void theHistoryIsNoLargerThanWithSequentialMoves() {
    Assumptions.assumeFalse(RECORD, "recording");
    long sequential = eventsOfACycle(1);
    long parallel = eventsOfACycle(10);
    System.out.printf("history events, 20 Deployments + 3 brokers: sequential %d, parallel %d%n", sequential, parallel);
    assertTrue(parallel <= sequential + 1, "parallel " + parallel + " > sequential " + sequential + " + the marker");
  }

  private static long eventsOfACycle(int parallelism) {
    TestWorkflowEnvironment env = TestWorkflowEnvironment.newInstance();
    try {
      CycleSearchAttributes.ALL.forEach(key -> env.registerSearchAttribute(key.getName(),
          io.temporal.api.enums.v1.IndexedValueType.INDEXED_VALUE_TYPE_KEYWORD));
      Worker worker = env.newWorker(NodePoolUpgradeWorkflow.TASK_QUEUE);
      worker.registerWorkflowImplementationTypes(CycleTestExtension.WORKFLOWS);
      ScriptedCluster cluster = independentDeployments(20)
          .workload(ScriptedCluster.workload(new WorkloadRef("kafka", "StatefulSet", "kafka"), 3, List.of(0, 1, 2),
              false, List.of(new PdbInfo("kafka", "kafka", 1, 3, 2))));
      new Timeline(cluster, Map.of("moveDeployment", 20L, "restoreDeployment", 20L), w -> false);
      UpgradeRequest request = requestWith(parallelism).toBuilder()
          .kafka(new KafkaRotation("kafka", "kafka", null, 0, 5L, 120L)).build();
      NodePoolUpgradeWorkflow workflow = start(env, cluster, worker, "size-" + parallelism, request);
      assertEquals(CycleStatus.SUCCEEDED, result(workflow).status());
      return env.getWorkflowClient().fetchHistory("size-" + parallelism).getEvents().size();
    } finally {
      env.close();
    }
  }

  @Test
  void moveParallelismIsValidatedWithTheFieldsName() {
    for (int bad : new int[] {0, -1, 101}) {
      List<String> problems = RequestValidator.problems(requestWith(bad));
      assertEquals(1, problems.size(), problems.toString());
      assertTrue(problems.get(0).startsWith("moveParallelism must be 1 to 100 (got " + bad + ")"), problems.get(0));
    }
    assertTrue(RequestValidator.problems(requestWith(1)).isEmpty());
    assertTrue(RequestValidator.problems(requestWith(100)).isEmpty());
    assertEquals(10, request().moveParallelismOrDefault());
  }

  @Test
  void aCycleRecordedWithTheChangeReplays() throws Exception {
    Assumptions.assumeFalse(RECORD, "recording");
    String history = Files.readString(Path.of("src/test/resources/histories", HISTORY + ".json"));
    assertTrue(history.contains(marker()), "the recorded history is not of the new shape");
    WorkflowReplayer.replayWorkflowExecutionFromResource("histories/" + HISTORY + ".json",
        NodePoolUpgradeWorkflowImpl.class);
  }

  /** Records {@link #HISTORY}: four independent Deployments and Kafka, moved side by side. */
  @Test
  void record(TestWorkflowEnvironment env, Worker worker) throws Exception {
    Assumptions.assumeTrue(RECORD);
    ScriptedCluster cluster = independentDeployments(4)
        .workload(ScriptedCluster.workload(new WorkloadRef("kafka", "StatefulSet", "kafka"), 3, List.of(0, 1, 2),
            false, List.of(new PdbInfo("kafka", "kafka", 1, 3, 2))));
    new Timeline(cluster, Map.of("moveDeployment", 200L, "restoreDeployment", 200L), w -> false);
    UpgradeRequest request = requestWith(3).toBuilder()
        .kafka(new KafkaRotation("kafka", "kafka", null, 0, 0L, 120L)).build();
    result(start(env, cluster, worker, "parallel-moves", request));
    Files.writeString(Path.of("src/test/resources/histories", HISTORY + ".json"),
        env.getWorkflowClient().fetchHistory("parallel-moves").toJson(true));
  }

  /** The change id as a marker stores it: a JSON string in base64. */
  private static String marker() {
    return Base64.getEncoder().encodeToString(
        ("\"" + WorkloadMover.PARALLEL_MOVES + "\"").getBytes(StandardCharsets.UTF_8)).replace("=", "");
  }
}
