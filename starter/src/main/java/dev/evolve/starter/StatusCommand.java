package dev.evolve.starter;

import dev.evolve.workflows.NodePoolUpgradeWorkflow;
import dev.evolve.workflows.model.Progress;
import io.temporal.api.enums.v1.WorkflowExecutionStatus;
import io.temporal.client.WorkflowClient;
import java.util.concurrent.Callable;
import picocli.CommandLine.Command;
import picocli.CommandLine.Mixin;
import picocli.CommandLine.Option;
import picocli.CommandLine.Parameters;
import picocli.CommandLine.Spec;
import picocli.CommandLine.Model.CommandSpec;

@Command(name = "status", mixinStandardHelpOptions = true, description = "Print a cycle's progress (the progress query).")
final class StatusCommand implements Callable<Integer> {

  @Mixin TemporalOptions temporal;
  @Parameters(index = "0", description = "workflow id, e.g. evolve/my-project/europe-west1/prod/default-pool") String workflowId;
  @Option(names = "--json", description = "print the raw progress as JSON") boolean json;
  @Option(names = "--watch", description = "print again every 2 s until the cycle ends") boolean watch;
  @Spec CommandSpec spec;

  @Override
  public Integer call() throws Exception {
    WorkflowClient client = temporal.client();
    NodePoolUpgradeWorkflow workflow = client.newWorkflowStub(NodePoolUpgradeWorkflow.class, workflowId);
    while (true) {
      Progress progress = workflow.progress();
      WorkflowExecutionStatus status = client.newUntypedWorkflowStub(workflowId).describe().getStatus();
      var out = spec.commandLine().getOut();
      out.println(json ? RequestOptions.JSON.writerWithDefaultPrettyPrinter().writeValueAsString(progress)
          : Printer.progress(progress, System.currentTimeMillis()));
      if (!watch || status != WorkflowExecutionStatus.WORKFLOW_EXECUTION_STATUS_RUNNING) {
        return 0;
      }
      Thread.sleep(2000);
    }
  }
}
