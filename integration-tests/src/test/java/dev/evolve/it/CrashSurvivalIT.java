package dev.evolve.it;

import static dev.evolve.it.KillPoint.POOL;
import static dev.evolve.it.KillPoint.TEMP;
import static dev.evolve.it.KillPoint.inPhase;
import static dev.evolve.it.KillPoint.poolStatus;
import static dev.evolve.it.KillPoint.stepStartsWith;
import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertTrue;

import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.node.ObjectNode;
import dev.evolve.sandbox.SandboxStatus;
import dev.evolve.sandbox.kafka.KafkaReport;
import java.time.Duration;
import java.util.ArrayList;
import java.util.List;
import java.util.Map;
import java.util.Optional;
import java.util.TreeMap;
import java.util.concurrent.CompletableFuture;
import org.junit.jupiter.api.AfterAll;
import org.junit.jupiter.api.BeforeAll;
import org.junit.jupiter.api.Test;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;

/**
 * The worker process is killed with SIGKILL at the riskiest moments of a cycle and restarted each
 * time; the cycle must end exactly like an uninterrupted one on an identical sandbox: the same
 * pools and versions, the same pods per pool, the same pod starts per workload (no pod moved twice)
 * and the same GKE operations (no second temporary pool, none left behind).
 *
 * <p>The request sets heartbeatTimeoutSeconds to 6 so that an activity that died with its worker is
 * retried within seconds rather than the production default of one to two minutes.
 */
class CrashSurvivalIT {

  private static final Logger log = LoggerFactory.getLogger(CrashSurvivalIT.class);

  /** In cycle order; each is looked for after the previous kill, once the new worker runs. */
  private static final List<KillPoint> CYCLE = List.of(
      new KillPoint("while waiting for the temp pool (GKE operation running)",
          (p, s) -> inPhase(p, "CREATE_TEMP_POOL") && poolStatus(s, TEMP).equals("PROVISIONING")),
      // moves run side by side: Deployments roll out beside the Kafka chain (which starts first and
      // may still be asking Kafka for its order); any rollout in flight is the moment, a window of a
      // second or two that a poll through the CLI must catch
      new KillPoint("mid-migration (Deployments rolling onto the temp pool, moves side by side)",
          (p, s) -> inPhase(p, "MIGRATE") && stepStartsWith(p, "rolling out")),
      new KillPoint("between Kafka brokers (broker 0 moved, broker 1 moving)",
          (p, s) -> inPhase(p, "MIGRATE") && stepStartsWith(p, "moving kafka-1")),
      new KillPoint("during a settle timer (after broker 1)",
          (p, s) -> inPhase(p, "MIGRATE") && stepStartsWith(p, "settling") && p.path("brokersRotated").asInt() == 2),
      new KillPoint("while waiting for the upgrade (GKE operation running)",
          (p, s) -> inPhase(p, "UPGRADE_ORIGINAL") && poolStatus(s, POOL).equals("RECONCILING")),
      new KillPoint("mid-restore (Deployments rolling back, moves side by side)",
          (p, s) -> inPhase(p, "RESTORE") && stepStartsWith(p, "rolling")),
      new KillPoint("mid-restore (Kafka broker 1 moving back)",
          (p, s) -> inPhase(p, "RESTORE") && stepStartsWith(p, "moving back kafka-1")),
      new KillPoint("during decommission (temp pool being deleted)",
          (p, s) -> inPhase(p, "DECOMMISSION") && poolStatus(s, TEMP).equals("STOPPING")));

  private static final List<KillPoint> COMPENSATION = List.of(
      new KillPoint("during compensation after a cancel (Deployment rolling back)",
          (p, s) -> inPhase(p, "COMPENSATE") && stepStartsWith(p, "rolling")),
      new KillPoint("during compensation after a cancel (temp pool being deleted)",
          (p, s) -> inPhase(p, "COMPENSATE") && poolStatus(s, TEMP).equals("STOPPING")));

  private static TemporalCli temporal;
  /** Runs while the first crashed cycle does, on its own sandbox, worker and task queue. */
  private static CompletableFuture<SandboxStatus> baseline;
  private static final List<String> survived = new ArrayList<>();
  private static final List<String> tried = new ArrayList<>();

  @BeforeAll
  static void serverAndBaseline() {
    temporal = DevServer.shared().cli();
    baseline = CompletableFuture.supplyAsync(CrashSurvivalIT::uninterruptedCycle);
  }

  @AfterAll
  static void report() {
    String line = "kill points survived: " + survived.size() + "/" + tried.size();
    System.out.println(line);
    log.info("{} {}", line, tried);
  }

  @Test
  void aCycleKilledAtEightPointsEndsExactlyLikeAnUninterruptedOne() {
    try (CycleRun run = CycleRun.start("crash-cycle", false, "evolve-node-pools")) {
      run.start("it-crash-cycle");
      for (KillPoint point : CYCLE) {
        run.killAt(point);
      }
      run.awaitExecution("COMPLETED");
      SandboxStatus end = run.sandbox.awaitStatus("the temp pool gone", s -> !s.pools().containsKey(TEMP));
      SandboxStatus expected = baseline();

      assertEquals(expected.pools(), end.pools(), "pools and versions");
      assertEquals(expected.podsPerPool(), end.podsPerPool(), "pods per pool");
      assertEquals(expected.podStarts(), end.podStarts(),
          "pod starts per workload (a pod moved twice? every pod's changes: crash-*-sandbox-pods.log in it-logs)");
      assertEquals(expected.gkeOperations(), end.gkeOperations(), "GKE operations (a second temp pool?)");
      assertEquals(List.of(), end.disruptions(), "PodDisruptionBudget violations");
      assertKafkaLostNothing(run.sandbox);
      survived.addAll(run.killed);
    }
  }

  @Test
  void killedDuringTheRollbackAfterACancelEverythingStillGoesBackOnce() {
    SandboxStatus moved = baseline();
    try (CycleRun run = CycleRun.start("crash-cancel", true, "evolve-node-pools")) {
      SandboxStatus before = run.sandbox.status();
      run.start("it-crash-cancel");
      // With requireApproval the cycle stops after MIGRATE with every workload on the temp pool:
      // the cancel then rolls back exactly what a full cycle moves, so the pod starts can be compared.
      run.awaitProgress("waiting for approval", p -> p.path("status").asText().equals("WAITING_FOR_APPROVAL"));
      temporal.run("workflow", "cancel", "--workflow-id", run.workflowId);
      for (KillPoint point : COMPENSATION) {
        run.killAt(point);
      }
      run.awaitExecution("CANCELED");
      SandboxStatus end = run.sandbox.awaitStatus("the temp pool gone", s -> !s.pools().containsKey(TEMP));

      assertEquals(before.pools(), end.pools(), "the original pool as it was, no temp pool");
      assertEquals(before.podsPerPool(), end.podsPerPool(), "every pod back on the original pool");
      assertEquals(movedWorkloads(moved.podStarts()), movedWorkloads(end.podStarts()),
          "pod starts per moved workload: there and back once, like a full cycle");
      assertEquals(Map.of("CREATE_NODE_POOL " + TEMP, 1L, "DELETE_NODE_POOL " + TEMP, 1L), end.gkeOperations());
      assertEquals(List.of(), end.disruptions(), "PodDisruptionBudget violations");
      assertKafkaLostNothing(run.sandbox);
      survived.addAll(run.killed);
    }
  }

  /**
   * The producer wrote through every kill, broker moves included: each acknowledged message is
   * read back, and no partition was seen below min.insync.replicas.
   */
  private static void assertKafkaLostNothing(SandboxProcess sandbox) {
    KafkaReport kafka = sandbox.awaitKafkaReadBack();
    log.info("Kafka under the crashed cycle: {} acknowledged, {} read back, lowest ISR {}, {} s below min ISR, "
        + "longest stall {} ms, broker moves {}", kafka.acknowledged(), kafka.consumed(), kafka.lowestIsr(),
        kafka.totalBelowMinIsrSeconds(), kafka.longestStallMillis(), kafka.moves());
    assertTrue(kafka.acknowledged() > 0, "the producer wrote nothing");
    assertEquals(0, kafka.unread(), "acknowledged messages never read back");
    assertEquals(0.0, kafka.totalBelowMinIsrSeconds(), "seconds with a partition below min.insync.replicas");
    assertTrue(kafka.moves().size() >= 6, "every broker moved there and back: " + kafka.moves());
  }

  /** DaemonSet pods start on every new node, which a cancelled cycle (no upgrade) has fewer of. */
  private static Map<String, Integer> movedWorkloads(Map<String, Integer> podStarts) {
    Map<String, Integer> moved = new TreeMap<>(podStarts);
    moved.keySet().removeIf(workload -> workload.contains("/DaemonSet/"));
    return moved;
  }

  /** The same cycle on an identical sandbox, never interrupted: what every crashed run must match. */
  private static SandboxStatus uninterruptedCycle() {
    try (CycleRun run = CycleRun.start("crash-baseline", false, "evolve-crash-baseline")) {
      run.start("it-crash-baseline");
      run.awaitExecution("COMPLETED");
      SandboxStatus end = run.sandbox.awaitStatus("the temp pool gone", s -> !s.pools().containsKey(TEMP));
      log.info("baseline: pools {}, pods {}, starts {}, GKE operations {}", end.pools(), end.podsPerPool(),
          end.podStarts(), end.gkeOperations());
      return end;
    }
  }

  private static SandboxStatus baseline() {
    return baseline.join();
  }

  /** One sandbox, its worker (killed and restarted), and the cycle running on them. */
  private static final class CycleRun implements AutoCloseable {

    final SandboxProcess sandbox;
    final WorkerProcess worker;
    final ObjectNode request;
    final String taskQueue;
    final List<String> killed = new ArrayList<>();
    String workflowId;

    private CycleRun(SandboxProcess sandbox, WorkerProcess worker, ObjectNode request, String taskQueue) {
      this.sandbox = sandbox;
      this.worker = worker;
      this.request = request;
      this.taskQueue = taskQueue;
    }

    static CycleRun start(String name, boolean requireApproval, String taskQueue) {
      // GKE operations of about 3 s (1 s per node) leave time to kill the worker while one runs.
      // Each run its own GKE project: cycles on the same pool (project, location, cluster, pool) exclude
      // each other, and the baseline runs beside the first crashed cycle.
      SandboxProcess sandbox = SandboxProcess.start(name + "-sandbox", "--settle-seconds", "2",
          "--gke-node-seconds", "1", "--project", "evolve-" + name);
      WorkerProcess worker = WorkerProcess.start(name + "-worker", temporal.address(), sandbox, taskQueue);
      ObjectNode request = sandbox.request();
      request.put("heartbeatTimeoutSeconds", 6);
      request.put("requireApproval", requireApproval);
      return new CycleRun(sandbox, worker, request, taskQueue);
    }

    void start(String id) {
      workflowId = id;
      temporal.startCycle(id, request.toString(), taskQueue);
    }

    /** Waits for the point, kills the worker with SIGKILL there, and starts a new one. */
    void killAt(KillPoint point) {
      tried.add(point.name());
      // up to 5 minutes: after a kill, the activities the dead worker held are only retried once
      // their heartbeat timeout has passed (a retried rollout once took over 2 minutes to be redone)
      Await.until("kill point '" + point.name() + "'", Duration.ofMinutes(5), Duration.ofMillis(100), () -> {
        if (!temporal.executionStatus(workflowId).equals("RUNNING")) {
          throw new AssertionError("the cycle ended before kill point '" + point.name() + "'");
        }
        JsonNode progress = temporal.progress(workflowId);
        return point.reachedBy(progress, sandbox.status()) ? Optional.of(progress) : Optional.empty();
      });
      worker.kill();
      log.info("killed the worker {}: {}", point.name(), sandbox.status().podsPerPool());
      worker.restart();
      killed.add(point.name());
    }

    JsonNode awaitProgress(String what, java.util.function.Predicate<JsonNode> condition) {
      return Await.until(what, Duration.ofMinutes(2), Duration.ofMillis(300), () -> {
        JsonNode progress = temporal.progress(workflowId);
        return condition.test(progress) ? Optional.of(progress) : Optional.empty();
      });
    }

    void awaitExecution(String status) {
      // Two sandboxes with three real brokers each share the machine while the baseline runs: each
      // broker move costs a JVM restart and a catch-up, so a cycle can take several minutes.
      Await.until(workflowId + " to be " + status, Duration.ofMinutes(10), Duration.ofSeconds(1), () -> {
        String now = temporal.executionStatus(workflowId);
        if (!now.equals("RUNNING") && !now.equals(status)) {
          throw new AssertionError(workflowId + " ended " + now + " instead of " + status);
        }
        return now.equals(status) ? Optional.of(now) : Optional.empty();
      });
    }

    @Override
    public void close() {
      if (workflowId != null) {
        temporal.saveHistory(workflowId, TestPaths.logs().resolve(workflowId + "-history.json"));
      }
      worker.close();
      sandbox.close();
    }
  }
}
