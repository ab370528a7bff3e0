package dev.evolve.worker;

import dev.evolve.workflows.CycleWorkflows;
import dev.evolve.workflows.activities.GkeActivities;
import dev.evolve.workflows.activities.KafkaActivities;
import dev.evolve.workflows.activities.KubernetesActivities;
import io.temporal.client.WorkflowClient;
import io.temporal.envconfig.ClientConfigProfile;
import io.temporal.serviceclient.WorkflowServiceStubs;
import io.temporal.serviceclient.WorkflowServiceStubsOptions;
import io.temporal.worker.Worker;
import io.temporal.worker.WorkerFactory;
import java.io.IOException;
import java.net.BindException;
import java.util.concurrent.CountDownLatch;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;

/**
 * The worker process: connects to Temporal the way every Temporal app does (TEMPORAL_ADDRESS,
 * TEMPORAL_NAMESPACE, TEMPORAL_API_KEY, TLS settings, or a temporal-envconfig profile), builds
 * the activities on the real clients, and runs the workflow and activities on the task queue.
 */
public final class EvolveWorker {

  private static final Logger log = LoggerFactory.getLogger(EvolveWorker.class);

  private EvolveWorker() {}

  public static void main(String[] args) throws Exception {
    WorkerSettings settings = WorkerSettings.fromEnvironment(System.getenv());
    WorkerMetrics metrics = WorkerMetrics.create();
    // first, so that the liveness probe answers while the worker connects (readiness says it is starting)
    WorkerHttpEndpoint http = httpEndpoint(settings, metrics);
    try {
      run(settings, metrics, http);
    } catch (Throwable startFailed) {
      // the HTTP server's thread would keep a half-started worker alive and its liveness probe green
      log.error("the worker could not start", startFailed);
      System.exit(1);
    }
  }

  /**
   * The HTTP port, unless turned off. A port already taken (a second worker on one machine, as the
   * integration tests run them) costs this worker its endpoint, not its work: it says so and runs
   * on; in a pod the probes then fail, which makes it seen.
   */
  private static WorkerHttpEndpoint httpEndpoint(WorkerSettings settings, WorkerMetrics metrics) throws IOException {
    if (settings.metricsPort() == null) {
      log.info("EVOLVE_METRICS_PORT=off: no /metrics, /healthz or /readyz");
      return null;
    }
    try {
      return WorkerHttpEndpoint.start(settings.metricsPort(), metrics);
    } catch (BindException e) {
      log.warn("port {} is taken ({}): this worker serves no /metrics, /healthz or /readyz; set EVOLVE_METRICS_PORT"
          + " to a free port, or to off", settings.metricsPort(), e.getMessage());
      return null;
    }
  }

  private static void run(WorkerSettings settings, WorkerMetrics metrics, WorkerHttpEndpoint http)
      throws Exception {
    ClientConfigProfile profile = ClientConfigProfile.load();
    // the SDK's metrics, and through it the cycle's and the activities', go to the worker's registry
    WorkflowServiceStubs service = WorkflowServiceStubs.newServiceStubs(
        WorkflowServiceStubsOptions.newBuilder(profile.toWorkflowServiceStubsOptions())
            .setMetricsScope(metrics.scope())
            .build());
    WorkflowClient client = WorkflowClient.newInstance(service, profile.toWorkflowClientOptions());
    SearchAttributeRegistration.ensure(service, client.getOptions().getNamespace());

    ActivityClients clients = ActivityClients.fromEnvironment(settings, System.getenv());
    WorkerFactory factory = WorkerFactory.newInstance(client, settings.capacity().factoryOptions());
    register(factory, settings.taskQueue(), settings.capacity(), clients.gke(), clients.kubernetes(),
        clients.kafkaGates());
    factory.start();
    if (http != null) {
      http.readiness(new TemporalReadiness(factory, service));
    }
    log.info("worker polling task queue '{}' in namespace '{}' at {} (GKE: {})", settings.taskQueue(),
        client.getOptions().getNamespace(), service.getOptions().getTarget(), settings.gkeEndpointOrDefault());
    log.info("worker capacity: {}", settings.capacity().describe());

    CountDownLatch stopped = new CountDownLatch(1);
    Runtime.getRuntime().addShutdownHook(new Thread(() -> {
      factory.shutdown();
      clients.close();
      if (http != null) {
        http.close();
      }
      metrics.close();
      stopped.countDown();
    }));
    stopped.await();
  }

  /** Registers the cycle's workflow and the given activities with the SDK's defaults; the sandbox's demo uses this. */
  public static Worker register(WorkerFactory factory, String taskQueue, GkeActivities gke,
      KubernetesActivities kubernetes, KafkaActivities kafka) {
    return register(factory, taskQueue, WorkerCapacity.SDK_DEFAULTS, gke, kubernetes, kafka);
  }

  /**
   * Registers the cycle's workflow and the given activities on a worker of the given capacity (the
   * factory's own part of it, cache and threads, is {@link WorkerCapacity#factoryOptions}).
   */
  public static Worker register(WorkerFactory factory, String taskQueue, WorkerCapacity capacity,
      GkeActivities gke, KubernetesActivities kubernetes, KafkaActivities kafka) {
    Worker worker = factory.newWorker(taskQueue, capacity.workerOptions());
    worker.registerWorkflowImplementationTypes(CycleWorkflows.implementations());
    worker.registerActivitiesImplementations(gke, kubernetes, kafka);
    return worker;
  }
}
