package dev.evolve.starter;

import io.temporal.client.WorkflowClient;
import io.temporal.serviceclient.WorkflowServiceStubs;
import io.temporal.serviceclient.WorkflowServiceStubsOptions;
import io.temporal.testserver.TestServer;
import io.temporal.worker.WorkerFactory;
import java.io.IOException;
import java.net.ServerSocket;

/**
 * Temporal's in-process test server on a real port, so that {@code ./evolve} commands run by a
 * test reach it with {@code --address}, and a worker on one task queue for the workflows a test
 * stands in for.
 */
final class CliTestServer implements AutoCloseable {

  private final TestServer.PortBoundTestServer server;
  private final WorkflowServiceStubs service;
  private final WorkerFactory factory;
  private final String address;

  private CliTestServer(TestServer.PortBoundTestServer server, WorkflowServiceStubs service, WorkerFactory factory,
      String address) {
    this.server = server;
    this.service = service;
    this.factory = factory;
    this.address = address;
  }

  static CliTestServer start(String taskQueue, Class<?>... workflowTypes) throws IOException {
    int port;
    try (ServerSocket socket = new ServerSocket(0)) {
      port = socket.getLocalPort();
    }
    TestServer.PortBoundTestServer server = TestServer.createPortBoundServer(port);
    String address = "127.0.0.1:" + port;
    WorkflowServiceStubs service = WorkflowServiceStubs.newServiceStubs(
        WorkflowServiceStubsOptions.newBuilder().setTarget(address).build());
    WorkerFactory factory = WorkerFactory.newInstance(WorkflowClient.newInstance(service));
    factory.newWorker(taskQueue).registerWorkflowImplementationTypes(workflowTypes);
    factory.start();
    return new CliTestServer(server, service, factory, address);
  }

  /** host:port for {@code --address}. */
  String address() {
    return address;
  }

  WorkflowClient client() {
    return factory.getWorkflowClient();
  }

  @Override
  public void close() {
    factory.shutdownNow();
    service.shutdownNow();
    server.close();
  }
}
