package dev.evolve.worker;

import io.grpc.StatusRuntimeException;
import io.temporal.api.workflowservice.v1.GetSystemInfoRequest;
import io.temporal.serviceclient.WorkflowServiceStubs;
import io.temporal.worker.WorkerFactory;
import java.time.Duration;
import java.util.Optional;
import java.util.concurrent.TimeUnit;

/**
 * Ready means the worker can take work: its factory has started (pollers are running) and is not
 * shutting down, and the Temporal frontend answers now. A rolling update of the worker's
 * Deployment waits on this before it stops an old pod, so a new worker that cannot reach Temporal
 * (a wrong address, a bad API key) never replaces one that can.
 */
public record TemporalReadiness(WorkerFactory factory, WorkflowServiceStubs service, Duration timeout)
    implements Readiness {

  public TemporalReadiness(WorkerFactory factory, WorkflowServiceStubs service) {
    this(factory, service, Duration.ofSeconds(3));
  }

  @Override
  public Optional<String> notReadyBecause() {
    if (!factory.isStarted()) {
      return Optional.of("the worker factory has not started");
    }
    if (factory.isShutdown() || factory.isTerminated()) {
      return Optional.of("the worker factory is shutting down");
    }
    try {
      // the cheapest call every frontend answers, the one the SDK itself makes when it connects
      service.blockingStub().withDeadlineAfter(timeout.toMillis(), TimeUnit.MILLISECONDS)
          .getSystemInfo(GetSystemInfoRequest.getDefaultInstance());
      return Optional.empty();
    } catch (StatusRuntimeException e) {
      return Optional.of("Temporal at " + service.getOptions().getTarget() + " does not answer: " + e.getStatus());
    }
  }
}
