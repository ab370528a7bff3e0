package dev.evolve.activities.kube;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertInstanceOf;
import static org.junit.jupiter.api.Assertions.assertNotEquals;
import static org.junit.jupiter.api.Assertions.assertNull;
import static org.junit.jupiter.api.Assertions.assertThrows;
import static org.junit.jupiter.api.Assertions.assertTrue;

import dev.evolve.workflows.activities.FailureTypes;
import dev.evolve.workflows.activities.KubernetesActivities;
import dev.evolve.workflows.model.MoveResult;
import dev.evolve.workflows.model.WorkloadRef;
import io.fabric8.kubernetes.api.model.LabelSelectorBuilder;
import io.fabric8.kubernetes.api.model.Pod;
import io.fabric8.kubernetes.api.model.PodBuilder;
import io.fabric8.kubernetes.api.model.StatusBuilder;
import io.fabric8.kubernetes.api.model.apps.StatefulSet;
import io.fabric8.kubernetes.api.model.apps.StatefulSetBuilder;
import io.fabric8.kubernetes.client.KubernetesClient;
import io.fabric8.kubernetes.client.server.mock.EnableKubernetesMockClient;
import io.fabric8.kubernetes.client.server.mock.KubernetesMockServer;
import io.fabric8.kubernetes.client.utils.Serialization;
import io.temporal.activity.ActivityOptions;
import io.temporal.common.RetryOptions;
import io.temporal.failure.ActivityFailure;
import io.temporal.failure.ApplicationFailure;
import io.temporal.testing.TestActivityEnvironment;
import java.time.Duration;
import java.util.List;
import java.util.Map;
import java.util.UUID;
import java.util.concurrent.TimeUnit;
import java.util.concurrent.atomic.AtomicBoolean;
import io.fabric8.mockwebserver.http.RecordedRequest;
import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.BeforeEach;
import org.junit.jupiter.api.Test;

/** One Kafka broker pod at a time, there and back, with the StatefulSet left exactly as it was. */
@EnableKubernetesMockClient(crud = true)
class StatefulSetMoveTest {

  static final String POOL = "default-pool";
  static final String TEMP = "default-pool-temp";
  static final WorkloadRef KAFKA = new WorkloadRef("kafka", "StatefulSet", "kafka");

  KubernetesMockServer server;
  KubernetesClient client;
  Fixtures fixtures;
  TestActivityEnvironment env;
  /** What the scheduler says about a successor with no node to go to. */
  volatile String unschedulableMessage = "0/6 nodes are available: 3 node(s) didn't match Pod's node "
      + "affinity/selector, 3 node(s) were unschedulable.";
  KubernetesActivities kube;
  final AtomicBoolean controlling = new AtomicBoolean(true);
  Thread controller;

  @BeforeEach
  void setUp() {
    client = KubeClients.withoutClientRetries(new io.fabric8.kubernetes.client.ConfigBuilder(client.getConfiguration())
        .build());
    fixtures = new Fixtures(client);
    fixtures.pool(POOL);
    fixtures.pool(TEMP);
    client.apps().statefulSets().inNamespace("kafka").resource(new StatefulSetBuilder()
        .withNewMetadata().withName("kafka").withNamespace("kafka").endMetadata()
        .withNewSpec().withReplicas(3).withSelector(new LabelSelectorBuilder().addToMatchLabels("app", "kafka").build())
        .withTemplate(Fixtures.template("kafka")).withNewUpdateStrategy().withType("RollingUpdate")
        .withNewRollingUpdate().withPartition(0).endRollingUpdate().endUpdateStrategy().endSpec().build()).create();
    for (int i = 0; i < 3; i++) {
      fixtures.pod("kafka", "kafka-" + i, "StatefulSet", "kafka", Fixtures.template("kafka"),
          POOL + "-" + Fixtures.ZONES.get(i));
      server.expect().post().withPath("/api/v1/namespaces/kafka/pods/kafka-" + i + "/eviction")
          .andReturn(201, new StatusBuilder().withStatus("Success").build()).always();
    }
    env = TestActivityEnvironment.newInstance();
    env.registerActivitiesImplementations(new KubernetesActivitiesImpl(client, Duration.ofMillis(20), Duration.ofMillis(300)));
    kube = env.newActivityStub(KubernetesActivities.class, ActivityOptions.newBuilder()
        .setStartToCloseTimeout(Duration.ofMinutes(1)).setRetryOptions(RetryOptions.newBuilder().setMaximumAttempts(1).build())
        .build());
    controller = new Thread(this::playStatefulSetController, "test-statefulset-controller");
    controller.start();
  }

  @AfterEach
  void tearDown() throws Exception {
    controlling.set(false);
    controller.join();
    env.close();
  }

  /**
   * What the StatefulSet controller and the scheduler do after an eviction: the pod goes, a new
   * one of the same name (new UID) comes from the current template, on a schedulable node of the
   * evicted pod's zone that satisfies the template's pool requirement, or stays Unschedulable.
   */
  private void playStatefulSetController() {
    while (controlling.get()) {
      RecordedRequest request;
      try {
        request = server.takeRequest(20, TimeUnit.MILLISECONDS);
      } catch (InterruptedException e) {
        return;
      }
      if (request == null || !"POST".equals(request.getMethod()) || !request.getPath().endsWith("/eviction")) {
        continue;
      }
      String name = request.getPath().split("/")[6];
      Pod old = client.pods().inNamespace("kafka").withName(name).get();
      String zone = old.getSpec().getNodeName().substring(old.getSpec().getNodeName().indexOf("-europe") + 1);
      client.pods().inNamespace("kafka").withName(name).delete();
      StatefulSet sts = client.apps().statefulSets().inNamespace("kafka").withName("kafka").get();
      String pool = requiredPool(sts);
      String node = client.nodes().withLabel(Pools.ZONE_LABEL, zone).list().getItems().stream()
          .filter(n -> !Boolean.TRUE.equals(n.getSpec().getUnschedulable()))
          .filter(n -> pool == null || pool.equals(n.getMetadata().getLabels().get(Pools.POOL_LABEL)))
          .map(n -> n.getMetadata().getName()).findFirst().orElse(null);
      PodBuilder successor = new PodBuilder().withNewMetadata().withName(name).withNamespace("kafka")
          .withUid(UUID.randomUUID().toString()).withLabels(Map.of("app", "kafka")).endMetadata()
          .withSpec(sts.getSpec().getTemplate().getSpec()).editSpec().withNodeName(node).endSpec();
      if (node == null) {
        successor.withNewStatus().withPhase("Pending").addNewCondition().withType("PodScheduled").withStatus("False")
            .withReason("Unschedulable").withMessage(unschedulableMessage).endCondition().endStatus();
      } else {
        successor.withNewStatus().withPhase("Running").addNewCondition().withType("Ready").withStatus("True")
            .endCondition().endStatus();
      }
      client.pods().inNamespace("kafka").resource(successor.build()).create();
    }
  }

  private static String requiredPool(StatefulSet sts) {
    var affinity = sts.getSpec().getTemplate().getSpec().getAffinity();
    if (affinity == null || affinity.getNodeAffinity() == null
        || affinity.getNodeAffinity().getRequiredDuringSchedulingIgnoredDuringExecution() == null) {
      return null;
    }
    return affinity.getNodeAffinity().getRequiredDuringSchedulingIgnoredDuringExecution().getNodeSelectorTerms().get(0)
        .getMatchExpressions().stream().filter(e -> e.getKey().equals(Pools.POOL_LABEL))
        .map(e -> e.getValues().get(0)).findFirst().orElse(null);
  }

  Pod pod(int ordinal) {
    return client.pods().inNamespace("kafka").withName("kafka-" + ordinal).get();
  }

  StatefulSet sts() {
    return client.apps().statefulSets().inNamespace("kafka").withName("kafka").get();
  }

  @Test
  void oneBrokerMovesToTheTempPoolAndBackLeavingTheStatefulSetAsItWas() {
    String templateBefore = Serialization.asJson(sts().getSpec().getTemplate());
    String strategyBefore = Serialization.asJson(sts().getSpec().getUpdateStrategy());
    String uid0 = pod(0).getMetadata().getUid();
    String uid1 = pod(1).getMetadata().getUid();

    MoveResult moved = kube.moveStatefulSetPod(KAFKA, 1, TEMP, 30);

    assertEquals(1, moved.podsMoved());
    assertEquals(TEMP + "-europe-west1-c", pod(1).getSpec().getNodeName(), "same zone, temp pool");
    assertNotEquals(uid1, pod(1).getMetadata().getUid());
    assertEquals(uid0, pod(0).getMetadata().getUid(), "another broker was touched");
    assertEquals("OnDelete", sts().getSpec().getUpdateStrategy().getType(),
        "while brokers move, the controller must not roll the others");
    assertTrue(sts().getMetadata().getAnnotations().containsKey(OriginalScheduling.ANNOTATION));

    assertEquals(0, kube.moveStatefulSetPod(KAFKA, 1, TEMP, 30).podsMoved(), "a retry finds it done");

    kube.cordonPool(TEMP);
    MoveResult back = kube.restoreStatefulSetPod(KAFKA, 1, TEMP, 30);

    assertEquals(1, back.podsMoved());
    assertEquals(POOL + "-europe-west1-c", pod(1).getSpec().getNodeName());
    assertEquals(templateBefore, Serialization.asJson(sts().getSpec().getTemplate()));
    assertEquals(strategyBefore, Serialization.asJson(sts().getSpec().getUpdateStrategy()));
    assertNull(sts().getMetadata().getAnnotations().get(OriginalScheduling.ANNOTATION));
  }

  @Test
  void aBrokerThatCannotBeScheduledStopsTheMoveWithTheSchedulersWords() {
    kube.cordonPool(TEMP);

    ActivityFailure failure = assertThrows(ActivityFailure.class, () -> kube.moveStatefulSetPod(KAFKA, 2, TEMP, 30));

    ApplicationFailure cause = assertInstanceOf(ApplicationFailure.class, failure.getCause());
    assertEquals(FailureTypes.UNSCHEDULABLE, cause.getType());
    assertTrue(cause.isNonRetryable());
    assertTrue(cause.getOriginalMessage().contains("didn't match Pod's node affinity"), cause.getOriginalMessage());
    assertFalse(Pools.isReady(pod(2)));
    assertEquals(List.of(), client.pods().inNamespace("kafka").list().getItems().stream()
        .filter(p -> !p.getMetadata().getName().equals("kafka-2") && p.getSpec().getNodeName().startsWith(TEMP))
        .toList(), "no other broker may move");
  }

  @Test
  void aTempPoolTooSmallForAMovedBrokerIsReportedWithAResizeHint() {
    // the scheduler's words when the pool's nodes are full (kube-scheduler v1.34)
    unschedulableMessage = "0/6 nodes are available: 3 Insufficient cpu, 3 node(s) didn't match Pod's node "
        + "affinity/selector. preemption: 0/6 nodes are available: 3 No preemption victims found for incoming pod, "
        + "3 Preemption is not helpful for scheduling.";
    kube.cordonPool(TEMP);

    ActivityFailure failure = assertThrows(ActivityFailure.class, () -> kube.moveStatefulSetPod(KAFKA, 2, TEMP, 30));

    ApplicationFailure cause = assertInstanceOf(ApplicationFailure.class, failure.getCause());
    assertEquals(FailureTypes.TEMP_POOL_TOO_SMALL, cause.getType());
    assertTrue(cause.isNonRetryable());
    assertTrue(cause.getOriginalMessage().contains("Insufficient cpu"), cause.getOriginalMessage());
    assertTrue(cause.getOriginalMessage().contains("resize " + TEMP + " to 2 node(s) per zone"),
        cause.getOriginalMessage());
  }
}
