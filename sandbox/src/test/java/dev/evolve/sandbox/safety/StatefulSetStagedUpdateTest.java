package dev.evolve.sandbox.safety;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertNotEquals;
import static org.junit.jupiter.api.Assertions.assertNotNull;
import static org.junit.jupiter.api.Assertions.assertTrue;

import com.google.cloud.container.v1.ClusterManagerClient;
import dev.evolve.activities.gke.GkeActivitiesImpl;
import dev.evolve.activities.gke.KubernetesPoolNodes;
import dev.evolve.activities.gke.GkeClients;
import dev.evolve.activities.kube.KubeClients;
import dev.evolve.activities.kube.KubernetesActivitiesImpl;
import dev.evolve.sandbox.Sandbox;
import dev.evolve.sandbox.Scenario;
import dev.evolve.sandbox.observe.Objects;
import dev.evolve.workflows.activities.GkeActivities;
import dev.evolve.workflows.activities.KubernetesActivities;
import dev.evolve.workflows.model.Blocker;
import dev.evolve.workflows.model.PoolInventory;
import dev.evolve.workflows.model.TempPoolPolicy;
import dev.evolve.workflows.model.UpgradePlan;
import dev.evolve.workflows.model.UpgradeRequest;
import dev.evolve.workflows.model.Workload;
import dev.evolve.workflows.model.WorkloadRef;
import dev.evolve.workflows.model.WorkloadSelection;
import dev.evolve.workflows.plan.Planner;
import io.fabric8.kubernetes.api.model.apps.StatefulSet;
import io.fabric8.kubernetes.client.KubernetesClient;
import io.temporal.activity.ActivityOptions;
import io.temporal.common.RetryOptions;
import io.temporal.testing.TestActivityEnvironment;
import java.time.Duration;
import java.util.List;
import org.junit.jupiter.api.AfterAll;
import org.junit.jupiter.api.BeforeAll;
import org.junit.jupiter.api.Test;

/**
 * A StatefulSet with a staged update (RollingUpdate behind a partition, the way a careful team
 * canaries a new broker config) runs its pods at the old revision while its template is at the new
 * one. On the real control plane, moving such a pod recreates it from the new template: the move
 * would finish the staged update ungated. The plan must refuse, naming the StatefulSet.
 */
class StatefulSetStagedUpdateTest {

  static final WorkloadRef KAFKA = new WorkloadRef("kafka", "StatefulSet", "kafka");

  static Sandbox sandbox;
  static KubernetesClient client;
  static ClusterManagerClient gkeClient;
  static TestActivityEnvironment env;
  static KubernetesActivities kube;
  static GkeActivities gke;

  @BeforeAll
  static void start() throws Exception {
    sandbox = Sandbox.start(Scenario.defaultScenario(), Sandbox.Settings.fast());
    client = sandbox.cluster().client();
    EvacuatePoolTest.await("every pod Ready", Duration.ofSeconds(60), () -> {
      var pods = client.pods().inAnyNamespace().list().getItems();
      return pods.size() == 13 && pods.stream().allMatch(Objects::isReady);
    });
    gkeClient = GkeClients.create(sandbox.gke().endpoint());
    env = TestActivityEnvironment.newInstance();
    env.registerActivitiesImplementations(
        new KubernetesActivitiesImpl(KubeClients.withoutClientRetries(sandbox.cluster().config()),
            Duration.ofMillis(200), Duration.ofSeconds(30)),
        new GkeActivitiesImpl(gkeClient, Duration.ofMillis(200), new KubernetesPoolNodes(client)));
    ActivityOptions options = ActivityOptions.newBuilder().setStartToCloseTimeout(Duration.ofMinutes(2))
        .setRetryOptions(RetryOptions.newBuilder().setMaximumAttempts(1).build()).build();
    kube = env.newActivityStub(KubernetesActivities.class, options);
    gke = env.newActivityStub(GkeActivities.class, options);
    stageAnUpdate();
  }

  @AfterAll
  static void stop() {
    env.close();
    gkeClient.close();
    sandbox.close();
  }

  /** A new template behind partition = replicas: no pod is updated until the team lowers it. */
  static void stageAnUpdate() {
    client.apps().statefulSets().inNamespace("kafka").withName("kafka").edit(s -> {
      s.getSpec().getUpdateStrategy().setRollingUpdate(
          new io.fabric8.kubernetes.api.model.apps.RollingUpdateStatefulSetStrategy(null, 3));
      s.getSpec().getTemplate().getMetadata().getAnnotations().put("config/version", "2");
      return s;
    });
    EvacuatePoolTest.await("the update staged", Duration.ofSeconds(30), () -> {
      StatefulSet s = client.apps().statefulSets().inNamespace("kafka").withName("kafka").get();
      return s.getStatus() != null && s.getStatus().getUpdateRevision() != null
          && !s.getStatus().getUpdateRevision().equals(s.getStatus().getCurrentRevision());
    });
  }

  @Test
  void thePlanRefusesAStatefulSetWithAStagedUpdateBecauseAMovedPodWouldComeBackUpdated() {
    UpgradeRequest request = sandbox.request(TempPoolPolicy.DELETE, 0);
    PoolInventory inventory = kube.inventory(sandbox.poolToUpgrade(), new WorkloadSelection(null, null, null));
    Workload kafka = inventory.workloads().stream().filter(w -> w.ref().equals(KAFKA)).findFirst().orElseThrow();
    assertNotNull(kafka.unfinishedRollout(), "the inventory sees the staged update");
    assertTrue(kafka.unfinishedRollout().contains("partition 3"), kafka.unfinishedRollout());

    UpgradePlan plan = Planner.plan(request, gke.describeCluster(request.clusterRef()), inventory);

    List<Blocker> blockers = plan.blockers();
    assertTrue(blockers.stream().anyMatch(b -> b.code().equals("STATEFULSET_ROLLOUT_UNFINISHED")
        && b.subject().equals(KAFKA.toString())), blockers.toString());

    // Why: a pod move switches the StatefulSet to OnDelete (so that the controller rolls nothing by
    // itself) and deletes the pod; the real controller then recreates it at the update revision.
    StatefulSet s = client.apps().statefulSets().inNamespace("kafka").withName("kafka").get();
    String current = s.getStatus().getCurrentRevision();
    String update = s.getStatus().getUpdateRevision();
    assertEquals(current, revisionOf("kafka-2"));
    client.apps().statefulSets().inNamespace("kafka").withName("kafka").edit(x -> {
      x.getSpec().setUpdateStrategy(new io.fabric8.kubernetes.api.model.apps.StatefulSetUpdateStrategy(null,
          "OnDelete"));
      return x;
    });
    String uid = client.pods().inNamespace("kafka").withName("kafka-2").get().getMetadata().getUid();
    client.pods().inNamespace("kafka").withName("kafka-2").withGracePeriod(0).delete();
    EvacuatePoolTest.await("kafka-2 recreated", Duration.ofSeconds(30), () -> {
      var pod = client.pods().inNamespace("kafka").withName("kafka-2").get();
      return pod != null && !pod.getMetadata().getUid().equals(uid);
    });
    assertEquals(update, revisionOf("kafka-2"), "the staged update reached kafka-2 without any gate");
    assertNotEquals(current, update);
  }

  static String revisionOf(String pod) {
    return client.pods().inNamespace("kafka").withName(pod).get().getMetadata().getLabels()
        .get("controller-revision-hash");
  }
}
