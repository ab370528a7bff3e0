package dev.evolve.sandbox.safety;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertThrows;
import static org.junit.jupiter.api.Assertions.assertTrue;

import dev.evolve.activities.kube.KubeClients;
import dev.evolve.activities.kube.KubernetesActivitiesImpl;
import dev.evolve.sandbox.Sandbox;
import dev.evolve.sandbox.Scenario;
import dev.evolve.sandbox.observe.Objects;
import dev.evolve.workflows.activities.KubernetesActivities;
import dev.evolve.workflows.model.WorkloadRef;
import io.fabric8.kubernetes.api.model.IntOrString;
import io.fabric8.kubernetes.api.model.Node;
import io.fabric8.kubernetes.api.model.Pod;
import io.fabric8.kubernetes.api.model.PodBuilder;
import io.fabric8.kubernetes.api.model.apps.DeploymentBuilder;
import io.fabric8.kubernetes.api.model.policy.v1.PodDisruptionBudgetBuilder;
import io.fabric8.kubernetes.client.KubernetesClient;
import io.fabric8.kubernetes.client.dsl.base.PatchContext;
import io.fabric8.kubernetes.client.dsl.base.PatchType;
import io.temporal.activity.ActivityOptions;
import io.temporal.common.RetryOptions;
import io.temporal.failure.ActivityFailure;
import io.temporal.failure.ApplicationFailure;
import io.temporal.testing.TestActivityEnvironment;
import java.time.Duration;
import java.util.List;
import java.util.Map;
import java.util.concurrent.atomic.AtomicBoolean;
import java.util.concurrent.atomic.AtomicLong;
import java.util.function.BooleanSupplier;
import org.junit.jupiter.api.AfterAll;
import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.BeforeAll;
import org.junit.jupiter.api.BeforeEach;
import org.junit.jupiter.api.Test;

/**
 * Before the temporary pool is removed it must hold no workload, and on a real cluster it rarely
 * is empty at once: pods moved off it are still terminating for their grace period, and others
 * may have started pods on it during the cycle (the original pool was cordoned). The evacuation
 * waits for the first, evicts the second through the Eviction API so that their owners restart
 * them on the original pool, and names what it must not touch. Run on the real control plane.
 */
class EvacuatePoolTest {

  static final String POOL = "default-pool";
  static final String TEMP = "default-pool-temp";
  static final String NS = "late";

  static Sandbox sandbox;
  static KubernetesClient client;
  TestActivityEnvironment env;
  KubernetesActivities kube;

  @BeforeAll
  static void start() {
    Scenario base = Scenario.defaultScenario();
    Scenario twoPools = new Scenario(base.cluster(), List.of(base.pools().get(0),
        new Scenario.Pool(TEMP, base.cluster().controlPlaneVersion(), "e2-standard-4", 1)), List.of(), base.seed());
    sandbox = Sandbox.start(twoPools, Sandbox.Settings.fast());
    client = sandbox.cluster().client();
    await("6 nodes Ready", Duration.ofSeconds(30),
        () -> client.nodes().list().getItems().stream().filter(Objects::isReady).count() == 6);
  }

  @AfterAll
  static void stop() {
    sandbox.close();
  }

  @BeforeEach
  void setUp() {
    client.namespaces().resource(new io.fabric8.kubernetes.api.model.NamespaceBuilder().withNewMetadata()
        .withName(NS).endMetadata().build()).createOr(n -> n.update());
    // A real API server refuses pods in a namespace whose "default" ServiceAccount the controller
    // manager has not created yet; controllers retry, a test creating a bare pod must wait.
    await("the default ServiceAccount of " + NS, Duration.ofSeconds(30),
        () -> client.serviceAccounts().inNamespace(NS).withName("default").get() != null);
    env = TestActivityEnvironment.newInstance();
    env.registerActivitiesImplementations(new KubernetesActivitiesImpl(
        KubeClients.withoutClientRetries(sandbox.cluster().config()), Duration.ofMillis(200), Duration.ofSeconds(30)));
    kube = env.newActivityStub(KubernetesActivities.class, ActivityOptions.newBuilder()
        .setStartToCloseTimeout(Duration.ofMinutes(2))
        .setRetryOptions(RetryOptions.newBuilder().setMaximumAttempts(1).build()).build());
  }

  @AfterEach
  void tearDown() {
    client.apps().deployments().inNamespace(NS).delete();
    client.pods().inNamespace(NS).withGracePeriod(0).delete();
    client.policy().v1().podDisruptionBudget().inNamespace(NS).delete();
    await("namespace " + NS + " empty", Duration.ofSeconds(30), () -> client.pods().inNamespace(NS).list().getItems().isEmpty());
    kube.uncordonPool(POOL);
    kube.uncordonPool(TEMP);
    env.close();
  }

  /** What RESTORE leaves: the original pool schedulable again, the temporary pool cordoned. */
  void restorePhaseCordoning() {
    kube.cordonPool(TEMP);
    kube.uncordonPool(POOL);
  }

  @Test
  void podsOthersStartedOnTheTemporaryPoolMoveToTheOriginalWithinTheirBudget() {
    // During the cycle the original pool is cordoned: a team deploys, and its pods land on the temp pool.
    budget("late-app", 2);
    readyOnTempAtRestore("late-app", 3, 2);

    List<String> staying = kube.evacuatePool(TEMP, 60);

    assertEquals(List.of(), staying);
    assertEquals(List.of(), kube.workloadPodsOnPool(TEMP));
    await("late-app Ready on " + POOL, Duration.ofSeconds(30), () -> readyOn(POOL) == 3);
    assertEquals(List.of(), sandbox.cluster().disruptions(), "evictions went through the budget");
  }

  @Test
  void podsStillTerminatingAreWaitedFor() {
    deployment("slow-stop", 2, 4);
    kube.cordonPool(POOL);
    await("slow-stop Ready", Duration.ofSeconds(30),
        () -> client.pods().inNamespace(NS).list().getItems().stream().filter(Objects::isReady).count() == 2);
    // Put both pods on the temp pool, then scale to zero: they stop, slowly, for their grace period.
    client.pods().inNamespace(NS).delete();
    await("slow-stop on " + TEMP, Duration.ofSeconds(30), () -> readyOn(TEMP) == 2);
    restorePhaseCordoning();
    client.apps().deployments().inNamespace(NS).withName("slow-stop").scale(0);
    await("a pod terminating on " + TEMP, Duration.ofSeconds(10), () -> podsOn(TEMP).stream()
        .anyMatch(p -> p.getMetadata().getDeletionTimestamp() != null));
    assertTrue(kube.workloadPodsOnPool(TEMP).size() > 0, "the pool is not empty yet: the pods linger");

    long started = System.currentTimeMillis();
    List<String> staying = kube.evacuatePool(TEMP, 60);

    assertEquals(List.of(), staying);
    assertEquals(List.of(), podsOn(TEMP));
    assertTrue(System.currentTimeMillis() - started >= 1000, "it waited for the grace period");
  }

  @Test
  void aPodWithoutAControllerIsNamedNotEvicted() {
    kube.cordonPool(POOL);
    client.pods().inNamespace(NS).resource(new PodBuilder().withNewMetadata().withName("hand-made").endMetadata()
        .withNewSpec().addNewContainer().withName("c").withImage("registry.example/tool:1").endContainer().endSpec()
        .build()).create();
    await("hand-made Ready on " + TEMP, Duration.ofSeconds(30), () -> readyOn(TEMP) == 1);
    restorePhaseCordoning();

    List<String> staying = kube.evacuatePool(TEMP, 10);

    assertEquals(1, staying.size(), staying.toString());
    assertTrue(staying.get(0).startsWith(NS + "/hand-made: has no controller"), staying.toString());
    assertEquals(1, readyOn(TEMP), "it was left alone");
  }

  /**
   * A move by eviction is done when the workload runs elsewhere, not when its pods are evicted: a
   * replacement still without a node may be placed back on the pool (chaos soak seed 1127 cycle 7: a
   * scheduler that had not yet seen the cordon after an API server restart put it there, one second
   * after the pool was found empty and just before the pool was deleted under it).
   */
  @Test
  void anEvictionMoveEndsOnlyOnceEveryPodRunsOffThePool() {
    readyOnTempAtRestore("evicted", 2, 0);

    kube.evictPods(new WorkloadRef(NS, "Deployment", "evicted"), TEMP, 60);

    List<Pod> pods = client.pods().inNamespace(NS).list().getItems().stream()
        .filter(p -> p.getMetadata().getDeletionTimestamp() == null).toList();
    assertEquals(2, pods.size(), pods.toString());
    assertTrue(pods.stream().allMatch(p -> p.getSpec().getNodeName() != null), "every replacement has a node");
    assertEquals(List.of(), kube.workloadPodsOnPool(TEMP));
  }

  @Test
  void aReplacementThatComesBackToThePoolIsNotCalledMoved() {
    // pinned to the pool and tolerating the cordon: every replacement lands on it again
    client.apps().deployments().inNamespace(NS).resource(new DeploymentBuilder()
        .withNewMetadata().withName("boomerang").endMetadata()
        .withNewSpec().withReplicas(1).withNewSelector().addToMatchLabels("app", "boomerang").endSelector()
        .withNewTemplate().withNewMetadata().addToLabels("app", "boomerang")
          .addToAnnotations(Objects.STARTUP_DELAY_ANNOTATION, "200ms").endMetadata()
        .withNewSpec().withTerminationGracePeriodSeconds(0L).addToNodeSelector(Objects.POOL_LABEL, TEMP)
          .addNewToleration().withKey("node.kubernetes.io/unschedulable").withOperator("Exists")
          .withEffect("NoSchedule").endToleration()
          .addNewContainer().withName("boomerang").withImage("registry.example/boomerang:1").endContainer().endSpec()
        .endTemplate().endSpec().build()).create();
    await("boomerang Ready on " + TEMP, Duration.ofSeconds(30), () -> readyOn(TEMP) == 1);
    restorePhaseCordoning();

    ActivityFailure failed = assertThrows(
        ActivityFailure.class,
        () -> kube.evictPods(new WorkloadRef(NS, "Deployment", "boomerang"), TEMP, 5));

    String message = ((ApplicationFailure) failed.getCause()).getOriginalMessage();
    assertTrue(message.startsWith("not every pod placed off " + TEMP), message);
    assertTrue(message.contains("placed back on " + TEMP) || message.contains("waiting for a node"), message);
  }

  /**
   * A rollout back to the original pool can be over with a pod still on the cordoned temporary
   * pool: a scheduler whose cache had not seen the cordon (after an API server restart) put it
   * there. The move must not wait for the rollout to fix it, which it never will (chaos soak seed
   * 1127 cycle 37 waited until its timeout): it replaces the pods by a surge.
   */
  @Test
  void aRestoreMovesAPodTheRolloutLeftOnTheCordonedPool() {
    // the rollout is over (nothing to change in the template) and both pods are where they should not be
    readyOnTempAtRestore("left-behind", 2, 0);

    kube.restoreDeployment(new WorkloadRef(NS, "Deployment", "left-behind"), TEMP, 60);

    assertEquals(2, readyOn(POOL));
    assertEquals(List.of(), kube.workloadPodsOnPool(TEMP));
    assertEquals(2, client.apps().deployments().inNamespace(NS).withName("left-behind").get().getSpec().getReplicas());
  }

  /**
   * The same with one replica under {@code minAvailable: 1}, a budget no eviction passes (chaos
   * soak seed 1128 cycle 19: the restored checkout pod placed on the cordoned temporary pool, and
   * RESTORE asking for its eviction until the soak gave up). A second replica comes up on the
   * original pool before the misplaced one goes, so the budget holds all along, and the Deployment
   * ends with its one replica and no trace of the surge.
   */
  @Test
  void aPodWhoseBudgetAllowsNoEvictionIsReplacedBySurgeWithoutGoingBelowTheBudget() throws Exception {
    budget("single", 1);
    readyOnTempAtRestore("single", 1, 0);
    AtomicLong fewestReady = new AtomicLong(1);
    AtomicBoolean watching = new AtomicBoolean(true);
    Thread watcher = new Thread(() -> {
      while (watching.get()) {
        long ready = readyOn(POOL) + readyOn(TEMP);
        fewestReady.accumulateAndGet(ready, Math::min);
        Thread.onSpinWait();
      }
    });
    watcher.start();

    kube.restoreDeployment(new WorkloadRef(NS, "Deployment", "single"), TEMP, 60);

    watching.set(false);
    watcher.join();
    assertEquals(1, readyOn(POOL));
    await("the misplaced pod gone from " + TEMP, Duration.ofSeconds(30), () -> podsOn(TEMP).isEmpty());
    assertEquals(1, fewestReady.get(), "the one Ready pod the budget asks for was there all along");
    var single = client.apps().deployments().inNamespace(NS).withName("single").get();
    assertEquals(1, single.getSpec().getReplicas());
    assertEquals(null, single.getMetadata().getAnnotations() == null ? null
        : single.getMetadata().getAnnotations().get("evolve.dev/replicas-before-surge"));
  }

  /** A surge left under way by a worker that died: the retried move ends it, and starts no other on top. */
  @Test
  void aMoveRetriedAfterACrashEndsTheSurgeItFinds() {
    restorePhaseCordoning();
    deployment("surged", 2, 0);
    client.apps().deployments().inNamespace(NS).withName("surged").patch(
        PatchContext.of(PatchType.JSON_MERGE),
        "{\"metadata\":{\"annotations\":{\"evolve.dev/replicas-before-surge\":\"1\"}}}");
    await("surged Ready on " + POOL, Duration.ofSeconds(30), () -> readyOn(POOL) == 2);

    kube.restoreDeployment(new WorkloadRef(NS, "Deployment", "surged"), TEMP, 60);

    var surged = client.apps().deployments().inNamespace(NS).withName("surged").get();
    assertEquals(1, surged.getSpec().getReplicas());
    assertEquals(null, surged.getMetadata().getAnnotations().get("evolve.dev/replicas-before-surge"));
    assertEquals(1, readyOn(POOL));
  }

  /**
   * {@code name}'s pods Ready on the temporary pool, where MIGRATE's cordon of the original put them,
   * then RESTORE's cordoning: the state a move back starts from.
   */
  void readyOnTempAtRestore(String name, int replicas, long graceSeconds) {
    kube.cordonPool(POOL);
    deployment(name, replicas, graceSeconds);
    await(name + " Ready on " + TEMP, Duration.ofSeconds(30), () -> readyOn(TEMP) == replicas);
    restorePhaseCordoning();
  }

  /** A budget of {@code minAvailable} over the pods labelled app={@code app}. */
  void budget(String app, int minAvailable) {
    client.policy().v1().podDisruptionBudget().inNamespace(NS).resource(new PodDisruptionBudgetBuilder()
        .withNewMetadata().withName(app).endMetadata()
        .withNewSpec().withMinAvailable(new IntOrString(minAvailable)).withNewSelector().addToMatchLabels("app", app)
        .endSelector().endSpec().build()).create();
  }

  void deployment(String name, int replicas, long graceSeconds) {
    client.apps().deployments().inNamespace(NS).resource(new DeploymentBuilder()
        .withNewMetadata().withName(name).endMetadata()
        .withNewSpec().withReplicas(replicas).withNewSelector().addToMatchLabels("app", name).endSelector()
        .withNewTemplate().withNewMetadata().addToLabels("app", name)
          .addToAnnotations(Objects.STARTUP_DELAY_ANNOTATION, "200ms").endMetadata()
        .withNewSpec().withTerminationGracePeriodSeconds(graceSeconds).addNewContainer().withName(name)
          .withImage("registry.example/" + name + ":1").endContainer().endSpec()
        .endTemplate().endSpec().build()).create();
  }

  static List<Pod> podsOn(String pool) {
    Map<String, String> poolOf = new java.util.HashMap<>();
    for (Node node : client.nodes().list().getItems()) {
      poolOf.put(node.getMetadata().getName(), Objects.label(node, Objects.POOL_LABEL));
    }
    return client.pods().inNamespace(NS).list().getItems().stream()
        .filter(p -> pool.equals(poolOf.get(p.getSpec().getNodeName()))).toList();
  }

  static long readyOn(String pool) {
    return podsOn(pool).stream().filter(p -> Objects.isReady(p) && p.getMetadata().getDeletionTimestamp() == null)
        .count();
  }

  static void await(String what, Duration timeout, BooleanSupplier condition) {
    long deadline = System.currentTimeMillis() + timeout.toMillis();
    while (!condition.getAsBoolean()) {
      if (System.currentTimeMillis() > deadline) {
        throw new AssertionError("timed out waiting for " + what);
      }
      try {
        Thread.sleep(100);
      } catch (InterruptedException e) {
        Thread.currentThread().interrupt();
        throw new AssertionError(e);
      }
    }
  }
}
