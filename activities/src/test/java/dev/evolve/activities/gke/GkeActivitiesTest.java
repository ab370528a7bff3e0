package dev.evolve.activities.gke;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertInstanceOf;
import static org.junit.jupiter.api.Assertions.assertThrows;
import static org.junit.jupiter.api.Assertions.assertTrue;

import com.google.cloud.container.v1.ClusterManagerClient;
import com.google.container.v1.Operation;
import com.google.container.v1.UpdateNodePoolRequest;
import dev.evolve.fakegke.FakeGke;
import dev.evolve.workflows.activities.FailureTypes;
import dev.evolve.workflows.activities.GkeActivities;
import dev.evolve.workflows.model.ClusterRef;
import dev.evolve.workflows.model.ClusterState;
import dev.evolve.workflows.model.PoolState;
import dev.evolve.workflows.model.TempPoolSpec;
import io.fabric8.kubernetes.api.model.Node;
import io.fabric8.kubernetes.client.KubernetesClient;
import io.fabric8.kubernetes.client.server.mock.EnableKubernetesMockClient;
import io.temporal.activity.ActivityOptions;
import io.temporal.common.RetryOptions;
import io.temporal.failure.ActivityFailure;
import io.temporal.failure.ApplicationFailure;
import io.temporal.testing.TestActivityEnvironment;
import java.time.Duration;
import java.util.List;
import java.util.Map;
import java.util.Set;
import java.util.concurrent.ConcurrentHashMap;
import java.util.concurrent.atomic.AtomicBoolean;
import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.BeforeEach;
import org.junit.jupiter.api.Test;

/** The GKE activities against the fake GKE, over a real gRPC channel, with nodes in a mock API server. */
@EnableKubernetesMockClient(crud = true)
class GkeActivitiesTest {

  static final String CP = "1.33.5-gke.1201000";
  static final String OLD = "1.32.9-gke.1100000";
  static final List<String> ZONES = List.of("europe-west1-b", "europe-west1-c", "europe-west1-d");
  static final ClusterRef CLUSTER = new ClusterRef("demo-project", "europe-west1", "prod");

  KubernetesClient kube;
  FakeGke fake;
  ClusterManagerClient client;
  TestActivityEnvironment env;
  GkeActivities gke;

  @BeforeEach
  void start() throws Exception {
    fake = FakeGke.builder().cluster("demo-project", "europe-west1", "prod", ZONES)
        .versions(CP, List.of(OLD, CP, "1.34.1-gke.1000000", "1.30.4-gke.1000"))
        .pool("default-pool", OLD, "e2-standard-4", 1)
        .kubernetes(kube).build().start();
    client = GkeClients.create(fake.endpoint());
    env = TestActivityEnvironment.newInstance();
    env.registerActivitiesImplementations(new GkeActivitiesImpl(client, Duration.ofMillis(20), new KubernetesPoolNodes(kube)));
    gke = env.newActivityStub(GkeActivities.class, ActivityOptions.newBuilder()
        .setStartToCloseTimeout(Duration.ofMinutes(1))
        .setRetryOptions(RetryOptions.newBuilder().setMaximumAttempts(1).build())
        .build());
  }

  @AfterEach
  void stop() {
    env.close();
    client.close();
    fake.close();
  }

  static TempPoolSpec temp(String machineType, int perZone) {
    return new TempPoolSpec("default-pool-temp", "default-pool", machineType, perZone, ZONES, CP);
  }

  List<Node> nodesOf(String pool) {
    return kube.nodes().withLabel("cloud.google.com/gke-nodepool", pool).list().getItems();
  }

  static ApplicationFailure failureOf(Runnable call) {
    ActivityFailure failure = assertThrows(ActivityFailure.class, call::run);
    return assertInstanceOf(ApplicationFailure.class, failure.getCause());
  }

  @Test
  void describesTheClusterWithVersionsAndPools() {
    ClusterState state = gke.describeCluster(CLUSTER);

    assertEquals(CP, state.controlPlaneVersion());
    assertEquals("RUNNING", state.status());
    PoolState pool = state.pool("default-pool").orElseThrow();
    assertEquals(OLD, pool.version());
    assertEquals(ZONES, pool.locations());
    assertTrue(state.validNodeVersions().contains(CP));
    assertEquals(List.of(), state.operationsInFlight());
  }

  @Test
  void createsTheTempPoolWithTheOriginalsConfigAndItsNodes() {
    PoolState created = gke.createTempPool(CLUSTER, temp("e2-standard-4", 1));

    assertEquals("RUNNING", created.status());
    assertEquals(CP, created.version());
    assertEquals(3, nodesOf("default-pool-temp").size());
    assertTrue(nodesOf("default-pool-temp").stream()
        .allMatch(n -> n.getStatus().getNodeInfo().getKubeletVersion().equals("v" + CP)));
  }

  @Test
  void anIdenticalExistingPoolIsAdoptedNotCreatedTwice() {
    gke.createTempPool(CLUSTER, temp("e2-standard-4", 1));

    PoolState adopted = gke.createTempPool(CLUSTER, temp("e2-standard-4", 1));

    assertEquals("RUNNING", adopted.status());
    assertEquals(1, fake.operationCount(Operation.Type.CREATE_NODE_POOL, "default-pool-temp"));
    assertEquals(Map.of("CREATE_NODE_POOL default-pool-temp", 1L), fake.operationCounts());
    assertEquals(3, nodesOf("default-pool-temp").size());
  }

  @Test
  void anExistingPoolWithAnotherSpecIsAClearNonRetryableError() {
    gke.createTempPool(CLUSTER, temp("e2-standard-4", 1));

    ApplicationFailure failure = failureOf(() -> gke.createTempPool(CLUSTER, temp("n2-standard-8", 1)));

    assertEquals(FailureTypes.POOL_SPEC_MISMATCH, failure.getType());
    assertTrue(failure.isNonRetryable());
    assertTrue(failure.getOriginalMessage().contains("tempPool.name"), failure.getOriginalMessage());
  }

  @Test
  void gkesDefaultSurgeUpgradeReplacesNodesOneByOne() throws Exception {
    Set<String> versionsSeenTogether = ConcurrentHashMap.newKeySet();
    AtomicBoolean watching = new AtomicBoolean(true);
    Thread watcher = new Thread(() -> {
      while (watching.get()) {
        List<String> versions = nodesOf("default-pool").stream()
            .map(n -> n.getStatus().getNodeInfo().getKubeletVersion()).distinct().sorted().toList();
        if (versions.size() > 1) {
          versionsSeenTogether.add(String.join(",", versions));
        }
      }
    });
    watcher.start();
    List<String> before = nodesOf("default-pool").stream().map(n -> n.getMetadata().getName()).toList();

    // straight through the API: the activity upgrades an emptied pool all at once instead
    client.updateNodePool(UpdateNodePoolRequest.newBuilder().setName(CLUSTER.poolResourceName("default-pool"))
        .setNodeVersion(CP).setImageType("COS_CONTAINERD").build());
    while (!fake.idle()) {
      sleep(10);
    }

    watching.set(false);
    watcher.join();
    assertEquals(CP, fake.poolVersion("default-pool").orElseThrow());
    List<Node> after = nodesOf("default-pool");
    assertEquals(3, after.size());
    assertTrue(after.stream().noneMatch(n -> before.contains(n.getMetadata().getName())), "nodes were not replaced");
    assertTrue(after.stream().allMatch(n -> n.getStatus().getNodeInfo().getKubeletVersion().equals("v" + CP)));
    assertFalse(versionsSeenTogether.isEmpty(), "old and new nodes were never seen side by side");
  }

  @Test
  void aBusyClusterIsARetryableFailureThatSucceedsOnceTheOtherOperationEnds() {
    // on another pool: an operation on the pool itself is waited for, not failed on
    gke.createTempPool(CLUSTER, temp("e2-standard-4", 1));
    fake.faults().stickNext(Operation.Type.SET_NODE_POOL_SIZE);
    client.setNodePoolSize(com.google.container.v1.SetNodePoolSizeRequest.newBuilder()
        .setName(CLUSTER.poolResourceName("default-pool-temp")).setNodeCount(1).build());

    ApplicationFailure busy = failureOf(() -> gke.upgradePool(CLUSTER, "default-pool", CP));

    assertFalse(busy.isNonRetryable());
    assertTrue(busy.getOriginalMessage().contains("Please wait and try again once it is done"),
        busy.getOriginalMessage());
    fake.faults().release();
    while (!fake.idle()) {
      sleep(10);
    }
    assertEquals(CP, gke.upgradePool(CLUSTER, "default-pool", CP).version());
  }

  @Test
  void aNodeVersionAboveTheControlPlaneIsRejectedForGood() {
    ApplicationFailure failure = failureOf(() -> gke.upgradePool(CLUSTER, "default-pool", "1.34.1-gke.1000000"));

    assertEquals(FailureTypes.VERSION_SKEW, failure.getType());
    assertTrue(failure.isNonRetryable());
    assertTrue(failure.getOriginalMessage().contains("cannot be greater than current master version"));
  }

  @Test
  void aFailedOperationIsReportedWithGkesMessage() {
    fake.faults().failNext(Operation.Type.UPGRADE_NODES, "Node pool upgrade failed: instance group not stable");

    ApplicationFailure failure = failureOf(() -> gke.upgradePool(CLUSTER, "default-pool", CP));

    assertEquals(FailureTypes.OPERATION_FAILED, failure.getType());
    assertTrue(failure.getOriginalMessage().contains("instance group not stable"));
  }

  @Test
  void quotaIsReportedAsQuota() {
    fake.faults().quotaExceededOnNext("CreateNodePool");

    ApplicationFailure failure = failureOf(() -> gke.createTempPool(CLUSTER, temp("e2-standard-4", 1)));

    assertEquals(FailureTypes.QUOTA_EXCEEDED, failure.getType());
    assertTrue(failure.getOriginalMessage().contains("quota"), failure.getOriginalMessage());
  }

  @Test
  void aRetriedAttemptWaitsForTheOperationItsPredecessorStarted() {
    fake.faults().stickNext(Operation.Type.UPGRADE_NODES);
    Operation started = client.updateNodePool(UpdateNodePoolRequest.newBuilder()
        .setName(CLUSTER.poolResourceName("default-pool")).setNodeVersion(CP).setImageType("COS_CONTAINERD").build());
    env.setHeartbeatDetails(new OperationHeartbeat(started.getName(), "RUNNING"));
    new Thread(() -> {
      sleep(300);
      fake.faults().release();
    }).start();

    PoolState upgraded = gke.upgradePool(CLUSTER, "default-pool", CP);

    assertEquals(CP, upgraded.version());
    assertEquals(1, fake.operationCount(Operation.Type.UPGRADE_NODES, "default-pool"), "a second upgrade was started");
  }

  @Test
  void deletingAMissingPoolSucceedsAndDeletingARealOneRemovesItsNodes() {
    gke.deletePool(CLUSTER, "no-such-pool");
    gke.createTempPool(CLUSTER, temp("e2-standard-4", 1));

    gke.deletePool(CLUSTER, "default-pool-temp");

    assertFalse(fake.poolNames().contains("default-pool-temp"));
    assertEquals(List.of(), nodesOf("default-pool-temp"));
  }

  static void sleep(long millis) {
    try {
      Thread.sleep(millis);
    } catch (InterruptedException e) {
      Thread.currentThread().interrupt();
    }
  }
}
