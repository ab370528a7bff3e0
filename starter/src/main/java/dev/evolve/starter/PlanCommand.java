package dev.evolve.starter;

import dev.evolve.workflows.NodePoolUpgradeWorkflow;
import dev.evolve.workflows.model.UpgradeRequest;
import dev.evolve.workflows.model.UpgradeResult;
import io.temporal.client.WorkflowClient;
import io.temporal.client.WorkflowOptions;
import io.temporal.client.WorkflowStub;
import java.util.concurrent.Callable;
import picocli.CommandLine.Command;
import picocli.CommandLine.Mixin;
import picocli.CommandLine.Spec;
import picocli.CommandLine.Model.CommandSpec;

@Command(name = "plan", mixinStandardHelpOptions = true,
    description = "Dry run: read the cluster, print what would move, the temporary pool's size and any blockers. Changes nothing.")
final class PlanCommand implements Callable<Integer> {

  @Mixin TemporalOptions temporal;
  @Mixin RequestOptions requestOptions;
  @Spec CommandSpec spec;

  @Override
  public Integer call() {
    UpgradeRequest request = requestOptions.request().withDryRun(true);
    WorkflowClient client = temporal.client();
    String id = StartCommand.defaultWorkflowId(request) + "-plan-" + System.currentTimeMillis();
    NodePoolUpgradeWorkflow workflow = client.newWorkflowStub(NodePoolUpgradeWorkflow.class,
        WorkflowOptions.newBuilder().setTaskQueue(temporal.taskQueue()).setWorkflowId(id).build());
    WorkflowClient.start(workflow::run, request);
    UpgradeResult result = WorkflowStub.fromTyped(workflow).getResult(UpgradeResult.class);
    spec.commandLine().getOut().println(Printer.plan(result.plan()));
    return result.plan().isBlocked() ? CliErrors.FAILED : 0;
  }
}
