package dev.evolve.worker;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertTrue;

import dev.evolve.workflows.CycleSearchAttributes;
import dev.evolve.workflows.NodePoolUpgradeWorkflow;
import dev.evolve.workflows.ScriptedCluster;
import dev.evolve.workflows.activities.GkeActivities;
import dev.evolve.workflows.activities.KafkaActivities;
import dev.evolve.workflows.activities.KubernetesActivities;
import dev.evolve.workflows.model.CycleStatus;
import dev.evolve.workflows.model.KafkaRotation;
import dev.evolve.workflows.model.UpgradeRequest;
import dev.evolve.workflows.model.UpgradeResult;
import io.temporal.api.enums.v1.IndexedValueType;
import io.temporal.client.WorkflowClient;
import io.temporal.client.WorkflowOptions;
import io.temporal.client.WorkflowStub;
import io.temporal.testing.TestEnvironmentOptions;
import io.temporal.testing.TestWorkflowEnvironment;
import java.lang.reflect.InvocationTargetException;
import java.lang.reflect.Proxy;
import java.net.URI;
import java.net.http.HttpClient;
import java.net.http.HttpRequest;
import java.net.http.HttpResponse;
import java.time.Duration;
import java.util.Map;
import java.util.function.Predicate;
import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.BeforeEach;
import org.junit.jupiter.api.Test;

/**
 * The worker's HTTP port during a real cycle: the worker's own registration on the in-memory
 * Temporal test server, whose metrics scope is the worker's, the workflow tests' scripted cluster
 * behind the activities, and /metrics scraped over HTTP before, during and after the cycle.
 */
class MetricsEndpointTest {

  static final String QUEUE = "evolve-metrics-test";

  private final HttpClient http = HttpClient.newHttpClient();
  private WorkerMetrics metrics;
  private WorkerHttpEndpoint endpoint;
  private TestWorkflowEnvironment env;

  @BeforeEach
  void startWorker() throws Exception {
    metrics = WorkerMetrics.create(Duration.ofMillis(100));
    endpoint = WorkerHttpEndpoint.start(0, metrics);
    env = TestWorkflowEnvironment.newInstance(TestEnvironmentOptions.newBuilder().setMetricsScope(metrics.scope())
        .build());
    CycleSearchAttributes.ALL.forEach(key ->
        env.registerSearchAttribute(key.getName(), IndexedValueType.INDEXED_VALUE_TYPE_KEYWORD));
    ScriptedCluster cluster = ScriptedCluster.standard();
    EvolveWorker.register(env.getWorkerFactory(), QUEUE, only(GkeActivities.class, cluster),
        only(KubernetesActivities.class, cluster), only(KafkaActivities.class, cluster));
  }

  /**
   * The scripted cluster implements all three activity interfaces, and a worker takes each
   * activity type once: three views of it, one interface each, as the worker registers the real ones.
   */
  static <T> T only(Class<T> activityInterface, Object target) {
    return activityInterface.cast(Proxy.newProxyInstance(activityInterface.getClassLoader(),
        new Class<?>[] {activityInterface}, (self, method, args) -> {
          if (method.getDeclaringClass() == Object.class) {
            return method.getName().equals("equals") ? self == args[0]
                : method.getName().equals("hashCode") ? System.identityHashCode(self) : activityInterface.getName();
          }
          try {
            return method.invoke(target, args);
          } catch (InvocationTargetException e) {
            throw e.getCause(); // the fake's ApplicationFailure goes to Temporal as it is
          }
        }));
  }

  @AfterEach
  void stop() {
    env.close();
    endpoint.close();
    metrics.close();
  }

  @Test
  void probesSayWhenTheWorkerCanTakeWork() throws Exception {
    assertEquals(200, get("/healthz").statusCode());
    HttpResponse<String> starting = get("/readyz");
    assertEquals(503, starting.statusCode());
    assertTrue(starting.body().contains("starting up"), starting.body());

    endpoint.readiness(new TemporalReadiness(env.getWorkerFactory(), env.getWorkflowServiceStubs()));
    HttpResponse<String> notStarted = get("/readyz");
    assertEquals(503, notStarted.statusCode());
    assertTrue(notStarted.body().contains("has not started"), notStarted.body());

    env.start();
    assertEquals(200, get("/readyz").statusCode(), get("/readyz").body());

    env.getWorkerFactory().shutdown();
    assertEquals(503, get("/readyz").statusCode());
    assertEquals(404, get("/metricsx").statusCode());
  }

  @Test
  void metricsGrowDuringAndAfterACycle() throws Exception {
    endpoint.readiness(new TemporalReadiness(env.getWorkerFactory(), env.getWorkflowServiceStubs()));
    env.start();
    HttpResponse<String> first = get("/metrics");
    assertEquals(200, first.statusCode());
    assertTrue(first.headers().firstValue("Content-Type").orElse("").startsWith("text/plain; version=0.0.4"));
    PrometheusText before = PrometheusText.parse(first.body());
    assertEquals(0, before.sum("evolve_pods_moved_total"));

    // an approval holds the cycle between MIGRATE and UPGRADE_ORIGINAL: a moment "during" to scrape
    NodePoolUpgradeWorkflow cycle = env.getWorkflowClient().newWorkflowStub(NodePoolUpgradeWorkflow.class,
        WorkflowOptions.newBuilder().setTaskQueue(QUEUE).setWorkflowId("metrics-cycle").build());
    WorkflowClient.start(cycle::run, UpgradeRequest.builder("my-project", "europe-west1", "prod",
            ScriptedCluster.POOL, ScriptedCluster.CONTROL_PLANE)
        .kafka(new KafkaRotation("kafka", "kafka", null, 0, 1L, 120L))
        .requireApproval(true)
        .build());
    await(() -> cycle.progress().status() == CycleStatus.WAITING_FOR_APPROVAL, "the cycle waits for approval");
    // Tally reports every 100 ms here, and a report can fall between the last broker's pod moving and
    // its rotation being counted (after its catch-up gate): wait for a report that follows both
    // (3 Deployments, the fake counting one pod per rollout, a Job's pod and 3 brokers)
    PrometheusText during = scrapeUntil(m -> m.sum("evolve_pods_moved_total", Map.of("direction", "to_temp")) == 7
        && m.sum("evolve_kafka_brokers_rotated_total", Map.of("direction", "to_temp")) == 3
        && m.sum("evolve_phase_duration_seconds_count", Map.of("phase", "CREATE_TEMP_POOL")) == 1);

    assertEquals(0, during.sum("evolve_pods_moved_total", Map.of("direction", "back")));
    assertEquals(1, during.sum("evolve_phase_duration_seconds_count", Map.of("phase", "PREPARE")));
    assertEquals(0, during.sum("evolve_phase_duration_seconds_count", Map.of("phase", "MIGRATE")),
        "MIGRATE has not ended: the cycle waits in it for the approval");
    assertEquals(0, during.sum("evolve_cycles_ended_total"));
    double completedBefore = before.sum("temporal_workflow_completed_total");
    assertTrue(during.sum("temporal_activity_execution_latency_seconds_count")
        > before.sum("temporal_activity_execution_latency_seconds_count"), "the SDK's activity metrics");
    assertTrue(during.sum("temporal_workflow_task_execution_latency_seconds_count") > 0);

    cycle.approve("metrics test");
    UpgradeResult result = WorkflowStub.fromTyped(cycle).getResult(UpgradeResult.class);
    assertEquals(CycleStatus.SUCCEEDED, result.status());
    PrometheusText after = scrapeUntil(m -> m.sum("evolve_cycles_ended_total") == 1
        && m.sum("temporal_workflow_completed_total") >= completedBefore + 2);

    assertEquals(result.podsMoved(), (int) after.sum("evolve_pods_moved_total"));
    assertTrue(after.sum("evolve_pods_moved_total") > during.sum("evolve_pods_moved_total"));
    assertEquals(3, after.sum("evolve_kafka_brokers_rotated_total", Map.of("direction", "back")));
    for (String phase : new String[] {"MIGRATE", "UPGRADE_ORIGINAL", "RESTORE", "DECOMMISSION"}) {
      assertEquals(1, after.sum("evolve_phase_duration_seconds_count", Map.of("phase", phase)), phase);
    }
    // the settle timers (1 s between brokers) are in MIGRATE's figure, measured in workflow time
    assertTrue(after.sum("evolve_phase_duration_seconds_sum", Map.of("phase", "MIGRATE")) >= 2.0);
    assertEquals(1, after.sum("evolve_cycles_ended_total", Map.of("status", "succeeded",
        "workflow_type", "NodePoolUpgrade", "task_queue", QUEUE)));
    // the cycle and its pool's lock
    assertTrue(after.sum("temporal_workflow_completed_total") >= completedBefore + 2);
  }

  private PrometheusText scrapeUntil(Predicate<PrometheusText> condition) throws Exception {
    long deadline = System.currentTimeMillis() + 10_000;
    while (true) {
      PrometheusText now = PrometheusText.parse(get("/metrics").body());
      if (condition.test(now)) {
        return now;
      }
      if (System.currentTimeMillis() > deadline) {
        throw new AssertionError("metrics never matched; last scrape:\n" + String.join("\n",
            now.samples().stream().filter(s -> s.name().startsWith("evolve_")).map(Object::toString).toList()));
      }
      Thread.sleep(100);
    }
  }

  private static void await(java.util.function.BooleanSupplier condition, String what) throws InterruptedException {
    long deadline = System.currentTimeMillis() + 20_000;
    while (!condition.getAsBoolean()) {
      if (System.currentTimeMillis() > deadline) {
        throw new AssertionError("timed out: " + what);
      }
      Thread.sleep(50);
    }
  }

  private HttpResponse<String> get(String path) throws Exception {
    return http.send(HttpRequest.newBuilder(URI.create("http://127.0.0.1:" + endpoint.port() + path))
        .timeout(Duration.ofSeconds(10)).build(), HttpResponse.BodyHandlers.ofString());
  }
}
