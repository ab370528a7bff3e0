package dev.evolve.worker;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertThrows;
import static org.junit.jupiter.api.Assertions.assertTrue;

import io.temporal.worker.WorkerFactoryOptions;
import io.temporal.worker.WorkerOptions;
import java.time.Duration;
import java.util.Map;
import org.junit.jupiter.api.Test;

class WorkerSettingsTest {

  @Test
  void gkePollIntervalComesFromTheEnvironmentInSeconds() {
    assertEquals(Duration.ofMillis(500),
        WorkerSettings.fromEnvironment(Map.of("EVOLVE_GKE_POLL_SECONDS", "0.5")).gkePollInterval());
    assertEquals(Duration.ofSeconds(3),
        WorkerSettings.fromEnvironment(Map.of("EVOLVE_GKE_POLL_SECONDS", "3")).gkePollInterval());
  }

  @Test
  void withoutTheVariableTheWorkerPollsGkeEveryTenSeconds() {
    assertEquals(Duration.ofSeconds(10), WorkerSettings.fromEnvironment(Map.of()).gkePollInterval());
  }

  @Test
  void aPollIntervalThatIsNotAPositiveNumberIsRefusedByName() {
    for (String bad : new String[] {"0", "-1", "soon"}) {
      IllegalArgumentException e = assertThrows(IllegalArgumentException.class,
          () -> WorkerSettings.fromEnvironment(Map.of("EVOLVE_GKE_POLL_SECONDS", bad)));
      assertTrue(e.getMessage().contains("EVOLVE_GKE_POLL_SECONDS"), e.getMessage());
    }
  }

  @Test
  void capacityComesFromTheEnvironment() {
    WorkerCapacity capacity = WorkerSettings.fromEnvironment(Map.of(
        "EVOLVE_WORKFLOW_POLLERS", "50",
        "EVOLVE_ACTIVITY_POLLERS", "10",
        "EVOLVE_MAX_CONCURRENT_WORKFLOW_TASKS", "8",
        "EVOLVE_MAX_CONCURRENT_ACTIVITIES", "1000",
        "EVOLVE_WORKFLOW_CACHE_SIZE", "900",
        "EVOLVE_MAX_WORKFLOW_THREADS", "1200")).capacity();
    WorkerOptions worker = capacity.workerOptions();
    assertEquals(50, worker.getMaxConcurrentWorkflowTaskPollers());
    assertEquals(10, worker.getMaxConcurrentActivityTaskPollers());
    assertEquals(8, worker.getMaxConcurrentWorkflowTaskExecutionSize());
    assertEquals(1000, worker.getMaxConcurrentActivityExecutionSize());
    WorkerFactoryOptions factory = capacity.factoryOptions();
    assertEquals(900, factory.getWorkflowCacheSize());
    assertEquals(1200, factory.getMaxWorkflowThreadCount());
    assertEquals("workflow pollers 50, activity pollers 10, workflow tasks at once 8, activities at once 1000,"
        + " workflow cache 900, workflow threads 1200", capacity.describe());
  }

  @Test
  void withoutTheVariablesTheWorkerKeepsTheSdkDefaults() {
    WorkerCapacity capacity = WorkerSettings.fromEnvironment(Map.of("EVOLVE_WORKFLOW_POLLERS", " ")).capacity();
    WorkerOptions sdk = WorkerOptions.newBuilder().validateAndBuildWithDefaults();
    WorkerFactoryOptions sdkFactory = WorkerFactoryOptions.newBuilder().validateAndBuildWithDefaults();
    assertEquals(sdk.getMaxConcurrentWorkflowTaskPollers(), capacity.workerOptions().getMaxConcurrentWorkflowTaskPollers());
    assertEquals(sdk.getMaxConcurrentActivityTaskPollers(), capacity.workerOptions().getMaxConcurrentActivityTaskPollers());
    assertEquals(sdk.getMaxConcurrentWorkflowTaskExecutionSize(),
        capacity.workerOptions().getMaxConcurrentWorkflowTaskExecutionSize());
    assertEquals(sdk.getMaxConcurrentActivityExecutionSize(),
        capacity.workerOptions().getMaxConcurrentActivityExecutionSize());
    assertEquals(sdkFactory.getWorkflowCacheSize(), capacity.factoryOptions().getWorkflowCacheSize());
    assertEquals(sdkFactory.getMaxWorkflowThreadCount(), capacity.factoryOptions().getMaxWorkflowThreadCount());
    assertEquals(WorkerCapacity.SDK_DEFAULTS, capacity);
  }

  @Test
  void aCapacityThatIsNotAPositiveWholeNumberIsRefusedByName() {
    for (String bad : new String[] {"0", "-5", "many", "2.5"}) {
      IllegalArgumentException e = assertThrows(IllegalArgumentException.class,
          () -> WorkerSettings.fromEnvironment(Map.of("EVOLVE_MAX_CONCURRENT_ACTIVITIES", bad)));
      assertTrue(e.getMessage().contains("EVOLVE_MAX_CONCURRENT_ACTIVITIES"), e.getMessage());
    }
  }

  @Test
  void theMetricsPortDefaultsTo9464AndCanBeMovedOrTurnedOff() {
    assertEquals(9464, WorkerSettings.fromEnvironment(Map.of()).metricsPort());
    assertEquals(9464, WorkerSettings.fromEnvironment(Map.of("EVOLVE_METRICS_PORT", "")).metricsPort());
    assertEquals(8081, WorkerSettings.fromEnvironment(Map.of("EVOLVE_METRICS_PORT", "8081")).metricsPort());
    assertEquals(null, WorkerSettings.fromEnvironment(Map.of("EVOLVE_METRICS_PORT", "off")).metricsPort());
    for (String bad : new String[] {"0", "65536", "metrics"}) {
      IllegalArgumentException e = assertThrows(IllegalArgumentException.class,
          () -> WorkerSettings.fromEnvironment(Map.of("EVOLVE_METRICS_PORT", bad)));
      assertTrue(e.getMessage().contains("EVOLVE_METRICS_PORT"), e.getMessage());
    }
  }
}
