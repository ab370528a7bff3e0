package dev.evolve.starter;

import dev.evolve.workflows.NodePoolUpgradeWorkflow;
import dev.evolve.workflows.model.UpgradeRequest;
import dev.evolve.workflows.model.UpgradeResult;
import io.temporal.api.enums.v1.WorkflowIdConflictPolicy;
import io.temporal.api.enums.v1.WorkflowIdReusePolicy;
import io.temporal.client.WorkflowClient;
import io.temporal.client.WorkflowExecutionAlreadyStarted;
import io.temporal.client.WorkflowOptions;
import io.temporal.client.WorkflowStub;
import java.util.concurrent.Callable;
import picocli.CommandLine.Command;
import picocli.CommandLine.Mixin;
import picocli.CommandLine.Option;
import picocli.CommandLine.Spec;
import picocli.CommandLine.Model.CommandSpec;

@Command(name = "start", mixinStandardHelpOptions = true,
    description = "Start an upgrade cycle. One cycle per pool runs at a time: its workflow id is evolve-<cluster>-<pool>.")
final class StartCommand implements Callable<Integer> {

  @Mixin TemporalOptions temporal;
  @Mixin RequestOptions requestOptions;

  @Option(names = "--workflow-id", description = "default: evolve-<cluster>-<pool>")
  String workflowId;

  @Option(names = "--wait", description = "wait for the cycle to end and print its result")
  boolean await;

  @Spec CommandSpec spec;

  static String defaultWorkflowId(UpgradeRequest request) {
    return "evolve-" + request.cluster() + "-" + request.nodePool();
  }

  @Override
  public Integer call() {
    UpgradeRequest request = requestOptions.request();
    String id = workflowId != null ? workflowId : defaultWorkflowId(request);
    WorkflowClient client = temporal.client();
    NodePoolUpgradeWorkflow workflow = client.newWorkflowStub(NodePoolUpgradeWorkflow.class,
        WorkflowOptions.newBuilder()
            .setTaskQueue(temporal.taskQueue())
            .setWorkflowId(id)
            // a second cycle on the same pool while one runs would fight over the same workloads
            .setWorkflowIdConflictPolicy(WorkflowIdConflictPolicy.WORKFLOW_ID_CONFLICT_POLICY_FAIL)
            .setWorkflowIdReusePolicy(WorkflowIdReusePolicy.WORKFLOW_ID_REUSE_POLICY_ALLOW_DUPLICATE)
            .build());
    try {
      WorkflowClient.start(workflow::run, request);
    } catch (WorkflowExecutionAlreadyStarted e) {
      spec.commandLine().getErr().println("error: a cycle for pool " + request.nodePool() + " is already running as "
          + id + "; watch it with ./evolve status " + id);
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
}
