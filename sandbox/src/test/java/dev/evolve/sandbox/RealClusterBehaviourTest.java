package dev.evolve.sandbox;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertNotNull;
import static org.junit.jupiter.api.Assertions.assertNull;
import static org.junit.jupiter.api.Assertions.assertTrue;

import dev.evolve.sandbox.Scenario.Budget;
import dev.evolve.sandbox.Scenario.WorkloadSpec;
import dev.evolve.sandbox.observe.Objects;
import io.fabric8.kubernetes.api.model.Pod;
import io.fabric8.kubernetes.api.model.PodCondition;
import io.fabric8.kubernetes.api.model.policy.v1.PodDisruptionBudgetStatus;
import io.fabric8.kubernetes.client.KubernetesClient;
import io.fabric8.kubernetes.client.http.HttpClient;
import io.fabric8.kubernetes.client.http.HttpRequest;
import io.fabric8.kubernetes.client.http.HttpResponse;
import java.time.Duration;
import java.util.List;
import java.util.Map;
import java.util.concurrent.TimeUnit;
import org.junit.jupiter.api.AfterAll;
import org.junit.jupiter.api.BeforeAll;
import org.junit.jupiter.api.Test;

/**
 * What the product meets now that the sandbox is a real control plane, each asserted on the real
 * API server: budgets enforced by the Eviction API, graceful termination, zonal volume stickiness
 * and nodes that vanish under their pods. The simulation got each of these wrong or left it out.
 * Every test has workloads of its own, so they share one sandbox.
 */
class RealClusterBehaviourTest {

  static final String ZONE_B = "europe-west1-b";
  static final String ZONE_C = "europe-west1-c";
  static final String VERSION = "1.33.5-gke.1201000";
  /** A pool the fake GKE does not know: the node-loss test makes its only node itself. */
  static final String DOOMED_POOL = "doomed-pool";

  /** Scenario seconds per wall-clock second in Sandbox.Settings.fast(). */
  static final double SPEED = 20;

  static Sandbox sandbox;
  static KubernetesClient client;

  static WorkloadSpec deployment(String name, int replicas, double startupSeconds, double graceSeconds,
      Map<String, String> nodeSelector, Budget pdb) {
    return new WorkloadSpec("Deployment", "shop", name, replicas, "100m", "64Mi", startupSeconds, null, "1", "0",
        null, null, null, null, nodeSelector, pdb, graceSeconds);
  }

  /** Two zones of one node each, and one workload per test. */
  static Scenario scenario() {
    return new Scenario(
        new Scenario.Cluster("p", "europe-west1", "c", VERSION, List.of(ZONE_B, ZONE_C), List.of(VERSION)),
        List.of(new Scenario.Pool("default-pool", VERSION, "e2-standard-4", 1)),
        List.of(
            // a replacement takes 2 s to be Ready: long enough to be refused in between
            deployment("web", 2, 40.0, 2.0, null, new Budget("1", null)),
            // stops in 3 s, as a process that drains its connections would
            deployment("slow-stop", 1, 2.0, 60.0, null, null),
            deployment("doomed", 1, 2.0, 2.0, Map.of(Objects.POOL_LABEL, DOOMED_POOL), null),
            new WorkloadSpec("StatefulSet", "data", "db", 1, "100m", "64Mi", 2.0, null, null, null, null,
                List.of(ZONE_B), "10Gi", null, null, null, 2.0)),
        7L);
  }

  @BeforeAll
  static void start() {
    sandbox = Sandbox.start(scenario(), Sandbox.Settings.fast().withSpeed(SPEED));
    client = sandbox.cluster().client();
    // web 2, slow-stop 1, db 1; doomed waits for its node
    Await.until("every pod with a node Ready", Duration.ofSeconds(60),
        () -> client.pods().inAnyNamespace().list().getItems().stream().filter(Objects::isReady).count() == 4,
        RealClusterBehaviourTest::pods);
  }

  @AfterAll
  static void stop() {
    if (sandbox != null) {
      sandbox.close();
    }
  }

  @Test
  void theEvictionApiAllowsWhatTheBudgetAllowsAndRefusesTheRestWith429() throws Exception {
    awaitBudgetAllows("web", 1);
    List<String> web = podNames("shop", "web");
    assertEquals(2, web.size(), pods());

    HttpResponse<String> first = evict("shop", web.get(0));
    assertEquals(201, first.code(), first.body());
    // The API server took the disruption off the budget in the same request: the other pod is
    // refused at once, while the first one's replacement is still starting.
    HttpResponse<String> second = evict("shop", web.get(1));
    assertEquals(429, second.code(), second.body());
    assertTrue(second.body().contains("The disruption budget web needs 1 healthy pods"), second.body());
    // fabric8's evict(), which the activities call, reads that answer as false
    assertFalse(client.pods().inNamespace("shop").withName(web.get(1)).evict());

    // Once the replacement is Ready the budget allows one again, and the same eviction goes through.
    awaitBudgetAllows("web", 1);
    assertEquals(201, evict("shop", web.get(1)).code());
    // The observer agrees with the API server: the budget never broke.
    assertTrue(sandbox.cluster().disruptions().stream().noneMatch(d -> d.budget().equals("shop/web")),
        sandbox.cluster().disruptions().toString());
  }

  @Test
  void aDeletedPodLingersWithADeletionTimestampForItsGracePeriod() {
    Pod pod = client.pods().inNamespace("shop").withLabel("app", "slow-stop").list().getItems().get(0);
    String name = pod.getMetadata().getName();
    long grace = pod.getSpec().getTerminationGracePeriodSeconds();
    assertEquals(3, grace, "60 scenario seconds at speed 20");

    long deletedAt = System.currentTimeMillis();
    client.pods().inNamespace("shop").withName(name).delete();
    Pod stopping = client.pods().inNamespace("shop").withName(name).get();
    assertNotNull(stopping, "the pod is still there after its deletion");
    assertNotNull(stopping.getMetadata().getDeletionTimestamp());
    assertEquals(grace, stopping.getMetadata().getDeletionGracePeriodSeconds());
    assertFalse(Objects.isActive(stopping));

    sleep(Duration.ofMillis(1500));
    assertNotNull(client.pods().inNamespace("shop").withName(name).get(), "still stopping half-way through");
    // The ReplicaSet does not wait for it: a replacement runs beside the pod that is stopping.
    Await.until("a replacement Ready", Duration.ofSeconds(10), () -> client.pods().inNamespace("shop")
        .withLabel("app", "slow-stop").list().getItems().stream()
        .anyMatch(p -> !p.getMetadata().getName().equals(name) && Objects.isReady(p)), RealClusterBehaviourTest::pods);

    Await.until(name + " gone", Duration.ofSeconds(15),
        () -> client.pods().inNamespace("shop").withName(name).get() == null);
    // kwok removes it at its deletionTimestamp, which the API keeps to the second
    long lingered = System.currentTimeMillis() - deletedAt;
    assertTrue(lingered >= (grace - 1) * 1000, "gone after " + lingered + " ms");
  }

  @Test
  void aStatefulSetPodWhoseVolumeZoneHasOnlyCordonedNodesStaysPending() {
    Pod db = client.pods().inNamespace("data").withName("db-0").get();
    String node = db.getSpec().getNodeName();
    assertEquals(ZONE_B, Objects.label(client.nodes().withName(node).get(), Objects.ZONE_LABEL));

    setUnschedulable(node, true);
    try {
      client.pods().inNamespace("data").withName("db-0").delete();
      // The StatefulSet controller recreates db-0 once the old one is gone; its claim stays bound
      // to the zone-b volume, and the zone-c node, empty and schedulable, does not fit it.
      Await.until("db-0 recreated and found unschedulable", Duration.ofSeconds(20), () -> {
        Pod p = client.pods().inNamespace("data").withName("db-0").get();
        PodCondition scheduled = p == null ? null : Objects.condition(p, "PodScheduled");
        // between the old pod's removal and its successor's creation there is no db-0 at all
        return p != null && !p.getMetadata().getUid().equals(db.getMetadata().getUid()) && scheduled != null
            && "False".equals(scheduled.getStatus());
      }, RealClusterBehaviourTest::pods);
      Pod pending = client.pods().inNamespace("data").withName("db-0").get();
      PodCondition scheduled = Objects.condition(pending, "PodScheduled");
      assertEquals("Unschedulable", scheduled.getReason());
      assertTrue(scheduled.getMessage().contains("0/2 nodes are available"), scheduled.getMessage());
      assertTrue(scheduled.getMessage().contains("1 node(s) were unschedulable"), scheduled.getMessage());
      assertTrue(scheduled.getMessage().contains("PersistentVolume's node affinity"), scheduled.getMessage());
      sleep(Duration.ofSeconds(1));
      assertNull(client.pods().inNamespace("data").withName("db-0").get().getSpec().getNodeName(), "still Pending");
    } finally {
      setUnschedulable(node, false);
    }
    // Uncordoned, the zone-b node takes it again.
    Await.until("db-0 Ready on " + node, Duration.ofSeconds(20), () -> {
      Pod p = client.pods().inNamespace("data").withName("db-0").get();
      return p != null && node.equals(p.getSpec().getNodeName()) && Objects.isReady(p);
    }, RealClusterBehaviourTest::pods);
  }

  @Test
  void aNodeDeletedUnderAWorkloadPodIsRecordedAsAPodLostWithItsNode() {
    String node = "gke-c-" + DOOMED_POOL + "-0001";
    SandboxNodes.create(client, node, DOOMED_POOL, ZONE_C, VERSION, "e2-standard-4");
    Await.until("doomed Ready on " + node, Duration.ofSeconds(20), () -> client.pods().inNamespace("shop")
        .withLabel("app", "doomed").list().getItems().stream()
        .anyMatch(p -> node.equals(p.getSpec().getNodeName()) && Objects.isReady(p)), RealClusterBehaviourTest::pods);
    String pod = podNames("shop", "doomed").get(0);
    assertEquals(List.of(), sandbox.cluster().podsLostWithNodes());

    client.nodes().withName(node).delete();
    Await.until("the loss recorded", Duration.ofSeconds(10), () -> !sandbox.cluster().podsLostWithNodes().isEmpty());
    assertEquals(List.of("shop/" + pod + " on " + node), sandbox.cluster().podsLostWithNodes());
  }

  /** POST .../pods/NAME/eviction, as kubectl drain and the activities do, with the answer as it came. */
  private static HttpResponse<String> evict(String namespace, String pod) throws Exception {
    HttpClient http = client.getHttpClient();
    String url = client.getMasterUrl().toString().replaceAll("/$", "") + "/api/v1/namespaces/" + namespace
        + "/pods/" + pod + "/eviction";
    String eviction = """
        {"apiVersion": "policy/v1", "kind": "Eviction", "metadata": {"name": "%s", "namespace": "%s"}}
        """.formatted(pod, namespace);
    HttpRequest request = http.newHttpRequestBuilder().uri(url).post("application/json", eviction).build();
    return http.sendAsync(request, String.class).get(10, TimeUnit.SECONDS);
  }

  /** Waits until the disruption controller has caught up and the budget allows {@code allowed}. */
  private static void awaitBudgetAllows(String name, int allowed) {
    var budget = client.policy().v1().podDisruptionBudget().inNamespace("shop").withName(name);
    Await.until(name + " allows " + allowed, Duration.ofSeconds(20), () -> {
      PodDisruptionBudgetStatus status = budget.get().getStatus();
      return status != null && status.getDisruptionsAllowed() == allowed
          && (status.getDisruptedPods() == null || status.getDisruptedPods().isEmpty());
    }, () -> String.valueOf(budget.get().getStatus()));
  }

  private static List<String> podNames(String namespace, String app) {
    return client.pods().inNamespace(namespace).withLabel("app", app).list().getItems().stream()
        .filter(Objects::isActive).map(p -> p.getMetadata().getName()).toList();
  }

  private static void setUnschedulable(String node, boolean unschedulable) {
    client.nodes().withName(node).edit(n -> {
      n.getSpec().setUnschedulable(unschedulable);
      return n;
    });
  }

  private static String pods() {
    return client.pods().inAnyNamespace().list().getItems().stream()
        .map(p -> p.getMetadata().getNamespace() + "/" + p.getMetadata().getName() + "@" + p.getSpec().getNodeName()
            + (Objects.isReady(p) ? " Ready" : " not Ready")
            + (p.getMetadata().getDeletionTimestamp() != null ? " stopping" : ""))
        .toList().toString();
  }

  private static void sleep(Duration duration) {
    try {
      Thread.sleep(duration.toMillis());
    } catch (InterruptedException e) {
      Thread.currentThread().interrupt();
      throw new AssertionError(e);
    }
  }
}
