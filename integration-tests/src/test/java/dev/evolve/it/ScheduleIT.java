package dev.evolve.it;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertNotEquals;
import static org.junit.jupiter.api.Assertions.assertTrue;

import com.fasterxml.jackson.databind.JsonNode;
import dev.evolve.sandbox.SandboxStatus;
import java.nio.file.Files;
import java.nio.file.Path;
import java.time.Duration;
import java.time.ZoneId;
import java.time.ZonedDateTime;
import java.time.format.DateTimeFormatter;
import java.util.List;
import java.util.Map;
import java.util.Optional;
import org.junit.jupiter.api.BeforeAll;
import org.junit.jupiter.api.Test;

/**
 * Recurring cycles: {@code ./evolve schedule create} makes a Temporal Schedule on the real server,
 * {@code temporal schedule trigger} starts a cycle from it that runs to the end on the worker, and
 * {@code ./evolve schedule list / pause / delete} show and change it.
 */
class ScheduleIT {

  private static final String SCHEDULE = "it-recurring-default-pool";
  private static final String ZONE = "Europe/Berlin";
  private static TemporalCli temporal;
  private static EvolveCli evolve;

  @BeforeAll
  static void server() {
    temporal = DevServer.shared().cli();
    evolve = new EvolveCli(temporal.address());
  }

  @Test
  void aScheduledCycleTriggeredFromTheCliCompletesAndTheScheduleCanBePausedAndDeleted() throws Exception {
    // what a schedule does with its cycles is the subject here, not Kafka: the cluster without brokers
    Path scenario = TestPaths.root().resolve("integration-tests/src/test/resources/no-kafka-scenario.yaml");
    try (SandboxProcess sandbox = SandboxProcess.start("schedule-sandbox", "--scenario", scenario.toString(),
        "--settle-seconds", "1");
        WorkerProcess worker = WorkerProcess.start("schedule-worker", temporal.address(), sandbox)) {
      Path request = TestPaths.logs().resolve("schedule-sandbox").resolve("request.json");
      // A maintenance window around now (Berlin time), so that the triggered cycle may change things.
      DateTimeFormatter hhmm = DateTimeFormatter.ofPattern("HH:mm");
      ZonedDateTime now = ZonedDateTime.now(ZoneId.of(ZONE));
      String window = now.minusHours(1).format(hhmm) + "-" + now.plusHours(2).format(hhmm);

      String created = evolve.run("schedule", "create", "--id", SCHEDULE, "--file", request.toString(),
          "--every", "1h", "--time-zone", ZONE, "--window", window);
      assertTrue(created.contains("created schedule " + SCHEDULE), created);
      JsonNode described = temporal.json("schedule", "describe", "--schedule-id", SCHEDULE);
      assertEquals("NodePoolUpgrade", described.path("schedule").path("action").path("startWorkflow")
          .path("workflowType").path("name").asText(), described.toString());
      assertEquals("evolve-node-pools", described.path("schedule").path("action").path("startWorkflow")
          .path("taskQueue").path("name").asText());
      assertTrue(listLine(SCHEDULE).contains("active"), listLine(SCHEDULE));

      temporal.run("schedule", "trigger", "--schedule-id", SCHEDULE);
      String cycle = Await.until("the triggered cycle to be listed", Duration.ofSeconds(30), Duration.ofMillis(500),
          () -> temporal.list("TemporalScheduledById='" + SCHEDULE + "'").stream().findFirst());
      Await.until(cycle + " to complete", Duration.ofMinutes(3), Duration.ofSeconds(1), () -> {
        String status = temporal.executionStatus(cycle);
        if (!status.equals("RUNNING") && !status.equals("COMPLETED")) {
          throw new AssertionError(cycle + " ended " + status + ": " + temporal.progress(cycle));
        }
        return status.equals("COMPLETED") ? Optional.of(status) : Optional.empty();
      });
      assertEquals("SUCCEEDED", temporal.progress(cycle).path("status").asText(), "inside its window it upgrades");
      SandboxStatus after = sandbox.awaitStatus("the temp pool gone", s -> !s.pools().containsKey("default-pool-temp"));
      assertEquals(Map.of("default-pool", new SandboxStatus.PoolStatus("1.33.5-gke.1201000", "RUNNING", 3)),
          after.pools());
      assertTrue(listLine(SCHEDULE).contains(cycle), "list shows the last cycle: " + listLine(SCHEDULE));

      evolve.run("schedule", "pause", SCHEDULE, "--reason", "change freeze");
      JsonNode paused = temporal.json("schedule", "describe", "--schedule-id", SCHEDULE).path("schedule").path("state");
      assertTrue(paused.path("paused").asBoolean(), paused.toString());
      assertEquals("change freeze", paused.path("notes").asText());
      assertTrue(listLine(SCHEDULE).contains("paused"), listLine(SCHEDULE));

      evolve.run("schedule", "delete", SCHEDULE);
      assertNotEquals(0, temporal.tryRun("schedule", "describe", "--schedule-id", SCHEDULE).exitCode());
      assertFalse(evolve.run("schedule", "list").contains(SCHEDULE));
    } finally {
      evolve.tryRun("schedule", "delete", SCHEDULE);
    }
  }

  @Test
  void aFleetScheduleStartsFleetUpgradesWithTheFleetFromItsFile() throws Exception {
    String id = "it-fleet-shop";
    Path file = Files.writeString(Files.createDirectories(TestPaths.logs()).resolve("fleet.yaml"), """
        name: shop
        targetVersion: 1.33.5-gke.1201000
        soakSeconds: 3600
        pools:
          - {project: shop-prod, location: europe-west1, cluster: alpha, nodePool: default-pool, taskQueue: evolve-alpha}
          - {project: shop-prod, location: us-east1, cluster: beta, nodePool: default-pool, taskQueue: evolve-beta}
        """);
    try {
      String created = evolve.run("fleet", "schedule", "--id", id, "--file", file.toString(), "--cron", "0 3 * * SAT",
          "--time-zone", ZONE, "--paused");
      assertTrue(created.contains("created schedule " + id + ": cron \"0 3 * * SAT\" (" + ZONE + "), paused; each run "
          + "upgrades 2 pools in 2 waves"), created);
      JsonNode action = temporal.json("schedule", "describe", "--schedule-id", id).path("schedule").path("action")
          .path("startWorkflow");
      assertEquals("FleetUpgrade", action.path("workflowType").path("name").asText(), action.toString());
      assertEquals(id, action.path("workflowId").asText(), action.toString());
      String input = new String(java.util.Base64.getDecoder().decode(
          action.path("input").path("payloads").path(0).path("data").asText()), java.nio.charset.StandardCharsets.UTF_8);
      assertTrue(input.contains("\"soakSeconds\":3600") && input.contains("\"taskQueue\":\"evolve-beta\""),
          "the fleet travels as the input: " + input);
      assertTrue(listLine(id).contains("paused"), listLine(id));
      evolve.run("schedule", "delete", id);
      assertNotEquals(0, temporal.tryRun("schedule", "describe", "--schedule-id", id).exitCode());
    } finally {
      evolve.tryRun("schedule", "delete", id);
    }
  }

  /** The line of {@code ./evolve schedule list} about one schedule. */
  private static String listLine(String id) {
    List<String> lines = evolve.run("schedule", "list").lines().filter(l -> l.startsWith(id)).toList();
    assertEquals(1, lines.size(), "./evolve schedule list lines for " + id + ": " + lines);
    return lines.get(0);
  }
}
