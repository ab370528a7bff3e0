package dev.evolve.sandbox;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertNotEquals;
import static org.junit.jupiter.api.Assertions.assertNull;
import static org.junit.jupiter.api.Assertions.assertThrows;
import static org.junit.jupiter.api.Assertions.assertTrue;

import dev.evolve.sandbox.sim.Objects;
import io.fabric8.kubernetes.api.model.NodeSelectorRequirement;
import io.fabric8.kubernetes.api.model.Pod;
import io.fabric8.kubernetes.api.model.PodBuilder;
import io.fabric8.kubernetes.api.model.apps.Deployment;
import io.fabric8.kubernetes.client.KubernetesClient;
import io.fabric8.kubernetes.client.KubernetesClientException;
import java.time.Duration;
import java.util.ArrayList;
import java.util.List;
import java.util.Set;
import java.util.concurrent.atomic.AtomicInteger;
import java.util.stream.Collectors;
import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.BeforeEach;
import org.junit.jupiter.api.Test;

/** What other tests trust the simulation to do, each checked on a fresh small cluster. */
class ClusterBehaviourTest {

  static final List<String> ZONES = List.of("europe-west1-b", "europe-west1-c", "europe-west1-d");
  static final String TEMP = "default-pool-evolve";

  SimulatedCluster cluster;
  KubernetesClient client;

  @BeforeEach
  void start() {
    Scenario scenario = new Scenario(
        new Scenario.Cluster("p", "europe-west1", "c", "1.33.5-gke.1201000", ZONES, List.of()),
        List.of(new Scenario.Pool("default-pool", "1.32.9-gke.1100000", "e2-standard-4", 1)),
        List.of(
            new Scenario.WorkloadSpec("Deployment", "shop", "web", 3, "500m", "256Mi", 1.0, null, "1", "0", null,
                null, null, null, null, new Scenario.Budget("2", null)),
            new Scenario.WorkloadSpec("Deployment", "shop", "solo", 1, "250m", "256Mi", 1.0, null, "1", "0", null,
                null, null, null, null, new Scenario.Budget("1", null)),
            new Scenario.WorkloadSpec("StatefulSet", "kafka", "kafka", 3, "1", "2Gi", 1.0, 1.0, null, null, null,
                ZONES, "10Gi", true, null, new Scenario.Budget(null, "1"))),
        7L);
    cluster = SimulatedCluster.start(scenario, SimulationSettings.fast());
    client = cluster.client();
    awaitAllReady(7);
  }

  @AfterEach
  void stop() {
    cluster.close();
  }

  void awaitAllReady(int count) {
    Await.until(count + " pods Ready", Duration.ofSeconds(20), () -> {
      List<Pod> pods = client.pods().inAnyNamespace().list().getItems();
      return pods.size() == count && pods.stream().allMatch(Objects::isReady);
    }, this::podsText);
  }

  String podsText() {
    return client.pods().inAnyNamespace().list().getItems().stream().map(p -> p.getMetadata().getName() + "@"
        + p.getSpec().getNodeName() + (Objects.isReady(p) ? "" : "(not ready)")).toList().toString();
  }

  void tempPool() {
    for (int i = 0; i < ZONES.size(); i++) {
      SandboxNodes.create(client, "temp-" + i, TEMP, ZONES.get(i), "1.33.5-gke.1201000", "e2-standard-4");
    }
  }

  void cordon(String pool) {
    client.nodes().withLabel(Objects.POOL_LABEL, pool).list().getItems().forEach(n ->
        client.nodes().withName(n.getMetadata().getName()).edit(x -> {
          x.getSpec().setUnschedulable(true);
          return x;
        }));
  }

  Set<String> nodesOf(String pool) {
    return client.nodes().withLabel(Objects.POOL_LABEL, pool).list().getItems().stream()
        .map(n -> n.getMetadata().getName()).collect(Collectors.toSet());
  }

  @Test
  void evictionIsRefusedWith429WhenTheBudgetWouldBreakAndAllowedOtherwise() {
    List<Pod> brokers = client.pods().inNamespace("kafka").list().getItems();
    assertTrue(client.pods().inNamespace("kafka").withName("kafka-0").evict());
    // kafka-0 is gone and not back yet: a second broker would leave 1 of 2 required
    KubernetesClientException refused = null;
    try {
      boolean evicted = client.pods().inNamespace("kafka").withName("kafka-1").evict();
      assertFalse(evicted, "second eviction must be refused");
    } catch (KubernetesClientException e) {
      refused = e;
    }
    if (refused != null) {
      assertEquals(429, refused.getCode());
      assertTrue(refused.getMessage().contains("disruption budget"), refused.getMessage());
    }
    assertNotEquals(null, client.pods().inNamespace("kafka").withName("kafka-1").get());
    assertEquals(1, cluster.evictionsRefused());
    assertEquals(3, brokers.size());
  }

  @Test
  void evictedStatefulSetPodComesBackUnderItsNameWithANewUidInTheSameZone() {
    Pod before = client.pods().inNamespace("kafka").withName("kafka-1").get();
    String zone = client.nodes().withName(before.getSpec().getNodeName()).get().getMetadata().getLabels()
        .get(Objects.ZONE_LABEL);
    assertTrue(client.pods().inNamespace("kafka").withName("kafka-1").evict());
    Await.until("kafka-1 back and Ready", Duration.ofSeconds(10), () -> {
      Pod p = client.pods().inNamespace("kafka").withName("kafka-1").get();
      return p != null && !p.getMetadata().getUid().equals(before.getMetadata().getUid()) && Objects.isReady(p);
    });
    Pod after = client.pods().inNamespace("kafka").withName("kafka-1").get();
    assertEquals(zone, client.nodes().withName(after.getSpec().getNodeName()).get().getMetadata().getLabels()
        .get(Objects.ZONE_LABEL));
    assertEquals(2, cluster.podStarts().get("kafka/StatefulSet/kafka") - 2);
  }

  @Test
  void brokerMovesOnlyToItsVolumesZoneAndOtherwiseStaysUnschedulableWithTheSchedulersMessage() {
    tempPool();
    cordon("default-pool");
    // OnDelete + affinity to the temp pool, as the activities do, then evict kafka-2
    client.apps().statefulSets().inNamespace("kafka").withName("kafka").edit(s -> {
      s.getSpec().getUpdateStrategy().setType("OnDelete");
      s.getSpec().getTemplate().getSpec().getAffinity().setNodeAffinity(new io.fabric8.kubernetes.api.model.NodeAffinityBuilder()
          .withNewRequiredDuringSchedulingIgnoredDuringExecution().addNewNodeSelectorTerm()
          .addToMatchExpressions(new NodeSelectorRequirement(Objects.POOL_LABEL, "In", List.of(TEMP)))
          .endNodeSelectorTerm().endRequiredDuringSchedulingIgnoredDuringExecution().build());
      return s;
    });
    assertTrue(client.pods().inNamespace("kafka").withName("kafka-2").evict());
    Await.until("kafka-2 Ready on temp-2", Duration.ofSeconds(10), () -> {
      Pod p = client.pods().inNamespace("kafka").withName("kafka-2").get();
      return p != null && "temp-2".equals(p.getSpec().getNodeName()) && Objects.isReady(p);
    }, this::podsText);
    // now take temp-1 (kafka-1's zone) away: kafka-1 can go nowhere
    client.nodes().withName("temp-1").delete();
    Await.until("kafka-2 caught up", Duration.ofSeconds(10), () -> client.pods().inNamespace("kafka")
        .withName("kafka-2").get().getMetadata().getAnnotations().containsKey(Objects.CAUGHT_UP_AT_ANNOTATION));
    assertTrue(client.pods().inNamespace("kafka").withName("kafka-1").evict());
    Await.until("kafka-1 Unschedulable", Duration.ofSeconds(10), () -> {
      Pod p = client.pods().inNamespace("kafka").withName("kafka-1").get();
      var c = p == null ? null : Objects.condition(p, "PodScheduled");
      return c != null && "Unschedulable".equals(c.getReason());
    });
    Pod pending = client.pods().inNamespace("kafka").withName("kafka-1").get();
    assertNull(pending.getSpec().getNodeName());
    assertEquals("Pending", pending.getStatus().getPhase());
    // zones b and d match the affinity but not the volume; the old pool is cordoned
    assertEquals("0/5 nodes are available: 2 node(s) had volume node affinity conflict, 3 node(s) were "
        + "unschedulable. preemption: 0/5 nodes are available: 5 Preemption is not helpful for scheduling.",
        Objects.condition(pending, "PodScheduled").getMessage());
  }

  @Test
  void schedulerHonoursSelectorTaintsAndCapacity() {
    tempPool();
    client.nodes().withName("temp-0").edit(n -> {
      n.getSpec().setTaints(List.of(new io.fabric8.kubernetes.api.model.Taint("NoSchedule", "dedicated", null, "db")));
      return n;
    });
    Pod big = new PodBuilder().withNewMetadata().withName("big").withNamespace("shop").endMetadata()
        .withNewSpec().addToNodeSelector(Objects.POOL_LABEL, TEMP).addNewContainer().withName("c").withImage("i")
        .withNewResources().addToRequests("cpu", new io.fabric8.kubernetes.api.model.Quantity("3")).endResources()
        .endContainer().endSpec().build();
    client.pods().inNamespace("shop").resource(big).create();
    Await.until("big placed", Duration.ofSeconds(10), () -> client.pods().inNamespace("shop").withName("big").get()
        .getSpec().getNodeName() != null);
    String first = client.pods().inNamespace("shop").withName("big").get().getSpec().getNodeName();
    assertTrue(Set.of("temp-1", "temp-2").contains(first), first);
    // the second 3-CPU pod fits only on the other untainted temp node; the third nowhere
    for (String name : List.of("big2", "big3")) {
      client.pods().inNamespace("shop").resource(new PodBuilder(big).editMetadata().withName(name).endMetadata()
          .build()).create();
    }
    Await.until("big3 Unschedulable", Duration.ofSeconds(10), () -> {
      var c = Objects.condition(client.pods().inNamespace("shop").withName("big3").get(), "PodScheduled");
      return c != null && "Unschedulable".equals(c.getReason());
    });
    String second = client.pods().inNamespace("shop").withName("big2").get().getSpec().getNodeName();
    assertEquals(Set.of("temp-1", "temp-2"), Set.of(first, second));
    assertEquals("0/6 nodes are available: 1 node(s) had untolerated taint {dedicated: db}, 2 Insufficient cpu, "
        + "3 node(s) didn't match Pod's node affinity/selector. preemption: 0/6 nodes are available: 6 Preemption is "
        + "not helpful for scheduling.", Objects.condition(client.pods().inNamespace("shop").withName("big3").get(),
        "PodScheduled").getMessage());
  }

  @Test
  void deploymentMovedByAffinityPatchRollsOutNewPodFirstWithoutDisruption() {
    tempPool();
    cordon("default-pool");
    AtomicInteger lowestReady = new AtomicInteger(Integer.MAX_VALUE);
    Thread watcher = new Thread(() -> {
      while (!Thread.currentThread().isInterrupted()) {
        Deployment d = client.apps().deployments().inNamespace("shop").withName("web").get();
        lowestReady.accumulateAndGet(d.getStatus().getReadyReplicas(), Math::min);
        try {
          Thread.sleep(10);
        } catch (InterruptedException e) {
          return;
        }
      }
    });
    watcher.start();
    long generation = client.apps().deployments().inNamespace("shop").withName("web").get().getMetadata().getGeneration();
    for (String name : List.of("web", "solo")) {
      // what the activities do: require the pool in the template's node affinity
      client.apps().deployments().inNamespace("shop").withName(name).edit(d -> {
        d.getSpec().getTemplate().getSpec().setAffinity(new io.fabric8.kubernetes.api.model.AffinityBuilder()
            .withNewNodeAffinity().withNewRequiredDuringSchedulingIgnoredDuringExecution().addNewNodeSelectorTerm()
            .addToMatchExpressions(new NodeSelectorRequirement(Objects.POOL_LABEL, "In", List.of(TEMP)))
            .endNodeSelectorTerm().endRequiredDuringSchedulingIgnoredDuringExecution().endNodeAffinity().build());
        return d;
      });
    }
    Set<String> temp = nodesOf(TEMP);
    for (String name : List.of("web", "solo")) {
      Await.until(name + " rolled out on " + TEMP, Duration.ofSeconds(20), () -> {
        Deployment d = client.apps().deployments().inNamespace("shop").withName(name).get();
        int replicas = d.getSpec().getReplicas();
        var s = d.getStatus();
        List<Pod> pods = client.pods().inNamespace("shop").withLabel("app", name).list().getItems();
        return s.getObservedGeneration() >= d.getMetadata().getGeneration() && s.getUpdatedReplicas() == replicas
            && s.getAvailableReplicas() == replicas && s.getReplicas() == replicas && pods.size() == replicas
            && pods.stream().allMatch(p -> Objects.isReady(p) && temp.contains(p.getSpec().getNodeName()));
      }, this::podsText);
    }
    watcher.interrupt();
    Deployment web = client.apps().deployments().inNamespace("shop").withName("web").get();
    assertEquals(generation + 1, web.getMetadata().getGeneration());
    assertEquals(web.getMetadata().getGeneration(), web.getStatus().getObservedGeneration());
    assertEquals(3, lowestReady.get(), "readyReplicas never below replicas during a maxSurge 1 rollout");
    assertEquals(List.of(), cluster.disruptions());
    // each pod started once on the old pool and once on the new one
    assertEquals(6, cluster.podStarts().get("shop/Deployment/web"));
    assertEquals(2, client.apps().replicaSets().inNamespace("shop").list().getItems().stream()
        .filter(r -> r.getMetadata().getName().startsWith("web-")).count());
  }

  @Test
  void deletedNodesPodsAreRecreatedElsewhere() {
    tempPool();
    String node = client.pods().inNamespace("shop").withLabel("app", "solo").list().getItems().get(0).getSpec()
        .getNodeName();
    client.nodes().withName(node).delete();
    Await.until("solo Ready elsewhere", Duration.ofSeconds(10), () -> {
      List<Pod> pods = client.pods().inNamespace("shop").withLabel("app", "solo").list().getItems();
      return pods.size() == 1 && Objects.isReady(pods.get(0)) && !node.equals(pods.get(0).getSpec().getNodeName());
    }, this::podsText);
    // a single replica on a deleted node was a real outage, and the watcher says so
    Await.until("disruption closed", Duration.ofSeconds(5), () -> cluster.disruptions().stream()
        .anyMatch(d -> d.workload().equals("shop/Deployment/solo") && !d.ongoing()));
    Disruption d = cluster.disruptions().stream().filter(x -> x.workload().equals("shop/Deployment/solo"))
        .findFirst().orElseThrow();
    assertEquals(0, d.lowestReady());
    assertEquals(1, d.required());
    List<String> lost = cluster.podsLostWithNodes();
    assertTrue(lost.stream().anyMatch(p -> p.startsWith("shop/solo-")), lost.toString());
    assertTrue(lost.stream().allMatch(p -> p.endsWith(" on " + node)), lost.toString());
  }

  @Test
  void deletingPodsDirectlyIsRecordedAsADisruption() {
    List<String> names = new ArrayList<>();
    client.pods().inNamespace("shop").withLabel("app", "web").list().getItems()
        .forEach(p -> names.add(p.getMetadata().getName()));
    names.forEach(n -> client.pods().inNamespace("shop").withName(n).delete());
    Await.until("a web disruption recorded and over", Duration.ofSeconds(10), () -> cluster.disruptions().stream()
        .anyMatch(d -> d.workload().equals("shop/Deployment/web") && !d.ongoing()),
        () -> cluster.disruptions() + " " + podsText());
    Disruption d = cluster.disruptions().get(0);
    assertEquals("shop/web", d.budget());
    assertEquals(2, d.required());
    assertTrue(d.lowestReady() < 2, d.toString());
    assertTrue(d.end().isAfter(d.start()) || d.end().equals(d.start()));
    awaitAllReady(7);
  }
}
