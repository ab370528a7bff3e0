package dev.evolve.sandbox;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertTrue;

import dev.evolve.sandbox.sim.Objects;
import io.fabric8.kubernetes.api.model.Node;
import io.fabric8.kubernetes.api.model.Pod;
import io.fabric8.kubernetes.api.model.apps.Deployment;
import io.fabric8.kubernetes.client.KubernetesClient;
import java.nio.file.Files;
import java.nio.file.Path;
import java.time.Duration;
import java.util.List;
import java.util.Map;
import java.util.Set;
import java.util.stream.Collectors;
import org.junit.jupiter.api.AfterAll;
import org.junit.jupiter.api.BeforeAll;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

/** The built-in scenario comes up as a healthy cluster that another client can reach. */
class DefaultScenarioTest {

  static SimulatedCluster cluster;
  static KubernetesClient client;

  @BeforeAll
  static void start() {
    cluster = SimulatedCluster.start(Scenario.defaultScenario(), SimulationSettings.fast());
    client = cluster.client();
    Await.until("every pod Ready", Duration.ofSeconds(20), () -> {
      List<Pod> pods = client.pods().inAnyNamespace().list().getItems();
      // 1+3+2+1 Deployment pods, 3 brokers, 3 DaemonSet pods
      return pods.size() == 13 && pods.stream().allMatch(Objects::isReady);
    }, () -> client.pods().inAnyNamespace().list().getItems().stream()
        .map(p -> p.getMetadata().getName() + "=" + p.getSpec().getNodeName() + "/" + Objects.isReady(p)).toList().toString());
  }

  @AfterAll
  static void stop() {
    cluster.close();
  }

  @Test
  void brokersLandInTheZonesOfTheirVolumes() {
    List<String> zones = Scenario.defaultScenario().cluster().zones();
    for (int i = 0; i < 3; i++) {
      Pod broker = client.pods().inNamespace("kafka").withName("kafka-" + i).get();
      Node node = client.nodes().withName(broker.getSpec().getNodeName()).get();
      assertEquals(zones.get(i), node.getMetadata().getLabels().get(Objects.ZONE_LABEL), "kafka-" + i);
      String claim = broker.getSpec().getVolumes().stream().filter(v -> v.getPersistentVolumeClaim() != null)
          .findFirst().orElseThrow().getPersistentVolumeClaim().getClaimName();
      assertEquals("data-kafka-" + i, claim);
      var pvc = client.persistentVolumeClaims().inNamespace("kafka").withName(claim).get();
      var pv = client.persistentVolumes().withName(pvc.getSpec().getVolumeName()).get();
      assertEquals(List.of(zones.get(i)), pv.getSpec().getNodeAffinity().getRequired().getNodeSelectorTerms().get(0)
          .getMatchExpressions().get(0).getValues());
    }
  }

  @Test
  void deploymentsHaveReplicaSetsOwnersAndStatus() {
    Deployment frontend = client.apps().deployments().inNamespace("shop").withName("frontend").get();
    assertEquals(3, frontend.getStatus().getReadyReplicas());
    assertEquals(3, frontend.getStatus().getUpdatedReplicas());
    assertEquals(frontend.getMetadata().getGeneration(), frontend.getStatus().getObservedGeneration());
    var rs = client.apps().replicaSets().inNamespace("shop").list().getItems().stream()
        .filter(r -> r.getMetadata().getName().startsWith("frontend-")).toList();
    assertEquals(1, rs.size());
    String hash = rs.get(0).getMetadata().getLabels().get("pod-template-hash");
    assertEquals("frontend-" + hash, rs.get(0).getMetadata().getName());
    List<Pod> pods = client.pods().inNamespace("shop").withLabel("app", "frontend").list().getItems();
    assertEquals(3, pods.size());
    for (Pod p : pods) {
      assertEquals("ReplicaSet", p.getMetadata().getOwnerReferences().get(0).getKind());
      assertEquals(rs.get(0).getMetadata().getName(), p.getMetadata().getOwnerReferences().get(0).getName());
      assertTrue(p.getMetadata().getName().matches("frontend-" + hash + "-[a-z0-9]{5}"), p.getMetadata().getName());
      assertEquals("Running", p.getStatus().getPhase());
      assertTrue(p.getStatus().getPodIP() != null && p.getStatus().getStartTime() != null);
    }
    // spread: three replicas on three different nodes
    assertEquals(3, pods.stream().map(p -> p.getSpec().getNodeName()).collect(Collectors.toSet()).size());
  }

  @Test
  void pdbStatusAndDaemonSetPerNode() {
    // the PDB controller catches up one tick after the pods
    Await.until("kafka PDB status current", Duration.ofSeconds(5), () -> Integer.valueOf(3).equals(client.policy().v1()
        .podDisruptionBudget().inNamespace("kafka").withName("kafka").get().getStatus().getCurrentHealthy()));
    var pdb = client.policy().v1().podDisruptionBudget().inNamespace("kafka").withName("kafka").get();
    assertEquals(3, pdb.getStatus().getExpectedPods());
    assertEquals(3, pdb.getStatus().getCurrentHealthy());
    assertEquals(2, pdb.getStatus().getDesiredHealthy());
    assertEquals(1, pdb.getStatus().getDisruptionsAllowed());
    Set<String> nodes = client.pods().inNamespace("kube-system").list().getItems().stream()
        .map(p -> p.getSpec().getNodeName()).collect(Collectors.toSet());
    assertEquals(3, nodes.size());
    assertTrue(cluster.disruptions().isEmpty(), cluster.disruptions().toString());
  }

  @Test
  void anotherClientReachesItThroughTheKubeconfig(@TempDir Path dir) throws Exception {
    Path kubeconfig = cluster.writeKubeconfig(dir.resolve("config"));
    assertTrue(Files.readString(kubeconfig).contains(cluster.masterUrl().replaceAll("/$", "")));
    var config = io.fabric8.kubernetes.client.Config.fromKubeconfig(Files.readString(kubeconfig));
    try (KubernetesClient other = new io.fabric8.kubernetes.client.KubernetesClientBuilder().withConfig(config).build()) {
      assertEquals(3, other.nodes().withLabel(Objects.POOL_LABEL, "default-pool").list().getItems().size());
    }
  }

  @Test
  void scenarioRoundTripsThroughJsonAndYaml(@TempDir Path dir) throws Exception {
    Scenario scenario = Scenario.defaultScenario();
    Path json = Files.writeString(dir.resolve("s.json"), scenario.toJson());
    assertEquals(scenario, Scenario.load(json));
    Path yaml = Files.writeString(dir.resolve("s.yaml"), """
        cluster: {project: p, location: europe-west1, name: c, controlPlaneVersion: 1.33.5-gke.1, zones: [europe-west1-b]}
        pools: [{name: default-pool, version: 1.32.9-gke.1, machineType: e2-standard-4, nodesPerZone: 2}]
        workloads:
        - {kind: Deployment, namespace: a, name: web, replicas: 2, pdb: {minAvailable: "1"}}
        """);
    Scenario loaded = Scenario.load(yaml);
    assertEquals(2, loaded.pools().get(0).nodesPerZone());
    assertEquals(Map.of(), Map.of());
    assertEquals("1", loaded.workloads().get(0).pdb().minAvailable());
  }
}
