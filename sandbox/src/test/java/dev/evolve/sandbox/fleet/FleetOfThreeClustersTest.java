package dev.evolve.sandbox.fleet;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertInstanceOf;
import static org.junit.jupiter.api.Assertions.assertThrows;
import static org.junit.jupiter.api.Assertions.assertTrue;

import com.google.cloud.container.v1.ClusterManagerClient;
import dev.evolve.activities.gke.GkeActivitiesImpl;
import dev.evolve.activities.gke.GkeClients;
import dev.evolve.activities.gke.KubernetesPoolNodes;
import dev.evolve.activities.kafka.KafkaActivitiesImpl;
import dev.evolve.activities.kafka.KafkaClientConfig;
import dev.evolve.activities.kube.KubeClients;
import dev.evolve.activities.kube.KubernetesActivitiesImpl;
import dev.evolve.sandbox.Sandbox;
import dev.evolve.sandbox.SandboxStatus;
import dev.evolve.sandbox.Scenario;
import dev.evolve.worker.EvolveWorker;
import dev.evolve.workflows.CycleSearchAttributes;
import dev.evolve.workflows.CycleWorkflows;
import dev.evolve.workflows.fleet.FleetPool;
import dev.evolve.workflows.fleet.FleetPoolProgress;
import dev.evolve.workflows.fleet.FleetRequest;
import dev.evolve.workflows.fleet.FleetResult;
import dev.evolve.workflows.fleet.FleetStatus;
import dev.evolve.workflows.fleet.FleetUpgradeWorkflow;
import dev.evolve.workflows.model.UpgradeRequest;
import io.fabric8.kubernetes.client.KubernetesClient;
import io.grpc.Status;
import io.temporal.api.enums.v1.IndexedValueType;
import io.temporal.client.WorkflowClient;
import io.temporal.client.WorkflowFailedException;
import io.temporal.client.WorkflowOptions;
import io.temporal.client.WorkflowStub;
import io.temporal.failure.ApplicationFailure;
import io.temporal.testing.TestEnvironmentOptions;
import io.temporal.testing.TestWorkflowEnvironment;
import java.time.Duration;
import java.util.ArrayList;
import java.util.List;
import java.util.Map;
import java.util.Properties;
import java.util.concurrent.CompletableFuture;
import org.junit.jupiter.api.AfterAll;
import org.junit.jupiter.api.BeforeAll;
import org.junit.jupiter.api.Test;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;

/**
 * A fleet of three clusters, each a real Kubernetes control plane with its own fake GKE, each
 * reached by its own worker on its own task queue, as one worker per cluster would run in
 * production. First GKE refuses the canary's temporary pool: the canary rolls back and the fleet
 * stops without touching the other two clusters. Then the fleet runs again and upgrades all three
 * in waves: the canary, a soak, then the other two side by side, with no budget ever broken.
 */
class FleetOfThreeClustersTest {

  private static final Logger log = LoggerFactory.getLogger(FleetOfThreeClustersTest.class);

  static final List<String> CLUSTERS = List.of("alpha", "beta", "gamma");
  static final long SOAK_SECONDS = 5;

  static final List<Sandbox> sandboxes = new ArrayList<>();
  static final List<AutoCloseable> clients = new ArrayList<>();
  static TestWorkflowEnvironment temporal;

  /** The default scenario's cluster and workloads under another cluster name, without the Kafka brokers. */
  static Scenario scenarioFor(String cluster) {
    Scenario base = Scenario.defaultScenario();
    Scenario.Cluster c = base.cluster();
    return new Scenario(new Scenario.Cluster(c.project(), c.location(), cluster, c.controlPlaneVersion(), c.zones(),
        c.validNodeVersions()), base.pools(),
        base.workloads().stream().filter(w -> w.kafkaOrNull() == null).toList(), base.seed());
  }

  static String queueOf(String cluster) {
    return "evolve-" + cluster;
  }

  @BeforeAll
  static void startClustersAndWorkers() throws Exception {
    // three control planes start side by side; the ones that did start are stopped in stopEverything
    List<CompletableFuture<Sandbox>> starting = CLUSTERS.stream()
        .map(name -> CompletableFuture.supplyAsync(() -> Sandbox.start(scenarioFor(name), Sandbox.Settings.fast())))
        .toList();
    RuntimeException failure = null;
    for (CompletableFuture<Sandbox> sandbox : starting) {
      try {
        sandboxes.add(sandbox.join());
      } catch (RuntimeException e) {
        failure = e;
      }
    }
    if (failure != null) {
      throw failure;
    }
    // A cycle that finds no pod on its pool has nothing to move and upgrades the pool at once:
    // the scenarios' workloads must be running before the fleet starts, as they would be in a cluster.
    sandboxes.forEach(FleetOfThreeClustersTest::awaitWorkloadsReady);
    // real time: the cycles' waits race real pods, which time skipping would leave behind
    TestEnvironmentOptions.Builder options = TestEnvironmentOptions.newBuilder().setUseTimeskipping(false);
    CycleSearchAttributes.ALL.forEach(key ->
        options.registerSearchAttribute(key.getName(), IndexedValueType.INDEXED_VALUE_TYPE_KEYWORD));
    temporal = TestWorkflowEnvironment.newInstance(options.build());
    for (Sandbox sandbox : sandboxes) {
      ClusterManagerClient gke = GkeClients.create(sandbox.gke().endpoint());
      KubernetesClient kube = KubeClients.withoutClientRetries(sandbox.cluster().config());
      clients.add(gke);
      clients.add(kube);
      // one worker per cluster, as in production: the same registration as ./evolve worker
      EvolveWorker.register(temporal.getWorkerFactory(), queueOf(sandbox.scenario().cluster().name()),
          new GkeActivitiesImpl(gke, Duration.ofMillis(200), new KubernetesPoolNodes(kube)),
          new KubernetesActivitiesImpl(kube, Duration.ofMillis(200), Duration.ofSeconds(30)),
          new KafkaActivitiesImpl(new KafkaClientConfig(null, new Properties()), Duration.ofMillis(250)));
    }
    temporal.newWorker("evolve-fleets").registerWorkflowImplementationTypes(CycleWorkflows.implementations());
    temporal.start();
  }

  static void awaitWorkloadsReady(Sandbox sandbox) {
    KubernetesClient client = sandbox.cluster().client();
    long deadline = System.currentTimeMillis() + 60_000;
    while (true) {
      boolean deployments = client.apps().deployments().inAnyNamespace().list().getItems().stream()
          .allMatch(d -> java.util.Objects.equals(d.getSpec().getReplicas(), d.getStatus().getReadyReplicas()));
      boolean statefulSets = client.apps().statefulSets().inAnyNamespace().list().getItems().stream()
          .allMatch(s -> java.util.Objects.equals(s.getSpec().getReplicas(), s.getStatus().getReadyReplicas()));
      SandboxStatus status = SandboxStatus.of(sandbox);
      if (deployments && statefulSets && status.pendingPods() == 0 && !status.podsPerPool().isEmpty()) {
        return;
      }
      if (System.currentTimeMillis() > deadline) {
        throw new AssertionError(sandbox.scenario().cluster().name() + ": the scenario's workloads never got Ready: "
            + status);
      }
      try {
        Thread.sleep(200);
      } catch (InterruptedException e) {
        Thread.currentThread().interrupt();
        throw new AssertionError(e);
      }
    }
  }

  @AfterAll
  static void stopEverything() throws Exception {
    if (temporal != null) {
      temporal.close();
    }
    for (AutoCloseable client : clients) {
      client.close();
    }
    sandboxes.forEach(Sandbox::close);
  }

  static FleetRequest fleet() {
    Scenario.Cluster c = sandboxes.get(0).scenario().cluster();
    List<FleetPool> pools = sandboxes.stream().map(s -> new FleetPool(c.project(), c.location(),
        s.scenario().cluster().name(), s.poolToUpgrade(), null, queueOf(s.scenario().cluster().name()), null)).toList();
    return new FleetRequest("shop", c.controlPlaneVersion(), 1, 2, SOAK_SECONDS, null,
        UpgradeRequest.builder(null, null, null, null, null).moveTimeoutSeconds(300L).build(), pools);
  }

  static FleetUpgradeWorkflow start(String id) {
    FleetUpgradeWorkflow fleet = temporal.getWorkflowClient().newWorkflowStub(FleetUpgradeWorkflow.class,
        WorkflowOptions.newBuilder().setTaskQueue("evolve-fleets").setWorkflowId(id)
            .setWorkflowExecutionTimeout(Duration.ofMinutes(10)).build());
    WorkflowClient.start(fleet::run, fleet());
    return fleet;
  }

  @Test
  void aFailedCanaryStopsTheFleetThenTheFleetUpgradesAllThreeInWaves() {
    Sandbox alpha = sandboxes.get(0);
    Sandbox beta = sandboxes.get(1);
    Sandbox gamma = sandboxes.get(2);
    String pool = alpha.poolToUpgrade();
    String oldVersion = alpha.scenario().pools().get(0).version();
    String target = alpha.scenario().cluster().controlPlaneVersion();
    Map<String, Integer> podsBefore = SandboxStatus.of(alpha).podsPerPool();

    // 1. GKE refuses the canary's temporary pool
    alpha.gke().faults().rejectNext("CreateNodePool", Status.RESOURCE_EXHAUSTED.withDescription(
        "Insufficient regional quota to satisfy request: resource \"CPUS\" (injected by the fleet test)"));
    FleetUpgradeWorkflow first = start("evolve-fleet/shop-1");
    WorkflowFailedException failed = assertThrows(WorkflowFailedException.class,
        () -> WorkflowStub.fromTyped(first).getResult(FleetResult.class),
        () -> "the fleet did not stop: " + first.progress());

    ApplicationFailure stop = assertInstanceOf(ApplicationFailure.class, failed.getCause());
    log.info("first fleet: {}", stop.getOriginalMessage());
    assertEquals(FleetUpgradeWorkflow.STOPPED, stop.getType());
    assertTrue(stop.getOriginalMessage().startsWith("the canary wave failed: "), stop.getOriginalMessage());
    assertTrue(stop.getOriginalMessage().contains("quota"), stop.getOriginalMessage());
    FleetResult stopped = stop.getDetails().get(FleetResult.class);
    assertEquals(List.of("NOT_STARTED", "NOT_STARTED"),
        stopped.pools().subList(1, 3).stream().map(FleetPoolProgress::status).toList());
    for (Sandbox untouched : List.of(beta, gamma)) {
      SandboxStatus status = SandboxStatus.of(untouched);
      assertEquals(Map.of(), status.gkeOperations(), untouched.scenario().cluster().name() + " saw a GKE operation");
      assertEquals(oldVersion, status.pools().get(pool).version());
    }
    SandboxStatus rolledBack = SandboxStatus.of(alpha);
    assertEquals(oldVersion, rolledBack.pools().get(pool).version());
    assertEquals(List.of(pool), List.copyOf(rolledBack.pools().keySet()), "no temporary pool is left");
    assertEquals(podsBefore, rolledBack.podsPerPool(), "the canary's workloads are where they were");

    // 2. the same fleet again: every cluster, in waves
    FleetUpgradeWorkflow second = start("evolve-fleet/shop-2");
    FleetResult result = WorkflowStub.fromTyped(second).getResult(FleetResult.class);

    log.info("second fleet: {}", result);
    assertEquals(FleetStatus.SUCCEEDED, result.status());
    for (Sandbox sandbox : sandboxes) {
      SandboxStatus status = SandboxStatus.of(sandbox);
      String name = sandbox.scenario().cluster().name();
      assertEquals(target, status.pools().get(pool).version(), name);
      assertEquals(List.of(pool), List.copyOf(status.pools().keySet()), name + ": the temporary pool is gone");
      assertEquals(List.of(), status.disruptions(), name + ": a budget was broken");
      assertEquals(List.of(), sandbox.cluster().podsLostWithNodes(), name);
      assertEquals(0, status.pendingPods(), name);
    }
    FleetPoolProgress canary = result.pools().get(0);
    for (FleetPoolProgress later : result.pools().subList(1, 3)) {
      assertEquals(2, later.wave());
      assertTrue(later.startedAtMillis() >= canary.endedAtMillis() + SOAK_SECONDS * 1000,
          "wave 2 waited for the canary and its soak: " + later + " after " + canary);
    }
    FleetPoolProgress b = result.pools().get(1);
    FleetPoolProgress g = result.pools().get(2);
    assertTrue(b.startedAtMillis() < g.endedAtMillis() && g.startedAtMillis() < b.endedAtMillis(),
        "the second wave's cycles ran side by side");
  }
}
