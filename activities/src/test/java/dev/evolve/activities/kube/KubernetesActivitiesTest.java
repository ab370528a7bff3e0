package dev.evolve.activities.kube;

import static org.junit.jupiter.api.Assertions.assertInstanceOf;
import static org.junit.jupiter.api.Assertions.assertThrows;
import dev.evolve.workflows.activities.FailureTypes;
import io.temporal.failure.ApplicationFailure;
import io.temporal.failure.ActivityFailure;
import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertNotEquals;
import static org.junit.jupiter.api.Assertions.assertTrue;

import dev.evolve.workflows.activities.KubernetesActivities;
import dev.evolve.workflows.model.MoveResult;
import dev.evolve.workflows.model.PoolInventory;
import dev.evolve.workflows.model.Workload;
import dev.evolve.workflows.model.WorkloadRef;
import dev.evolve.workflows.model.WorkloadSelection;
import io.fabric8.kubernetes.api.model.IntOrString;
import io.fabric8.kubernetes.api.model.NodeSelectorRequirement;
import io.fabric8.kubernetes.api.model.NodeSelectorRequirementBuilder;
import io.fabric8.kubernetes.api.model.NodeSelectorTerm;
import io.fabric8.kubernetes.api.model.OwnerReferenceBuilder;
import io.fabric8.kubernetes.api.model.PersistentVolumeBuilder;
import io.fabric8.kubernetes.api.model.PersistentVolumeClaimBuilder;
import io.fabric8.kubernetes.api.model.Pod;
import io.fabric8.kubernetes.api.model.PodTemplateSpec;
import io.fabric8.kubernetes.api.model.apps.Deployment;
import io.fabric8.kubernetes.api.model.apps.StatefulSetBuilder;
import io.fabric8.kubernetes.client.KubernetesClient;
import io.fabric8.kubernetes.client.server.mock.EnableKubernetesMockClient;
import io.fabric8.kubernetes.client.utils.Serialization;
import io.temporal.activity.ActivityOptions;
import io.temporal.common.RetryOptions;
import io.temporal.testing.TestActivityEnvironment;
import java.time.Duration;
import java.util.List;
import java.util.Map;
import java.util.concurrent.atomic.AtomicBoolean;
import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.BeforeEach;
import org.junit.jupiter.api.Test;

@EnableKubernetesMockClient(crud = true)
class KubernetesActivitiesTest {

  static final String POOL = "default-pool";
  static final String TEMP = "default-pool-temp";

  KubernetesClient client;
  Fixtures fixtures;
  TestActivityEnvironment env;
  KubernetesActivities kube;

  @BeforeEach
  void setUp() {
    fixtures = new Fixtures(client);
    fixtures.pool(POOL);
    fixtures.pool(TEMP);
    env = TestActivityEnvironment.newInstance();
    env.registerActivitiesImplementations(new KubernetesActivitiesImpl(client, Duration.ofMillis(20), Duration.ofMillis(200)));
    kube = env.newActivityStub(KubernetesActivities.class, ActivityOptions.newBuilder()
        .setStartToCloseTimeout(Duration.ofMinutes(1)).setRetryOptions(RetryOptions.newBuilder().setMaximumAttempts(1).build())
        .build());
  }

  @AfterEach
  void tearDown() {
    env.close();
  }

  static List<String> nodes(String pool) {
    return Fixtures.ZONES.stream().map(z -> pool + "-" + z).toList();
  }

  @Test
  void inventoryGroupsPodsByTheirWorkload() {
    fixtures.deployment("shop", "cart", Fixtures.template("cart"), nodes(POOL));
    fixtures.pdb("shop", "cart", "cart", 1);
    PodTemplateSpec kafka = Fixtures.template("kafka");
    kafka.getSpec().setVolumes(List.of(new io.fabric8.kubernetes.api.model.VolumeBuilder().withName("data")
        .withNewPersistentVolumeClaim().withClaimName("data-kafka-1").endPersistentVolumeClaim().build()));
    client.apps().statefulSets().inNamespace("kafka").resource(new StatefulSetBuilder().withNewMetadata()
        .withName("kafka").withNamespace("kafka").endMetadata().withNewSpec().withReplicas(3).endSpec().build()).create();
    client.persistentVolumes().resource(new PersistentVolumeBuilder().withNewMetadata().withName("pv-kafka-1")
        .endMetadata().withNewSpec().withNewNodeAffinity().withNewRequired().addNewNodeSelectorTerm()
        .addNewMatchExpression().withKey(Pools.ZONE_LABEL).withOperator("In").withValues("europe-west1-c")
        .endMatchExpression().endNodeSelectorTerm().endRequired().endNodeAffinity().endSpec().build()).create();
    client.persistentVolumeClaims().inNamespace("kafka").resource(new PersistentVolumeClaimBuilder().withNewMetadata()
        .withName("data-kafka-1").endMetadata().withNewSpec().withVolumeName("pv-kafka-1").endSpec().build()).create();
    fixtures.pod("kafka", "kafka-1", "StatefulSet", "kafka", kafka, POOL + "-europe-west1-c");
    fixtures.pod("kafka", "kafka-0", "StatefulSet", "kafka", Fixtures.template("kafka"), POOL + "-europe-west1-b");
    fixtures.pod("kube-system", "fluentbit-x1", "DaemonSet", "fluentbit", Fixtures.template("fluentbit"),
        POOL + "-europe-west1-b");
    PodTemplateSpec scratch = Fixtures.template("debug");
    scratch.getSpec().setVolumes(List.of(new io.fabric8.kubernetes.api.model.VolumeBuilder().withName("tmp")
        .withNewEmptyDir().endEmptyDir().build()));
    fixtures.pod("ops", "debug", null, null, scratch, POOL + "-europe-west1-d");
    fixtures.deployment("shop", "elsewhere", Fixtures.template("elsewhere"), nodes(TEMP));

    PoolInventory inventory = kube.inventory(POOL, WorkloadSelection.everything());

    Map<String, Workload> byRef = inventory.workloads().stream()
        .collect(java.util.stream.Collectors.toMap(w -> w.ref().toString(), w -> w));
    assertEquals(List.of("kafka/StatefulSet/kafka", "ops/Pod/debug", "shop/Deployment/cart"),
        byRef.keySet().stream().sorted().toList(), "DaemonSet pods and other pools' pods are not workloads here");
    Workload cart = byRef.get("shop/Deployment/cart");
    assertEquals(3, cart.podsOnPool());
    assertEquals(750, cart.cpuMillisRequested());
    assertEquals(1, cart.maxSurge(), "25% of 3 rounds up to 1");
    assertEquals("shop/cart", cart.pdbs().get(0).toString());
    assertEquals(1, cart.pdbs().get(0).disruptionsAllowed());
    Workload kafkaSts = byRef.get("kafka/StatefulSet/kafka");
    assertEquals(List.of(0, 1), kafkaSts.readyOrdinalsOnPool());
    assertEquals(List.of("europe-west1-c"), kafkaSts.volumeZones());
    assertTrue(byRef.get("ops/Pod/debug").usesEmptyDir());
    assertEquals(250, inventory.daemonSetCpuMillisPerNode());
    assertEquals(3, inventory.nodes().size());

    PoolInventory narrowed = kube.inventory(POOL, new WorkloadSelection(List.of(), List.of(), List.of("ops/Pod/debug")));
    assertFalse(narrowed.workloads().stream().anyMatch(w -> w.ref().kind().equals("Pod")));
  }

  @Test
  void podsOfAStrimziPodSetAreReportedUnderIt() {
    // Strimzi runs Kafka pods under its own StrimziPodSet, not a StatefulSet
    for (int i = 0; i < 3; i++) {
      fixtures.pod("kafka", "my-cluster-brokers-" + i, new OwnerReferenceBuilder()
          .withApiVersion("core.strimzi.io/v1beta2").withKind("StrimziPodSet").withName("my-cluster-brokers")
          .withUid("6f0c3c1e-0000-4000-8000-000000000001").withController(true).withBlockOwnerDeletion(true).build(),
          Fixtures.template("kafka"), nodes(POOL).get(i));
    }

    PoolInventory inventory = kube.inventory(POOL, WorkloadSelection.everything());

    assertEquals(List.of(new WorkloadRef("kafka", "StrimziPodSet", "my-cluster-brokers")),
        inventory.workloads().stream().map(Workload::ref).toList());
    assertEquals(3, inventory.workloads().get(0).podsOnPool());
    // what the planner's STRIMZI_MANAGED blocker suggests: leave them out of the cycle
    assertTrue(kube.inventory(POOL, new WorkloadSelection(List.of(), List.of(),
        List.of("kafka/StrimziPodSet/my-cluster-brokers"))).workloads().isEmpty());
  }

  @Test
  void cordonAndUncordonChangeOnlyThatPoolAndAreIdempotent() {
    assertEquals(3, kube.cordonPool(POOL));
    assertEquals(0, kube.cordonPool(POOL));
    assertTrue(kube.nodes(POOL).stream().allMatch(n -> n.unschedulable()));
    assertTrue(kube.nodes(TEMP).stream().noneMatch(n -> n.unschedulable()));
    assertEquals(3, kube.uncordonPool(POOL));
    assertTrue(kube.nodes(POOL).stream().noneMatch(n -> n.unschedulable()));
  }

  @Test
  void aDeploymentMovesByAffinityAndIsRestoredExactly() throws Exception {
    PodTemplateSpec template = Fixtures.template("cart");
    template.getSpec().setNodeSelector(Map.of("disktype", "ssd"));
    template.getSpec().setAffinity(new io.fabric8.kubernetes.api.model.AffinityBuilder().withNewNodeAffinity()
        .withNewRequiredDuringSchedulingIgnoredDuringExecution().addNewNodeSelectorTerm().addNewMatchExpression()
        .withKey("cloud.google.com/machine-family").withOperator("In").withValues("e2").endMatchExpression()
        .endNodeSelectorTerm().endRequiredDuringSchedulingIgnoredDuringExecution().endNodeAffinity().build());
    fixtures.deployment("shop", "cart", template, nodes(POOL));
    // A strategy that would take a pod down before its replacement is up: the move must not use it.
    client.apps().deployments().inNamespace("shop").withName("cart").edit(d -> {
      d.getSpec().setStrategy(new io.fabric8.kubernetes.api.model.apps.DeploymentStrategyBuilder()
          .withType("RollingUpdate").withNewRollingUpdate().withMaxSurge(new IntOrString("50%"))
          .withMaxUnavailable(new IntOrString(1)).endRollingUpdate().build());
      return d;
    });
    // the mock server counts a new generation for the edit; the fixture's status has seen it
    client.apps().deployments().inNamespace("shop").withName("cart").editStatus(d -> {
      d.getStatus().setObservedGeneration(d.getMetadata().getGeneration());
      return d;
    });
    String before = Serialization.asJson(client.apps().deployments().inNamespace("shop").withName("cart").get()
        .getSpec().getTemplate());
    String strategyBefore = Serialization.asJson(client.apps().deployments().inNamespace("shop").withName("cart")
        .get().getSpec().getStrategy());
    DeploymentController controller = new DeploymentController(client, fixtures, "shop", "cart");
    controller.start();
    try {
      MoveResult moved = kube.moveDeployment(new WorkloadRef("shop", "Deployment", "cart"), TEMP, 30);

      assertEquals(3, moved.podsMoved());
      Deployment pinned = client.apps().deployments().inNamespace("shop").withName("cart").get();
      NodeSelectorTerm term = pinned.getSpec().getTemplate().getSpec().getAffinity().getNodeAffinity()
          .getRequiredDuringSchedulingIgnoredDuringExecution().getNodeSelectorTerms().get(0);
      assertEquals(List.of("cloud.google.com/machine-family", Pools.POOL_LABEL),
          term.getMatchExpressions().stream().map(NodeSelectorRequirement::getKey).toList(),
          "the workload's own rule must still hold, ANDed with the pool");
      assertEquals(Map.of("disktype", "ssd"), pinned.getSpec().getTemplate().getSpec().getNodeSelector());
      assertEquals(new IntOrString(0), pinned.getSpec().getStrategy().getRollingUpdate().getMaxUnavailable(),
          "the move never takes a pod down before its replacement is Ready");
      assertEquals(new IntOrString("50%"), pinned.getSpec().getStrategy().getRollingUpdate().getMaxSurge(),
          "and never runs more pods than the owner allowed");
      assertTrue(pinned.getMetadata().getAnnotations().containsKey(OriginalScheduling.ANNOTATION));
      assertTrue(podsOf("cart").stream().allMatch(p -> p.getSpec().getNodeName().startsWith(TEMP)));

      kube.cordonPool(TEMP);
      MoveResult restored = kube.restoreDeployment(new WorkloadRef("shop", "Deployment", "cart"), TEMP, 30);

      assertEquals(3, restored.podsMoved());
      Deployment back = client.apps().deployments().inNamespace("shop").withName("cart").get();
      assertEquals(before, Serialization.asJson(back.getSpec().getTemplate()), "template not restored exactly");
      assertEquals(strategyBefore, Serialization.asJson(back.getSpec().getStrategy()), "strategy not restored exactly");
      assertFalse(back.getMetadata().getAnnotations().containsKey(OriginalScheduling.ANNOTATION));
      assertTrue(podsOf("cart").stream().noneMatch(p -> p.getSpec().getNodeName().startsWith(TEMP)));
    } finally {
      controller.stop();
    }
  }

  @Test
  void aTemplateWithoutAnySchedulingIsRestoredToNone() throws Exception {
    fixtures.deployment("web", "frontend", Fixtures.template("frontend"), nodes(POOL));
    String before = Serialization.asJson(client.apps().deployments().inNamespace("web").withName("frontend").get()
        .getSpec().getTemplate());
    DeploymentController controller = new DeploymentController(client, fixtures, "web", "frontend");
    controller.start();
    try {
      kube.moveDeployment(new WorkloadRef("web", "Deployment", "frontend"), TEMP, 30);
      assertNotEquals(before, Serialization.asJson(client.apps().deployments().inNamespace("web")
          .withName("frontend").get().getSpec().getTemplate()));
      kube.cordonPool(TEMP);
      kube.restoreDeployment(new WorkloadRef("web", "Deployment", "frontend"), TEMP, 30);
      assertEquals(before, Serialization.asJson(client.apps().deployments().inNamespace("web").withName("frontend")
          .get().getSpec().getTemplate()));
    } finally {
      controller.stop();
    }
  }

  /**
   * A surge-only rollout onto a full pool: the new pod stays Pending with the scheduler's
   * "Insufficient cpu" while the old ones keep running. That is a pool to resize, said at once,
   * not a rollout to wait out until the move's timeout.
   */
  @Test
  void aRolloutOntoATempPoolTooSmallFailsWithAResizeHintInsteadOfTimingOut() {
    fixtures.deployment("shop", "cart", Fixtures.template("cart"), nodes(POOL));
    AtomicBoolean surging = new AtomicBoolean(true);
    Thread controller = new Thread(() -> {
      while (surging.get()) {
        Deployment d = client.apps().deployments().inNamespace("shop").withName("cart").get();
        if (d.getSpec().getTemplate().getSpec().getAffinity() != null
            && client.pods().inNamespace("shop").withName("cart-new-0").get() == null) {
          client.pods().inNamespace("shop").resource(new io.fabric8.kubernetes.api.model.PodBuilder()
              .withNewMetadata().withName("cart-new-0").withNamespace("shop").withLabels(Map.of("app", "cart"))
              .endMetadata().withSpec(d.getSpec().getTemplate().getSpec())
              .withNewStatus().withPhase("Pending").addNewCondition().withType("PodScheduled").withStatus("False")
              .withReason("Unschedulable").withMessage("0/6 nodes are available: 3 Insufficient memory, 3 node(s) "
                  + "didn't match Pod's node affinity/selector. preemption: 0/6 nodes are available: 3 No preemption "
                  + "victims found for incoming pod, 3 Preemption is not helpful for scheduling.")
              .endCondition().endStatus().build()).create();
        }
        try {
          Thread.sleep(20);
        } catch (InterruptedException e) {
          return;
        }
      }
    });
    controller.start();
    try {
      long started = System.currentTimeMillis();
      ActivityFailure failure = assertThrows(ActivityFailure.class,
          () -> kube.moveDeployment(new WorkloadRef("shop", "Deployment", "cart"), TEMP, 20));

      ApplicationFailure cause = assertInstanceOf(ApplicationFailure.class, failure.getCause());
      assertEquals(FailureTypes.TEMP_POOL_TOO_SMALL, cause.getType(), cause.getOriginalMessage());
      assertTrue(cause.isNonRetryable());
      assertTrue(cause.getOriginalMessage().contains("Insufficient memory"), cause.getOriginalMessage());
      assertTrue(cause.getOriginalMessage().contains("resize " + TEMP + " to 2 node(s) per zone"),
          cause.getOriginalMessage());
      assertTrue(System.currentTimeMillis() - started < 10_000, "it waited for the move's timeout");
    } finally {
      surging.set(false);
    }
  }

  @Test
  void workloadPodsOnPoolLeavesOutDaemonSets() {
    fixtures.deployment("shop", "cart", Fixtures.template("cart"), nodes(TEMP).subList(0, 1));
    fixtures.pod("kube-system", "fluentbit-x1", "DaemonSet", "fluentbit", Fixtures.template("fluentbit"),
        TEMP + "-europe-west1-b");

    assertEquals(List.of("shop/cart-5d8f7-0"), kube.workloadPodsOnPool(TEMP));
    assertEquals(List.of(), kube.workloadPodsOnPool(POOL));
  }

  List<Pod> podsOf(String app) {
    return client.pods().inAnyNamespace().withLabel("app", app).list().getItems();
  }

  /**
   * Plays the Deployment controller and scheduler for one Deployment, as the mock server has
   * none: when the template changes, replace the pods with new ones on schedulable nodes that
   * satisfy the pool requirement, then report the rollout complete.
   */
  static final class DeploymentController {
    private final KubernetesClient client;
    private final Fixtures fixtures;
    private final String ns;
    private final String name;
    private final AtomicBoolean running = new AtomicBoolean(true);
    private final Thread thread;
    private String lastTemplate;

    DeploymentController(KubernetesClient client, Fixtures fixtures, String ns, String name) {
      this.client = client;
      this.fixtures = fixtures;
      this.ns = ns;
      this.name = name;
      this.thread = new Thread(this::loop, "test-deployment-controller");
    }

    void start() {
      lastTemplate = Serialization.asJson(client.apps().deployments().inNamespace(ns).withName(name).get()
          .getSpec().getTemplate());
      thread.start();
    }

    void stop() throws InterruptedException {
      running.set(false);
      thread.join();
    }

    private void loop() {
      int generation = 1;
      while (running.get()) {
        Deployment d = client.apps().deployments().inNamespace(ns).withName(name).get();
        String template = Serialization.asJson(d.getSpec().getTemplate());
        if (!template.equals(lastTemplate)) {
          lastTemplate = template;
          generation++;
          List<String> targets = schedulableNodes(d.getSpec().getTemplate());
          List<Pod> old = client.pods().inNamespace(ns).withLabel("app", name).list().getItems();
          for (int i = 0; i < d.getSpec().getReplicas(); i++) {
            fixtures.pod(ns, name + "-5d8f7-g" + generation + "-" + i, "ReplicaSet", name + "-5d8f7",
                d.getSpec().getTemplate(), targets.get(i % targets.size()));
          }
          old.forEach(p -> client.pods().inNamespace(ns).withName(p.getMetadata().getName()).delete());
          // the mock server counts generations itself; a controller reports the one it has acted on
          client.apps().deployments().inNamespace(ns).withName(name).editStatus(x -> {
            x.getStatus().setObservedGeneration(x.getMetadata().getGeneration());
            return x;
          });
        }
        sleepQuietly();
      }
    }

    private List<String> schedulableNodes(PodTemplateSpec template) {
      String pool = null;
      var affinity = template.getSpec().getAffinity();
      if (affinity != null && affinity.getNodeAffinity() != null
          && affinity.getNodeAffinity().getRequiredDuringSchedulingIgnoredDuringExecution() != null) {
        pool = affinity.getNodeAffinity().getRequiredDuringSchedulingIgnoredDuringExecution().getNodeSelectorTerms()
            .get(0).getMatchExpressions().stream().filter(e -> e.getKey().equals(Pools.POOL_LABEL))
            .map(e -> e.getValues().get(0)).findFirst().orElse(null);
      }
      String wanted = pool;
      return client.nodes().list().getItems().stream()
          .filter(n -> !Boolean.TRUE.equals(n.getSpec().getUnschedulable()))
          .filter(n -> wanted == null || wanted.equals(n.getMetadata().getLabels().get(Pools.POOL_LABEL)))
          .map(n -> n.getMetadata().getName()).sorted().toList();
    }

    private static void sleepQuietly() {
      try {
        Thread.sleep(20);
      } catch (InterruptedException e) {
        Thread.currentThread().interrupt();
      }
    }
  }
}
