package dev.evolve.starter;

import dev.evolve.workflows.NodePoolUpgradeWorkflow;
import io.temporal.api.enums.v1.WorkflowIdConflictPolicy;
import io.temporal.api.enums.v1.WorkflowIdReusePolicy;
import io.temporal.client.WorkflowClient;
import io.temporal.client.WorkflowClientOptions;
import io.temporal.client.WorkflowOptions;
import io.temporal.client.schedules.ScheduleClient;
import io.temporal.client.schedules.ScheduleClientOptions;
import io.temporal.envconfig.ClientConfigProfile;
import io.temporal.serviceclient.WorkflowServiceStubs;
import io.temporal.serviceclient.WorkflowServiceStubsOptions;
import java.io.IOException;
import java.io.UncheckedIOException;
import picocli.CommandLine.Option;

/**
 * Where Temporal is. By default read like any Temporal app reads it (TEMPORAL_ADDRESS,
 * TEMPORAL_NAMESPACE, TEMPORAL_API_KEY, TLS variables, temporal-envconfig profiles); the flags
 * override.
 */
public final class TemporalOptions {

  @Option(names = "--address", description = "Temporal frontend host:port (default: $TEMPORAL_ADDRESS or localhost:7233)")
  String address;

  @Option(names = "--namespace", description = "Temporal namespace (default: $TEMPORAL_NAMESPACE or default)")
  String namespace;

  @Option(names = "--task-queue", description = "task queue of the worker (default: ${DEFAULT-VALUE})",
      defaultValue = NodePoolUpgradeWorkflow.TASK_QUEUE)
  String taskQueue;

  private WorkflowClient client;

  public WorkflowClient client() {
    if (client == null) {
      ClientConfigProfile profile;
      try {
        profile = ClientConfigProfile.load();
      } catch (IOException e) {
        throw new UncheckedIOException("cannot read the Temporal client configuration", e);
      }
      WorkflowServiceStubsOptions.Builder stubs = WorkflowServiceStubsOptions.newBuilder(profile.toWorkflowServiceStubsOptions());
      if (address != null) {
        stubs.setTarget(address);
      }
      WorkflowClientOptions.Builder options = profile.toWorkflowClientOptions().toBuilder();
      if (namespace != null) {
        options.setNamespace(namespace);
      }
      client = WorkflowClient.newInstance(WorkflowServiceStubs.newServiceStubs(stubs.build()), options.build());
    }
    return client;
  }

  /** Schedules live in the same namespace as the cycles they start. */
  public ScheduleClient scheduleClient() {
    WorkflowClient workflows = client();
    return ScheduleClient.newInstance(workflows.getWorkflowServiceStubs(),
        ScheduleClientOptions.newBuilder().setNamespace(workflows.getOptions().getNamespace()).build());
  }

  public String taskQueue() {
    return taskQueue;
  }

  /**
   * Options to start a workflow on the task queue under this id, at most one run at a time: a
   * start while one runs fails instead of joining it; once it has ended, the id starts again.
   */
  public WorkflowOptions startOnce(String workflowId) {
    return WorkflowOptions.newBuilder()
        .setTaskQueue(taskQueue)
        .setWorkflowId(workflowId)
        .setWorkflowIdConflictPolicy(WorkflowIdConflictPolicy.WORKFLOW_ID_CONFLICT_POLICY_FAIL)
        .setWorkflowIdReusePolicy(WorkflowIdReusePolicy.WORKFLOW_ID_REUSE_POLICY_ALLOW_DUPLICATE)
        .build();
  }
}
