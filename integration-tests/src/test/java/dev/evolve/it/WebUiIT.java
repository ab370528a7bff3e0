package dev.evolve.it;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertTrue;

import com.fasterxml.jackson.databind.JsonNode;
import dev.evolve.sandbox.SandboxStatus;
import java.io.IOException;
import java.nio.file.Path;
import java.time.Duration;
import java.util.ArrayList;
import java.util.List;
import java.util.Map;
import java.util.Optional;
import java.util.Set;
import java.util.TreeSet;
import java.util.function.Predicate;
import org.junit.jupiter.api.BeforeAll;
import org.junit.jupiter.api.Test;

/**
 * A cycle driven through the dev server's Web UI in a real (headless) browser, as the README's
 * "The Web UI" says: started from the Start Workflow form with the README's input, found in the
 * workflow list by the {@code EvolvePool} search attribute, its {@code progress} query read in the
 * Queries tab, paused and resumed with the {@code pause} and {@code resume} signals, and seen
 * Completed. The CLI checks what the UI did. Screenshots of every step go to
 * target/webui-screenshots/.
 */
class WebUiIT {

  private static final String WORKFLOW_ID = "evolve-webui";
  private static final String TASK_QUEUE = "evolve-node-pools";
  private static TemporalCli temporal;
  private static String webUi;

  @BeforeAll
  static void server() {
    DevServer server = DevServer.shared();
    temporal = server.cli();
    webUi = server.webUi();
  }

  @Test
  void aCycleStartedInTheWebUiIsFoundQueriedPausedResumedAndCompletes() throws IOException {
    JsonNode input = ReadmeExample.uiInput();
    Path scenario = TestPaths.root().resolve("integration-tests/src/test/resources/no-kafka-scenario.yaml");
    Path screenshots = TestPaths.logs().resolveSibling("webui-screenshots");
    try (SandboxProcess sandbox = SandboxProcess.start("webui-sandbox", "--scenario", scenario.toString(),
            "--settle-seconds", "1");
        WorkerProcess worker = WorkerProcess.start("webui-worker", temporal.address(), sandbox);
        HeadlessChromium chromium = HeadlessChromium.start(1400, 1000)) {
      TemporalWebUi ui = new TemporalWebUi(chromium.driver(), webUi, "default", screenshots);
      try {
        SandboxStatus before = sandbox.status();

        ui.startWorkflow(WORKFLOW_ID, TASK_QUEUE, "NodePoolUpgrade", input.toString());
        assertEquals(input, startedInput(WORKFLOW_ID), "the server got another input than the form's");

        // The UI's list filter finds what the CLI's list query finds (other tests' cycles on the pool too).
        String onThePool = "EvolvePool=\"default-pool\"";
        Set<String> expected = Await.until("the cycle to be listed by " + onThePool, Duration.ofSeconds(30),
            Duration.ofMillis(300), () -> {
              Set<String> ids = new TreeSet<>(temporal.list(onThePool));
              return ids.contains(WORKFLOW_ID) ? Optional.of(ids) : Optional.empty();
            });
        assertEquals(expected, ui.listWorkflows(onThePool, expected));
        ui.openWorkflowFromList(WORKFLOW_ID);

        JsonNode progress = TemporalCli.JSON.readTree(ui.query("progress", "query-progress"));
        assertEquals("RUNNING", progress.path("status").asText(), "the Queries tab: " + progress);
        assertTrue(progress.path("phases").has("PREPARE"), "the Queries tab: " + progress);

        ui.signal("pause", "\"change freeze\"", "signal-pause");
        JsonNode paused = awaitProgress("the pause to take effect", p -> p.path("status").asText().equals("PAUSED"));
        assertEquals("change freeze", paused.path("pauseReason").asText());
        JsonNode pausedInUi = TemporalCli.JSON.readTree(ui.query("progress", "query-paused"));
        assertEquals("PAUSED", pausedInUi.path("status").asText(), "the Queries tab while paused: " + pausedInUi);
        // Held means held: while paused the cycle stays where it was.
        Map<String, Integer> startsWhenPaused = sandbox.status().podStarts();
        Await.pause(Duration.ofSeconds(2));
        assertEquals(startsWhenPaused, sandbox.status().podStarts(), "pods started while the cycle was paused");
        assertEquals(paused.path("step"), temporal.progress(WORKFLOW_ID).path("step"));

        ui.signal("resume", null, "signal-resume");
        awaitProgress("the cycle to go on after resume", p -> !p.path("status").asText().equals("PAUSED"));

        ui.awaitExecutionStatus("Completed", Duration.ofMinutes(3));
        JsonNode done = TemporalCli.JSON.readTree(ui.query("progress", "completed"));
        assertEquals("SUCCEEDED", done.path("status").asText(), "the Queries tab at the end: " + done);
        assertEquals("COMPLETED", temporal.executionStatus(WORKFLOW_ID));
        assertEquals("SUCCEEDED", temporal.progress(WORKFLOW_ID).path("status").asText());
        assertEquals(List.of("pause", "resume"), signalsReceived(WORKFLOW_ID), "the signals the UI sent");

        SandboxStatus after = sandbox.awaitStatus("the temp pool gone", s -> !s.pools().containsKey("default-pool-temp"));
        assertEquals(Map.of("default-pool", new SandboxStatus.PoolStatus(CliCycleIT.targetVersion(), "RUNNING", 3)),
            after.pools());
        assertEquals(Map.of("default-pool", CliCycleIT.total(before.podsPerPool())), after.podsPerPool(),
            "every pod back on the upgraded pool");
        assertEquals(List.of(), after.disruptions(), "a PodDisruptionBudget was violated");
      } catch (RuntimeException | Error | IOException e) {
        try {
          ui.screenshot("failure");
        } catch (RuntimeException screenshotFailed) {
          e.addSuppressed(screenshotFailed);
        }
        throw e;
      } finally {
        temporal.saveHistory(WORKFLOW_ID, TestPaths.logs().resolve(WORKFLOW_ID + "-history.json"));
      }
    }
  }

  /** The input the workflow was started with, from its first history event. */
  private static JsonNode startedInput(String workflowId) throws IOException {
    JsonNode started = firstEvent(workflowId, "workflowExecutionStartedEventAttributes");
    JsonNode payload = started.path("input").path("payloads").path(0);
    // the CLI shows a JSON payload as its value; older CLIs show the encoded payload
    if (payload.has("data") && payload.has("metadata")) {
      return TemporalCli.JSON.readTree(java.util.Base64.getDecoder().decode(payload.path("data").asText()));
    }
    return payload;
  }

  private static JsonNode firstEvent(String workflowId, String attributes) {
    for (JsonNode event : history(workflowId)) {
      if (event.has(attributes)) {
        return event.path(attributes);
      }
    }
    throw new AssertionError(workflowId + "'s history has no " + attributes);
  }

  /** The names of the signals in the workflow's history, in order. */
  private static List<String> signalsReceived(String workflowId) {
    List<String> names = new ArrayList<>();
    for (JsonNode event : history(workflowId)) {
      JsonNode signaled = event.path("workflowExecutionSignaledEventAttributes");
      if (!signaled.isMissingNode()) {
        names.add(signaled.path("signalName").asText());
      }
    }
    return names;
  }

  private static JsonNode history(String workflowId) {
    return temporal.json("workflow", "show", "--workflow-id", workflowId).path("events");
  }

  private static JsonNode awaitProgress(String what, Predicate<JsonNode> condition) {
    return Await.until(what, Duration.ofMinutes(2), Duration.ofMillis(300), () -> {
      JsonNode progress = temporal.progress(WORKFLOW_ID);
      return condition.test(progress) ? Optional.of(progress) : Optional.empty();
    });
  }
}
