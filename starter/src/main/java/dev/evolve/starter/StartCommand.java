package dev.evolve.starter;

import dev.evolve.workflows.NodePoolUpgradeWorkflow;
import dev.evolve.workflows.activities.FailureTypes;
import dev.evolve.workflows.model.PoolKey;
import dev.evolve.workflows.model.UpgradeRequest;
import dev.evolve.workflows.model.UpgradeResult;
import io.temporal.api.enums.v1.WorkflowExecutionStatus;
import io.temporal.client.WorkflowClient;
import io.temporal.client.WorkflowExecutionAlreadyStarted;
import io.temporal.client.WorkflowExecutionDescription;
import io.temporal.client.WorkflowFailedException;
import io.temporal.client.WorkflowStub;
import io.temporal.failure.ApplicationFailure;
import java.time.Duration;
import java.util.Optional;
import java.util.concurrent.Callable;
import picocli.CommandLine.Command;
import picocli.CommandLine.Mixin;
import picocli.CommandLine.Option;
import picocli.CommandLine.Spec;
import picocli.CommandLine.Model.CommandSpec;

@Command(name = "start", mixinStandardHelpOptions = true,
    description = "Start an upgrade cycle. One cycle per pool runs at a time: its workflow id is"
        + " evolve/<project>/<location>/<cluster>/<pool>, and a cycle started otherwise (a schedule, the Web UI)"
        + " holds the pool's lock, which refuses a second one.")
final class StartCommand implements Callable<Integer> {

  @Mixin TemporalOptions temporal;
  @Mixin RequestOptions requestOptions;

  @Option(names = "--workflow-id", description = "default: evolve/<project>/<location>/<cluster>/<pool>")
  String workflowId;

  @Option(names = "--wait", description = "wait for the cycle to end and print its result")
  boolean await;

  @Spec CommandSpec spec;

  /** How long start waits at most for the cycle to take its pool's lock, so that a refusal is answered here. */
  static final Duration LOCK_ANSWER_WAIT = Duration.ofSeconds(5);

  static String defaultWorkflowId(UpgradeRequest request) {
    return PoolKey.of(request).cycleId();
  }

  @Override
  public Integer call() {
    UpgradeRequest request = requestOptions.request();
    String id = workflowId != null ? workflowId : defaultWorkflowId(request);
    WorkflowClient client = temporal.client();
    // a second cycle on the same pool while one runs would fight over the same workloads
    NodePoolUpgradeWorkflow workflow = client.newWorkflowStub(NodePoolUpgradeWorkflow.class, temporal.startOnce(id));
    try {
      WorkflowClient.start(workflow::run, request);
    } catch (WorkflowExecutionAlreadyStarted e) {
      spec.commandLine().getErr().println("error: a cycle for pool " + request.nodePool() + " is already running as "
          + id + "; watch it with ./evolve status " + id);
      return CliErrors.FAILED;
    }
    Optional<String> refusal = refusedByThePoolsLock(WorkflowStub.fromTyped(workflow), PoolKey.of(request).lockId());
    if (refusal.isPresent()) {
      spec.commandLine().getErr().println("error: " + refusal.get());
      return CliErrors.FAILED;
    }
    var out = spec.commandLine().getOut();
    out.println("started cycle " + id + " (" + request.nodePool() + " -> " + request.targetVersion() + ")");
    out.println("  progress: ./evolve status " + id + "   pause: ./evolve pause " + id + " --reason \"...\"");
    if (!await) {
      return 0;
    }
    UpgradeResult result = WorkflowStub.fromTyped(workflow).getResult(UpgradeResult.class);
    out.println(Printer.result(result));
    return 0;
  }

  /**
   * The id conflict only catches a second start with the same id; a cycle started by a schedule
   * (whose ids carry the start time) or by hand holds the pool's lock instead, and the new cycle
   * fails at once as PoolInAnotherCycle. Waiting until the cycle holds its lock (the lock is its
   * pending child) or has ended lets start say so; a worker that is not running costs the wait.
   */
  private static Optional<String> refusedByThePoolsLock(WorkflowStub cycle, String lockId) {
    long deadline = System.nanoTime() + LOCK_ANSWER_WAIT.toNanos();
    while (System.nanoTime() < deadline) {
      WorkflowExecutionDescription description = cycle.describe();
      if (description.getStatus() != WorkflowExecutionStatus.WORKFLOW_EXECUTION_STATUS_RUNNING) {
        return refusal(cycle);
      }
      if (description.getRawDescription().getPendingChildrenList().stream()
          .anyMatch(child -> child.getWorkflowId().equals(lockId))) {
        return Optional.empty();
      }
      try {
        Thread.sleep(100);
      } catch (InterruptedException e) {
        Thread.currentThread().interrupt();
        return Optional.empty();
      }
    }
    return Optional.empty();
  }

  private static Optional<String> refusal(WorkflowStub ended) {
    try {
      ended.getResult(UpgradeResult.class);
    } catch (WorkflowFailedException failed) {
      if (failed.getCause() instanceof ApplicationFailure app
          && FailureTypes.POOL_IN_ANOTHER_CYCLE.equals(app.getType())) {
        String holder = app.getDetails().get(String.class);
        return Optional.of(app.getOriginalMessage() + (holder == null ? "" : "; watch it with ./evolve status " + holder));
      }
    }
    return Optional.empty();
  }
}
