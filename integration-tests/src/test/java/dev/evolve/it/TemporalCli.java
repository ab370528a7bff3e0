package dev.evolve.it;

import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.ObjectMapper;
import java.io.IOException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.time.Duration;
import java.util.ArrayList;
import java.util.List;
import java.util.Map;
import java.util.Optional;

/**
 * The {@code temporal} CLI as a user types it, pointed at the test's dev server. Every call is a
 * real process; a non-zero exit fails with what the CLI printed.
 */
public final class TemporalCli {

  static final ObjectMapper JSON = new ObjectMapper();

  private final Path binary;
  private final String address;

  public TemporalCli(Path binary, String address) {
    this.binary = binary;
    this.address = address;
  }

  String address() {
    return address;
  }

  Path binary() {
    return binary;
  }

  /** Runs {@code temporal ARGS --address ADDRESS} and returns its standard output. */
  String run(String... args) {
    Result result = tryRun(args);
    if (result.exitCode() != 0) {
      throw new IllegalStateException("temporal " + String.join(" ", args) + " exited with " + result.exitCode()
          + ":\n" + result.stdout() + result.stderr());
    }
    return result.stdout();
  }

  JsonNode json(String... args) {
    List<String> withJson = new ArrayList<>(List.of(args));
    withJson.addAll(List.of("-o", "json"));
    try {
      return JSON.readTree(run(withJson.toArray(String[]::new)));
    } catch (IOException e) {
      throw new IllegalStateException("temporal " + String.join(" ", args) + " did not print JSON", e);
    }
  }

  /** Waits until the server answers {@code temporal operator cluster health} with SERVING. */
  public void awaitServing() {
    Await.until("the dev server at " + address + " to serve", Duration.ofSeconds(60), Duration.ofMillis(300),
        () -> tryRun("operator", "cluster", "health").stdout().contains("SERVING") ? Optional.of(true)
            : Optional.empty());
  }

  record Result(int exitCode, String stdout, String stderr) {}

  Result tryRun(String... args) {
    List<String> command = new ArrayList<>(List.of(binary.toString()));
    command.addAll(List.of(args));
    command.addAll(List.of("--address", address));
    FinishedCommand finished = FinishedCommand.run(command, Map.of(), false, Duration.ofSeconds(60));
    return new Result(finished.exitCode(), finished.stdout(), finished.stderr());
  }

  // ---- the cycle, through the CLI ----

  /** The documented start command: {@code temporal workflow start --type NodePoolUpgrade ...}. */
  void startCycle(String workflowId, String inputJson) {
    startCycle(workflowId, inputJson, "evolve-node-pools");
  }

  /** The same on another task queue, for a worker that must not pick up the other tests' cycles. */
  void startCycle(String workflowId, String inputJson, String taskQueue) {
    run("workflow", "start", "--type", "NodePoolUpgrade", "--task-queue", taskQueue,
        "--workflow-id", workflowId, "--input", inputJson);
  }

  /** The {@code progress} query's answer. */
  JsonNode progress(String workflowId) {
    return json("workflow", "query", "--workflow-id", workflowId, "--name", "progress").path("queryResult").get(0);
  }

  /** RUNNING, COMPLETED, CANCELED, FAILED, ... as Temporal reports the execution. */
  String executionStatus(String workflowId) {
    String status = json("workflow", "describe", "--workflow-id", workflowId)
        .path("workflowExecutionInfo").path("status").asText();
    return status.replace("WORKFLOW_EXECUTION_STATUS_", "");
  }

  /**
   * Writes the workflow's event history (JSON) to {@code file}, for diagnosis after the dev server,
   * which keeps it in memory only, is gone. Best effort: a failure to save is logged, not thrown.
   */
  public void saveHistory(String workflowId, Path file) {
    Result shown = tryRun("workflow", "show", "--workflow-id", workflowId, "-o", "json");
    try {
      Files.writeString(file, shown.exitCode() == 0 ? shown.stdout() : shown.stdout() + shown.stderr());
    } catch (IOException e) {
      System.err.println("cannot write " + file + ": " + e);
    }
  }

  /** Workflow ids that a list query (visibility, i.e. search attributes) finds. */
  List<String> list(String query) {
    List<String> ids = new ArrayList<>();
    json("workflow", "list", "--query", query).forEach(e -> ids.add(e.path("execution").path("workflowId").asText()));
    return ids;
  }
}
