package dev.evolve.workflows;

import static dev.evolve.workflows.NodePoolUpgradeWorkflowTest.awaitProgress;
import static dev.evolve.workflows.NodePoolUpgradeWorkflowTest.request;
import static dev.evolve.workflows.NodePoolUpgradeWorkflowTest.result;
import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertTrue;

import com.uber.m3.tally.RootScopeBuilder;
import com.uber.m3.tally.Scope;
import dev.evolve.workflows.model.Blocker;
import dev.evolve.workflows.model.CycleStatus;
import dev.evolve.workflows.model.Phase;
import dev.evolve.workflows.model.UpgradeResult;
import io.micrometer.core.instrument.Counter;
import io.micrometer.core.instrument.Timer;
import io.micrometer.core.instrument.simple.SimpleMeterRegistry;
import io.temporal.api.enums.v1.IndexedValueType;
import io.temporal.client.WorkflowClient;
import io.temporal.client.WorkflowOptions;
import io.temporal.common.reporter.MicrometerClientStatsReporter;
import io.temporal.testing.TestEnvironmentOptions;
import io.temporal.testing.TestWorkflowEnvironment;
import io.temporal.worker.Worker;
import io.temporal.worker.WorkerFactoryOptions;
import java.util.EnumSet;
import java.util.Map;
import java.util.TreeMap;
import java.util.stream.Collectors;
import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.BeforeEach;
import org.junit.jupiter.api.Test;

/**
 * The cycle's own metrics, through the SDK's Micrometer reporter as the worker wires it. The
 * worker keeps no workflow in its cache here, so every workflow task replays the whole history
 * so far: a metric emitted outside the SDK's replay-aware scope would be counted once per task.
 */
class CycleMetricsTest {

  private final SimpleMeterRegistry registry = new SimpleMeterRegistry();
  private Scope scope;
  private TestWorkflowEnvironment env;
  private Worker worker;

  @BeforeEach
  void setUp() {
    scope = new RootScopeBuilder().reporter(new MicrometerClientStatsReporter(registry))
        .reportEvery(com.uber.m3.util.Duration.ofMillis(50));
    env = TestWorkflowEnvironment.newInstance(TestEnvironmentOptions.newBuilder()
        .setMetricsScope(scope)
        .setWorkerFactoryOptions(WorkerFactoryOptions.newBuilder().setWorkflowCacheSize(0).build())
        .build());
    CycleSearchAttributes.ALL.forEach(key ->
        env.registerSearchAttribute(key.getName(), IndexedValueType.INDEXED_VALUE_TYPE_KEYWORD));
    worker = env.newWorker("metrics");
    worker.registerWorkflowImplementationTypes(CycleTestExtension.WORKFLOWS);
  }

  @AfterEach
  void tearDown() {
    env.close();
  }

  private NodePoolUpgradeWorkflow start(ScriptedCluster cluster, dev.evolve.workflows.model.UpgradeRequest request) {
    worker.registerActivitiesImplementations(cluster);
    env.start();
    NodePoolUpgradeWorkflow cycle = env.getWorkflowClient().newWorkflowStub(NodePoolUpgradeWorkflow.class,
        WorkflowOptions.newBuilder().setTaskQueue("metrics").setWorkflowId("metrics-" + System.nanoTime()).build());
    WorkflowClient.start(cycle::run, request);
    return cycle;
  }

  @Test
  void aCycleCountsItsPodsBrokersPhasesAndHoldsOnceDespiteReplays() {
    ScriptedCluster cluster = ScriptedCluster.standard().refuseGates(1);
    NodePoolUpgradeWorkflow cycle = start(cluster, request(1));

    awaitProgress(cycle, p -> p.status() == CycleStatus.PAUSED);
    cycle.resume();
    UpgradeResult result = result(cycle);
    assertEquals(CycleStatus.SUCCEEDED, result.status());
    flush();

    assertEquals(result.podsMoved(), (int) sum("evolve_pods_moved", Map.of()), counters("evolve_pods_moved"));
    // the standard cluster, each way: 3 Deployments (the fake reports one pod per rollout), a Job's
    // pod by eviction, 3 brokers pod by pod
    assertEquals(3, sum("evolve_pods_moved", Map.of("method", "deployment_rollout", "direction", "to_temp")));
    assertEquals(1, sum("evolve_pods_moved", Map.of("method", "eviction", "direction", "back")));
    assertEquals(3, sum("evolve_pods_moved", Map.of("method", "kafka_brokers", "direction", "to_temp")));
    assertEquals(3, sum("evolve_kafka_brokers_rotated", Map.of("direction", "to_temp")));
    assertEquals(3, sum("evolve_kafka_brokers_rotated", Map.of("direction", "back")));
    assertEquals(1, sum("evolve_holds", Map.of("kind", "paused", "cause", "kafka_gate")));
    assertEquals(1, sum("evolve_holds", Map.of()));
    assertEquals(1, sum("evolve_cycles_ended", Map.of("status", "succeeded")));

    for (Phase phase : EnumSet.range(Phase.PREPARE, Phase.DECOMMISSION)) {
      Timer timer = registry.find("evolve_phase_duration").tag("phase", phase.name()).timer();
      assertTrue(timer != null && timer.count() == 1, phase + ": " + timer);
      long millis = result.phases().get(phase).finishedAtMillis() - result.phases().get(phase).startedAtMillis();
      assertEquals(millis, (long) timer.totalTime(java.util.concurrent.TimeUnit.MILLISECONDS), phase.name());
    }
    // the settle timers between brokers (1 s each way, four of them) fall in MIGRATE and RESTORE
    assertTrue(registry.find("evolve_phase_duration").tag("phase", "MIGRATE").timer()
        .totalTime(java.util.concurrent.TimeUnit.MILLISECONDS) >= 2000);
    assertEquals(null, registry.find("evolve_phase_duration").tag("phase", "DONE").timer());
  }

  @Test
  void aPlanCountsItsBlockersByCode() {
    ScriptedCluster cluster = ScriptedCluster.standard().operationInFlight("UPGRADE_NODES");
    NodePoolUpgradeWorkflow cycle = start(cluster, request(1).toBuilder().dryRun(true).build());
    UpgradeResult result = result(cycle);
    flush();

    assertEquals(CycleStatus.PLANNED, result.status());
    assertFalse(result.plan().blockers().isEmpty());
    Map<String, Long> expected = result.plan().blockers().stream()
        .collect(Collectors.groupingBy(Blocker::code, TreeMap::new, Collectors.counting()));
    Map<String, Long> counted = new TreeMap<>();
    registry.find("evolve_blockers").counters()
        .forEach(c -> counted.merge(c.getId().getTag("code"), (long) c.count(), Long::sum));
    assertEquals(expected, counted);
    assertEquals(1, sum("evolve_cycles_ended", Map.of("status", "planned")));
    assertEquals(0, sum("evolve_pods_moved", Map.of()));
  }

  /** Tally reports on its own clock: closing the scope reports what is left. */
  private void flush() {
    try {
      scope.close();
    } catch (com.uber.m3.tally.ScopeCloseException e) {
      throw new AssertionError(e);
    }
  }

  private double sum(String name, Map<String, String> tags) {
    var search = registry.find(name);
    for (var tag : tags.entrySet()) {
      search = search.tag(tag.getKey(), tag.getValue());
    }
    return search.counters().stream().mapToDouble(Counter::count).sum();
  }

  private String counters(String name) {
    return registry.find(name).counters().stream().map(c -> c.getId().getTags() + "=" + c.count()).toList().toString();
  }
}
