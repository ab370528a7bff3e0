package dev.evolve.activities.gke;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertInstanceOf;
import static org.junit.jupiter.api.Assertions.assertThrows;
import static org.junit.jupiter.api.Assertions.assertTrue;

import com.google.cloud.container.v1.ClusterManagerClient;
import com.google.container.v1.BlueGreenSettings;
import com.google.container.v1.GetNodePoolRequest;
import com.google.container.v1.MaxPodsConstraint;
import com.google.container.v1.NodeConfig;
import com.google.container.v1.NodeManagement;
import com.google.container.v1.NodeNetworkConfig;
import com.google.container.v1.NodePool;
import com.google.container.v1.NodePoolAutoscaling;
import com.google.container.v1.NodePoolUpdateStrategy;
import com.google.container.v1.NodeTaint;
import com.google.container.v1.Operation;
import com.google.container.v1.SetNodePoolSizeRequest;
import com.google.protobuf.Duration;
import dev.evolve.fakegke.FakeGke;
import dev.evolve.workflows.activities.FailureTypes;
import dev.evolve.workflows.activities.GkeActivities;
import dev.evolve.workflows.model.ClusterRef;
import dev.evolve.workflows.model.PoolAutoscaling;
import dev.evolve.workflows.model.PoolState;
import dev.evolve.workflows.model.TempPoolSpec;
import io.fabric8.kubernetes.api.model.Node;
import io.fabric8.kubernetes.client.KubernetesClient;
import io.fabric8.kubernetes.client.server.mock.EnableKubernetesMockClient;
import io.grpc.Status;
import io.temporal.activity.ActivityOptions;
import io.temporal.common.RetryOptions;
import io.temporal.failure.ActivityFailure;
import io.temporal.failure.ApplicationFailure;
import io.temporal.testing.TestActivityEnvironment;
import java.util.List;
import java.util.concurrent.atomic.AtomicInteger;
import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.Test;

/**
 * The GKE activities read and change pools the way GKE means its fields: current sizes, upgrade
 * settings, autoscaling, the node pool's scheduling-relevant settings, and its errors. Each test
 * seeds the fake with the pool it needs, then talks to it over gRPC with the real client.
 */
@EnableKubernetesMockClient(crud = true)
class GkeSemanticsTest {

  static final String CP = "1.33.5-gke.1201000";
  static final String OLD = "1.32.9-gke.1100000";
  static final List<String> ZONES = List.of("europe-west1-b", "europe-west1-c", "europe-west1-d");
  static final ClusterRef CLUSTER = new ClusterRef("demo-project", "europe-west1", "prod");

  KubernetesClient kube;
  FakeGke fake;
  ClusterManagerClient client;
  TestActivityEnvironment env;

  static NodePool.Builder pool(String name) {
    return NodePool.newBuilder().setName(name).setVersion(OLD).setInitialNodeCount(1)
        .setConfig(NodeConfig.newBuilder().setMachineType("e2-standard-4").setImageType("COS_CONTAINERD")
            .setDiskSizeGb(100))
        .setManagement(NodeManagement.newBuilder().setAutoRepair(true).setAutoUpgrade(true));
  }

  /** Starts the fake with these pools; activities retry as the retry options say. */
  GkeActivities start(RetryOptions retry, NodePool... pools) throws Exception {
    FakeGke.Builder builder = FakeGke.builder().cluster("demo-project", "europe-west1", "prod", ZONES)
        .versions(CP, List.of(OLD, CP)).kubernetes(kube);
    for (NodePool p : pools) {
      builder.pool(p);
    }
    fake = builder.build().start();
    client = GkeClients.create(fake.endpoint());
    env = TestActivityEnvironment.newInstance();
    env.registerActivitiesImplementations(new GkeActivitiesImpl(client, java.time.Duration.ofMillis(20),
        new KubernetesPoolNodes(kube)));
    return env.newActivityStub(GkeActivities.class, ActivityOptions.newBuilder()
        .setStartToCloseTimeout(java.time.Duration.ofMinutes(1)).setRetryOptions(retry).build());
  }

  GkeActivities start(NodePool... pools) throws Exception {
    return start(RetryOptions.newBuilder().setMaximumAttempts(1).build(), pools);
  }

  @AfterEach
  void stop() {
    if (env != null) {
      env.close();
      client.close();
      fake.close();
    }
  }

  static TempPoolSpec temp(int perZone, List<String> zones) {
    return new TempPoolSpec("default-pool-temp", "default-pool", "e2-standard-4", perZone, zones, CP);
  }

  List<Node> nodesOf(String pool) {
    return kube.nodes().withLabel("cloud.google.com/gke-nodepool", pool).list().getItems();
  }

  static ApplicationFailure failureOf(Runnable call) {
    ActivityFailure failure = assertThrows(ActivityFailure.class, call::run);
    return assertInstanceOf(ApplicationFailure.class, failure.getCause());
  }

  // ---- 7: the empty pool is upgraded all at once, its own settings put back ----

  @Test
  void theEmptiedPoolIsUpgradedAllAtOnceAndItsOwnUpgradeSettingsArePutBackExactly() throws Exception {
    NodePool.UpgradeSettings blueGreen = NodePool.UpgradeSettings.newBuilder()
        .setStrategy(NodePoolUpdateStrategy.BLUE_GREEN)
        .setBlueGreenSettings(BlueGreenSettings.newBuilder()
            .setNodePoolSoakDuration(Duration.newBuilder().setSeconds(3600))
            .setStandardRolloutPolicy(BlueGreenSettings.StandardRolloutPolicy.newBuilder().setBatchNodeCount(1)
                .setBatchSoakDuration(Duration.newBuilder().setSeconds(600))))
        .build();
    GkeActivities gke = start(pool("default-pool").setUpgradeSettings(blueGreen).build());

    PoolState upgraded = gke.upgradePool(CLUSTER, "default-pool", CP);

    assertEquals(CP, upgraded.version());
    NodePool.UpgradeSettings allAtOnce = NodePool.UpgradeSettings.newBuilder()
        .setStrategy(NodePoolUpdateStrategy.SURGE).setMaxSurge(0).setMaxUnavailable(3).build();
    assertEquals(List.of(allAtOnce), fake.upgradesOf("default-pool"), "the upgrade ran with the pool's own settings");
    assertEquals(blueGreen, fake.upgradeSettings("default-pool").orElseThrow());
    assertEquals(3, nodesOf("default-pool").size());
    assertTrue(nodesOf("default-pool").stream()
        .allMatch(n -> n.getStatus().getNodeInfo().getKubeletVersion().equals("v" + CP)));
  }

  @Test
  void aFailedUpgradeStillPutsThePoolsOwnUpgradeSettingsBack() throws Exception {
    NodePool.UpgradeSettings surgeTwo = NodePool.UpgradeSettings.newBuilder()
        .setStrategy(NodePoolUpdateStrategy.SURGE).setMaxSurge(2).setMaxUnavailable(0).build();
    GkeActivities gke = start(pool("default-pool").setUpgradeSettings(surgeTwo).build());
    fake.faults().failNext(Operation.Type.UPGRADE_NODES, "Node pool upgrade failed: instance group not stable");

    ApplicationFailure failure = failureOf(() -> gke.upgradePool(CLUSTER, "default-pool", CP));

    assertEquals(FailureTypes.OPERATION_FAILED, failure.getType());
    assertEquals(surgeTwo, fake.upgradeSettings("default-pool").orElseThrow());
  }

  // ---- 8: sizes, clusters and versions as GKE means them ----

  @Test
  void aPoolsSizeIsWhatItsInstanceGroupsHoldNotItsInitialNodeCount() throws Exception {
    GkeActivities gke = start(pool("default-pool").build());

    PoolState resized = gke.resizePool(CLUSTER, "default-pool", 2);

    assertEquals(2, resized.nodeCountPerZone());
    assertEquals(2, gke.describeCluster(CLUSTER).pool("default-pool").orElseThrow().nodeCountPerZone());
    assertEquals(1, client.getNodePool(GetNodePoolRequest.newBuilder()
        .setName(CLUSTER.poolResourceName("default-pool")).build()).getInitialNodeCount(), "GKE keeps it");
  }

  @Test
  void anAdoptedPoolResizedSinceItsCreationIsSizedToTheSpec() throws Exception {
    GkeActivities gke = start(pool("default-pool").build());
    gke.createTempPool(CLUSTER, temp(1, ZONES));
    gke.resizePool(CLUSTER, "default-pool-temp", 2);

    PoolState adopted = gke.createTempPool(CLUSTER, temp(1, ZONES));

    assertEquals(1, adopted.nodeCountPerZone());
    assertEquals(3, nodesOf("default-pool-temp").size());
  }

  @Test
  void adoptingAPoolWaitsForItsRunningResizeAndThenStillSizesItToTheSpec() throws Exception {
    GkeActivities gke = start(pool("default-pool").build());
    gke.createTempPool(CLUSTER, temp(1, ZONES));
    fake.faults().stickNext(Operation.Type.SET_NODE_POOL_SIZE);
    client.setNodePoolSize(SetNodePoolSizeRequest.newBuilder()
        .setName(CLUSTER.poolResourceName("default-pool-temp")).setNodeCount(2).build());
    new Thread(() -> {
      GkeActivitiesTest.sleep(300);
      fake.faults().release();
    }).start();

    // the wait heartbeats the resize's name; the resize that follows is another operation
    PoolState adopted = gke.createTempPool(CLUSTER, temp(1, ZONES));

    assertEquals(1, adopted.nodeCountPerZone());
    assertEquals(3, nodesOf("default-pool-temp").size());
    assertEquals(2, fake.operationCount(Operation.Type.SET_NODE_POOL_SIZE, "default-pool-temp"));
  }

  @Test
  void operationsOfAnotherClusterWhoseNameStartsTheSameAreNotInFlightHere() throws Exception {
    GkeActivities gke = start(pool("default-pool").build());
    fake.foreignOperation("prod-eu", Operation.Type.UPGRADE_NODES, "default-pool");

    assertEquals(List.of(), gke.describeCluster(CLUSTER).operationsInFlight());
  }

  @Test
  void aPoolAlreadyAtTheTargetAfterWaitingForAnOperationIsNotUpgradedAgain() throws Exception {
    GkeActivities gke = start(pool("default-pool").build());
    gke.upgradePool(CLUSTER, "default-pool", CP);
    fake.faults().stickNext(Operation.Type.SET_NODE_POOL_SIZE);
    client.setNodePoolSize(SetNodePoolSizeRequest.newBuilder()
        .setName(CLUSTER.poolResourceName("default-pool")).setNodeCount(1).build());
    new Thread(() -> {
      GkeActivitiesTest.sleep(200);
      fake.faults().release();
    }).start();

    PoolState again = gke.upgradePool(CLUSTER, "default-pool", CP);

    assertEquals(CP, again.version());
    assertEquals(1, fake.operationCount(Operation.Type.UPGRADE_NODES, "default-pool"), "upgraded twice");
  }

  // ---- 9: autoscaling ----

  @Test
  void autoscalingIsHeldForTheCycleSoTheAutoscalerCannotEmptyThePoolAndIsPutBackExactly() throws Exception {
    NodePoolAutoscaling autoscaling = NodePoolAutoscaling.newBuilder().setEnabled(true).setMinNodeCount(0)
        .setMaxNodeCount(5).setLocationPolicy(NodePoolAutoscaling.LocationPolicy.BALANCED).build();
    GkeActivities gke = start(pool("default-pool").setAutoscaling(autoscaling).build());

    PoolAutoscaling held = gke.holdPoolSize(CLUSTER, "default-pool");
    fake.autoscalerRemovesUnneededNodes("default-pool");

    assertTrue(held.enabled());
    assertEquals(3, nodesOf("default-pool").size(), "the autoscaler shrank a pool it should not manage now");
    assertFalse(gke.describeCluster(CLUSTER).pool("default-pool").orElseThrow().autoscaling());
    gke.restoreAutoscaling(CLUSTER, "default-pool", held);
    assertEquals(autoscaling, fake.autoscaling("default-pool").orElseThrow());
  }

  @Test
  void theTempPoolOfAnAutoscaledPoolIsCreatedWithoutAutoscaling() throws Exception {
    GkeActivities gke = start(pool("default-pool").setAutoscaling(NodePoolAutoscaling.newBuilder()
        .setEnabled(true).setMinNodeCount(0).setMaxNodeCount(5)).build());

    gke.createTempPool(CLUSTER, temp(1, ZONES));
    fake.autoscalerRemovesUnneededNodes("default-pool-temp");

    assertFalse(fake.autoscaling("default-pool-temp").orElseThrow().getEnabled());
    assertEquals(3, nodesOf("default-pool-temp").size());
  }

  // ---- 10: the temporary pool is a twin for scheduling ----

  @Test
  void theTempPoolIsATwinOfTheOriginalForScheduling() throws Exception {
    List<String> twoZones = ZONES.subList(0, 2);
    NodeConfig config = NodeConfig.newBuilder().setMachineType("e2-standard-4").setImageType("UBUNTU_CONTAINERD")
        .setDiskSizeGb(200).setDiskType("pd-ssd").setServiceAccount("nodes@demo-project.iam.gserviceaccount.com")
        .addOauthScopes("https://www.googleapis.com/auth/cloud-platform").setSpot(true)
        .putLabels("team", "payments")
        .addTaints(NodeTaint.newBuilder().setKey("dedicated").setValue("payments").setEffect(NodeTaint.Effect.NO_SCHEDULE))
        .build();
    GkeActivities gke = start(pool("default-pool").setConfig(config).addAllLocations(twoZones)
        .setMaxPodsConstraint(MaxPodsConstraint.newBuilder().setMaxPodsPerNode(32))
        .setNetworkConfig(NodeNetworkConfig.newBuilder().setPodRange("pods-payments").setEnablePrivateNodes(true))
        .setPlacementPolicy(NodePool.PlacementPolicy.newBuilder().setType(NodePool.PlacementPolicy.Type.COMPACT))
        .build());

    gke.createTempPool(CLUSTER, temp(1, twoZones));

    NodePool twin = client.getNodePool(GetNodePoolRequest.newBuilder()
        .setName(CLUSTER.poolResourceName("default-pool-temp")).build());
    assertEquals(config.toBuilder().putLabels(GkeActivitiesImpl.TEMP_POOL_LABEL, "default-pool").build(),
        twin.getConfig());
    assertEquals(twoZones, twin.getLocationsList());
    assertEquals(32, twin.getMaxPodsConstraint().getMaxPodsPerNode());
    assertEquals("pods-payments", twin.getNetworkConfig().getPodRange());
    assertTrue(twin.getNetworkConfig().getEnablePrivateNodes());
    assertEquals(NodePool.PlacementPolicy.Type.COMPACT, twin.getPlacementPolicy().getType());
    List<Node> nodes = nodesOf("default-pool-temp");
    assertEquals(2, nodes.size());
    assertTrue(nodes.stream().allMatch(n -> "32".equals(n.getStatus().getAllocatable().get("pods").toString())
        && "payments".equals(n.getMetadata().getLabels().get("team"))
        && n.getSpec().getTaints().stream().anyMatch(t -> t.getKey().equals("dedicated"))));
  }

  // ---- 11: errors as GKE means them ----

  @Test
  void permissionDeniedIsNotRetriedAndNamesTheIamPermission() throws Exception {
    GkeActivities gke = start(RetryOptions.newBuilder().setMaximumAttempts(3)
        .setInitialInterval(java.time.Duration.ofMillis(50)).build(), pool("default-pool").build());
    fake.faults().rejectNext("CreateNodePool", Status.PERMISSION_DENIED
        .withDescription("The caller does not have permission"));

    ApplicationFailure failure = failureOf(() -> gke.createTempPool(CLUSTER, temp(1, ZONES)));

    assertEquals(FailureTypes.PERMISSION_DENIED, failure.getType());
    assertTrue(failure.isNonRetryable());
    assertTrue(failure.getOriginalMessage().contains("container.clusters.update"), failure.getOriginalMessage());
    assertEquals(0, fake.operationCount(Operation.Type.CREATE_NODE_POOL, "default-pool-temp"));
  }

  @Test
  void aRateLimitIsRetriedWithBackoffWhileQuotaIsNot() throws Exception {
    GkeActivities gke = start(pool("default-pool").build());
    fake.faults().rejectNext("CreateNodePool", Status.RESOURCE_EXHAUSTED.withDescription("Quota exceeded for quota "
        + "metric 'Mutate requests' and limit 'Mutate requests per minute' of service 'container.googleapis.com' "
        + "for consumer 'project_number:123456789'."));

    // the test environment does not retry: the failure must let the workflow's retry policy do it
    ApplicationFailure limited = failureOf(() -> gke.createTempPool(CLUSTER, temp(1, ZONES)));
    assertEquals(FailureTypes.RATE_LIMITED, limited.getType());
    assertFalse(limited.isNonRetryable());
    assertEquals("RUNNING", gke.createTempPool(CLUSTER, temp(1, ZONES)).status(), "the retry");

    gke.deletePool(CLUSTER, "default-pool-temp");
    fake.faults().quotaExceededOnNext("CreateNodePool");
    ApplicationFailure quota = failureOf(() -> gke.createTempPool(CLUSTER, temp(1, ZONES)));
    assertEquals(FailureTypes.QUOTA_EXCEEDED, quota.getType());
    assertTrue(quota.isNonRetryable());
  }

  /**
   * A pool Google's Terraform provider created carries the resource label goog-terraform-provisioned:
   * the activities report it, and the temporary pool, copied from it, does not inherit it.
   */
  @Test
  void aPoolFromTerraformIsReportedSoAndItsTempPoolIsNot() throws Exception {
    NodePool fromTerraform = pool("default-pool").setConfig(pool("default-pool").getConfig().toBuilder()
        .putResourceLabels(PoolState.TERRAFORM_LABEL, "true").putResourceLabels("team", "platform")).build();
    GkeActivities gke = start(fromTerraform);
    assertTrue(gke.describeCluster(CLUSTER).pool("default-pool").orElseThrow().provisionedByTerraform());

    PoolState temp = gke.createTempPool(CLUSTER, temp(1, ZONES));

    assertFalse(temp.provisionedByTerraform());
    NodePool created = client.getNodePool("projects/demo-project/locations/europe-west1/clusters/prod/nodePools/"
        + "default-pool-temp");
    assertFalse(created.getConfig().getResourceLabelsMap().containsKey(PoolState.TERRAFORM_LABEL));
    // the pool's other resource labels are the original's, as every other setting is
    assertEquals("platform", created.getConfig().getResourceLabelsMap().get("team"));
  }
}
