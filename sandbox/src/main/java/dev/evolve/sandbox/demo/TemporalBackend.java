package dev.evolve.sandbox.demo;

import dev.evolve.worker.SearchAttributeRegistration;
import dev.evolve.workflows.CycleSearchAttributes;
import io.temporal.api.enums.v1.IndexedValueType;
import io.temporal.client.WorkflowClient;
import io.temporal.client.WorkflowClientOptions;
import io.temporal.serviceclient.WorkflowServiceStubs;
import io.temporal.serviceclient.WorkflowServiceStubsOptions;
import io.temporal.testing.TestEnvironmentOptions;
import io.temporal.testing.TestWorkflowEnvironment;
import io.temporal.worker.WorkerFactory;
import java.util.UUID;

/**
 * The Temporal the demo runs on: the SDK's in-process test server, so nothing has to be
 * installed, or a real server when one is given. Either way the cycle is an ordinary workflow
 * run by an ordinary worker; only where the server lives differs.
 */
final class TemporalBackend implements AutoCloseable {

  private final WorkflowClient client;
  private final WorkerFactory workers;
  private final String taskQueue;
  private final String description;
  private final Runnable shutdown;

  private TemporalBackend(WorkflowClient client, WorkerFactory workers, String taskQueue, String description,
      Runnable shutdown) {
    this.client = client;
    this.workers = workers;
    this.taskQueue = taskQueue;
    this.description = description;
    this.shutdown = shutdown;
  }

  /**
   * The in-process test server in real time (no time skipping: the settle waits, GKE operations
   * and pod start-ups all take the time they take), with the search attributes the workflow
   * keeps up to date registered as a real namespace would have them.
   */
  static TemporalBackend inProcess() {
    TestEnvironmentOptions.Builder options = TestEnvironmentOptions.newBuilder().setUseTimeskipping(false);
    CycleSearchAttributes.ALL.forEach(key ->
        options.registerSearchAttribute(key.getName(), IndexedValueType.INDEXED_VALUE_TYPE_KEYWORD));
    TestWorkflowEnvironment env = TestWorkflowEnvironment.newInstance(options.build());
    return new TemporalBackend(env.getWorkflowClient(), env.getWorkerFactory(), "evolve-demo",
        "in-process Temporal test server", env::close);
  }

  /**
   * A real server. The task queue is the demo's own, never the workers' {@code evolve-node-pools}:
   * a production worker polling the same server must not pick up a cycle meant for the sandbox.
   */
  static TemporalBackend remote(String address, String namespace) {
    WorkflowServiceStubs service = WorkflowServiceStubs.newServiceStubs(
        WorkflowServiceStubsOptions.newBuilder().setTarget(address).build());
    SearchAttributeRegistration.ensure(service, namespace);
    WorkflowClient client = WorkflowClient.newInstance(service,
        WorkflowClientOptions.newBuilder().setNamespace(namespace).build());
    WorkerFactory workers = WorkerFactory.newInstance(client);
    String queue = "evolve-demo-" + UUID.randomUUID().toString().substring(0, 8);
    return new TemporalBackend(client, workers, queue, "Temporal at " + address + ", namespace " + namespace,
        () -> {
          workers.shutdownNow();
          service.shutdownNow();
        });
  }

  WorkflowClient client() {
    return client;
  }

  WorkerFactory workers() {
    return workers;
  }

  String taskQueue() {
    return taskQueue;
  }

  String description() {
    return description;
  }

  @Override
  public void close() {
    shutdown.run();
  }
}
