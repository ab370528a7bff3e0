package dev.evolve.it;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertTrue;

import com.fasterxml.jackson.databind.JsonNode;
import dev.evolve.sandbox.SandboxStatus;
import java.io.IOException;
import java.nio.file.Path;
import java.time.Duration;
import java.util.List;
import java.util.Map;
import java.util.Optional;
import org.junit.jupiter.api.BeforeAll;
import org.junit.jupiter.api.Test;

/**
 * A cycle driven only through the {@code temporal} CLI, with the README's own command and input,
 * on a worker process against the sandbox process: progress query, pause and resume signals,
 * search attributes, and a cancel that rolls back.
 */
class CliCycleIT {

  private static TemporalCli temporal;

  @BeforeAll
  static void server() {
    temporal = DevServer.shared().cli();
  }

  @Test
  void theReadmesCommandRunsACycleThatPausesResumesAndCompletes() throws IOException {
    ReadmeExample.StartCommand command = ReadmeExample.startCommand();
    assertEquals(ReadmeExample.uiInput(), TemporalCli.JSON.readTree(command.input()),
        "the README's UI input and its CLI --input differ");
    try (SandboxProcess sandbox = SandboxProcess.start("cli-cycle-sandbox");
        WorkerProcess worker = WorkerProcess.start("cli-cycle-worker", temporal.address(), sandbox)) {
      SandboxStatus before = sandbox.status();
      String id = command.workflowId();

      temporal.startCycle(id, command.input());
      awaitProgress(id, "something moved in MIGRATE",
          p -> p.path("phase").asText().equals("MIGRATE") && p.path("phases").path("MIGRATE").path("done").asInt() >= 1);

      temporal.run("workflow", "signal", "--workflow-id", id, "--name", "pause", "--input", "\"change freeze\"");
      JsonNode paused = awaitProgress(id, "the pause to take effect", p -> p.path("status").asText().equals("PAUSED"));
      assertEquals("change freeze", paused.path("pauseReason").asText());
      assertEquals("MIGRATE", paused.path("phase").asText());

      // Held means held: over a few seconds no pod starts anywhere and the cycle stays where it was.
      Map<String, Integer> startsWhenPaused = sandbox.status().podStarts();
      Await.pause(Duration.ofSeconds(3));
      assertEquals(startsWhenPaused, sandbox.status().podStarts(), "pods started while the cycle was paused");
      assertEquals(paused.path("step"), temporal.progress(id).path("step"));

      // Search attributes find the running cycle by pool and phase, and not by another phase.
      awaitListed("EvolvePool='default-pool' AND EvolvePhase='MIGRATE'", id);
      awaitListed("EvolveCluster='prod-eu' AND ExecutionStatus='Running'", id);
      assertFalse(temporal.list("EvolvePool='default-pool' AND EvolvePhase='RESTORE'").contains(id));

      temporal.run("workflow", "signal", "--workflow-id", id, "--name", "resume");
      awaitExecution(id, "COMPLETED", Duration.ofMinutes(3));

      JsonNode done = temporal.progress(id);
      assertEquals("SUCCEEDED", done.path("status").asText());
      SandboxStatus after = sandbox.awaitStatus("the final state", s -> !s.pools().containsKey("default-pool-temp"));
      assertEquals(Map.of("default-pool", new SandboxStatus.PoolStatus(targetVersion(), "RUNNING", 3)), after.pools());
      assertEquals(Map.of("default-pool", total(before.podsPerPool())), after.podsPerPool(),
          "every pod back on the upgraded pool");
      assertEquals(0, after.pendingPods());
      assertEquals(List.of(), after.disruptions(), "a PodDisruptionBudget was violated");
      var kafka = sandbox.awaitKafkaReadBack();
      assertEquals(0.0, kafka.totalBelowMinIsrSeconds(), "a partition went below min.insync.replicas");
      awaitListed("EvolvePool='default-pool' AND EvolvePhase='DONE'", id);
    }
  }

  @Test
  void cancelMovesEverythingBackAndRemovesTheTempPool() {
    // The README's input without its Kafka rotation, on the cluster without brokers: the rollback of
    // a cancel is the subject; CrashSurvivalIT cancels a cycle with real brokers (and kills its worker).
    com.fasterxml.jackson.databind.node.ObjectNode input = (com.fasterxml.jackson.databind.node.ObjectNode)
        ReadmeExample.uiInput().deepCopy();
    input.remove("kafka");
    Path scenario = TestPaths.root().resolve("integration-tests/src/test/resources/no-kafka-scenario.yaml");
    try (SandboxProcess sandbox = SandboxProcess.start("cli-cancel-sandbox", "--scenario", scenario.toString());
        WorkerProcess worker = WorkerProcess.start("cli-cancel-worker", temporal.address(), sandbox)) {
      SandboxStatus before = sandbox.status();
      String id = "it-cli-cancel";

      temporal.startCycle(id, input.toString());
      sandbox.awaitStatus("pods on the temporary pool", s -> s.podsPerPool().getOrDefault("default-pool-temp", 0) > 0);
      temporal.run("workflow", "cancel", "--workflow-id", id);
      awaitExecution(id, "CANCELED", Duration.ofMinutes(3));

      JsonNode progress = temporal.progress(id);
      assertEquals("CANCELLED", progress.path("status").asText());
      // A cycle that ended after its rollback is in phase DONE (query and EvolvePhase); the rollback
      // itself is the COMPENSATE phase, which must have run to its end.
      assertEquals("DONE", progress.path("phase").asText(), progress.toString());
      JsonNode compensate = progress.path("phases").path("COMPENSATE");
      assertTrue(compensate.path("total").asInt() > 0, progress.toString());
      assertEquals(compensate.path("total").asInt(), compensate.path("done").asInt(), progress.toString());
      assertTrue(progress.path("step").asText().startsWith("rolled back after: the cycle was cancelled"), progress.toString());
      awaitListed("EvolvePool='default-pool' AND EvolvePhase='DONE'", id);
      SandboxStatus after = sandbox.awaitStatus("the temp pool gone", s -> !s.pools().containsKey("default-pool-temp"));
      assertEquals(Map.of("default-pool", before.pools().get("default-pool")), after.pools(),
          "the original pool untouched");
      assertEquals(Map.of("default-pool", total(before.podsPerPool())), after.podsPerPool(),
          "every pod back on the original pool");
      assertEquals(1L, after.gkeOperations().get("CREATE_NODE_POOL default-pool-temp"));
      assertEquals(1L, after.gkeOperations().get("DELETE_NODE_POOL default-pool-temp"));
      assertFalse(after.gkeOperations().containsKey("UPGRADE_NODES default-pool"), after.gkeOperations().toString());
    }
  }

  static String targetVersion() {
    return "1.33.5-gke.1201000";
  }

  static int total(Map<String, Integer> podsPerPool) {
    return podsPerPool.values().stream().mapToInt(Integer::intValue).sum();
  }

  private static JsonNode awaitProgress(String id, String what, java.util.function.Predicate<JsonNode> condition) {
    return Await.until(what, Duration.ofMinutes(2), Duration.ofMillis(300), () -> {
      JsonNode progress = temporal.progress(id);
      return condition.test(progress) ? Optional.of(progress) : Optional.empty();
    });
  }

  private static void awaitExecution(String id, String status, Duration timeout) {
    Await.until(id + " to be " + status, timeout, Duration.ofSeconds(1), () -> {
      String now = temporal.executionStatus(id);
      if (!now.equals("RUNNING") && !now.equals(status)) {
        throw new AssertionError(id + " ended " + now + " instead of " + status + ": " + temporal.progress(id));
      }
      return now.equals(status) ? Optional.of(now) : Optional.empty();
    });
  }

  private static void awaitListed(String query, String id) {
    Await.until("'" + query + "' to list " + id, Duration.ofSeconds(30), Duration.ofMillis(500),
        () -> temporal.list(query).contains(id) ? Optional.of(true) : Optional.empty());
  }
}
