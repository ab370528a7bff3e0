package dev.evolve.it;

import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.node.ObjectNode;
import io.temporal.api.common.v1.WorkflowExecution;
import io.temporal.api.workflowservice.v1.DescribeWorkflowExecutionRequest;
import io.temporal.client.WorkflowClient;
import io.temporal.client.WorkflowClientOptions;
import io.temporal.client.WorkflowOptions;
import io.temporal.client.WorkflowStub;
import io.temporal.serviceclient.WorkflowServiceStubs;
import io.temporal.serviceclient.WorkflowServiceStubsOptions;
import java.time.Duration;
import java.util.Optional;

/**
 * The chaos soak's line to its cycles, through the Temporal SDK rather than the CLI: it asks
 * several times a second, and a process per question would cost more CPU than the cycle. Every
 * call may fail while the dev server restarts; the callers ask again.
 */
public final class CycleClient implements AutoCloseable {

  private final WorkflowServiceStubs service;
  private final WorkflowClient client;

  public CycleClient(String address) {
    service = WorkflowServiceStubs.newServiceStubs(WorkflowServiceStubsOptions.newBuilder().setTarget(address)
        .setRpcTimeout(Duration.ofSeconds(10)).build());
    client = WorkflowClient.newInstance(service, WorkflowClientOptions.newBuilder().setNamespace("default").build());
  }

  public void start(String workflowId, ObjectNode request) {
    WorkflowStub stub = client.newUntypedWorkflowStub("NodePoolUpgrade", WorkflowOptions.newBuilder()
        .setWorkflowId(workflowId).setTaskQueue("evolve-node-pools").build());
    stub.start(request);
  }

  /** The progress query's answer, or empty when it cannot be had right now (no worker, no server). */
  public Optional<JsonNode> progress(String workflowId) {
    try {
      return Optional.ofNullable(client.newUntypedWorkflowStub(workflowId).query("progress", JsonNode.class));
    } catch (RuntimeException e) {
      return Optional.empty();
    }
  }

  /** RUNNING, COMPLETED, FAILED, CANCELED, TERMINATED, TIMED_OUT, ...; empty when the server does not answer. */
  public Optional<String> executionStatus(String workflowId) {
    try {
      String status = service.blockingStub().describeWorkflowExecution(DescribeWorkflowExecutionRequest.newBuilder()
              .setNamespace("default").setExecution(WorkflowExecution.newBuilder().setWorkflowId(workflowId)).build())
          .getWorkflowExecutionInfo().getStatus().name();
      return Optional.of(status.replace("WORKFLOW_EXECUTION_STATUS_", ""));
    } catch (RuntimeException e) {
      return Optional.empty();
    }
  }

  public void signal(String workflowId, String name, Object... args) {
    client.newUntypedWorkflowStub(workflowId).signal(name, args);
  }

  public void cancel(String workflowId) {
    client.newUntypedWorkflowStub(workflowId).cancel();
  }

  @Override
  public void close() {
    service.shutdownNow();
  }
}
