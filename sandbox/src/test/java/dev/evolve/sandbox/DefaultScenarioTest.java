package dev.evolve.sandbox;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertTrue;

import dev.evolve.sandbox.observe.Objects;
import io.fabric8.kubernetes.api.model.Node;
import io.fabric8.kubernetes.api.model.Pod;
import io.fabric8.kubernetes.api.model.apps.Deployment;
import io.fabric8.kubernetes.api.model.apps.ReplicaSet;
import io.fabric8.kubernetes.api.model.apps.StatefulSet;
import io.fabric8.kubernetes.api.model.policy.v1.PodDisruptionBudgetStatus;
import io.fabric8.kubernetes.client.Config;
import io.fabric8.kubernetes.client.KubernetesClient;
import io.fabric8.kubernetes.client.KubernetesClientBuilder;
import java.nio.file.Files;
import java.nio.file.Path;
import java.time.Duration;
import java.util.List;
import java.util.Set;
import java.util.stream.Collectors;
import org.junit.jupiter.api.AfterAll;
import org.junit.jupiter.api.BeforeAll;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

/**
 * The built-in scenario on the real control plane, nodes made by the fake GKE: it comes up as the
 * cluster the scenario describes, and another client can reach it. The tests only read, so they
 * share one sandbox (a control plane takes seconds to start).
 */
class DefaultScenarioTest {

  static final Scenario SCENARIO = Scenario.defaultScenario();
  static final double SPEED = 20;

  static Sandbox sandbox;
  static KubernetesClient client;

  @BeforeAll
  static void start() {
    sandbox = Sandbox.start(SCENARIO, Sandbox.Settings.fast().withSpeed(SPEED));
    client = sandbox.cluster().client();
    Await.until("every pod Ready", Duration.ofSeconds(60), () -> {
      List<Pod> pods = client.pods().inAnyNamespace().list().getItems();
      // 1+3+2+1 Deployment pods, 3 brokers, 3 DaemonSet pods
      return pods.size() == 13 && pods.stream().allMatch(Objects::isReady);
    }, () -> client.pods().inAnyNamespace().list().getItems().stream()
        .map(p -> p.getMetadata().getName() + "=" + p.getSpec().getNodeName() + "/" + Objects.isReady(p)).toList()
        .toString());
  }

  @AfterAll
  static void stop() {
    if (sandbox != null) {
      sandbox.close();
    }
  }

  @Test
  void brokersLandInTheZonesOfTheirVolumes() {
    List<String> zones = SCENARIO.cluster().zones();
    for (int i = 0; i < 3; i++) {
      Pod broker = client.pods().inNamespace("kafka").withName("kafka-" + i).get();
      Node node = client.nodes().withName(broker.getSpec().getNodeName()).get();
      assertEquals(zones.get(i), Objects.label(node, Objects.ZONE_LABEL), "kafka-" + i + "'s node");
      String claim = broker.getSpec().getVolumes().stream().filter(v -> v.getPersistentVolumeClaim() != null)
          .findFirst().orElseThrow().getPersistentVolumeClaim().getClaimName();
      assertEquals("data-kafka-" + i, claim);
      // The real PV controller bound the StatefulSet's claim to the volume made for its ordinal.
      var pvc = client.persistentVolumeClaims().inNamespace("kafka").withName(claim).get();
      assertEquals("Bound", pvc.getStatus().getPhase(), claim);
      var pv = client.persistentVolumes().withName(pvc.getSpec().getVolumeName()).get();
      assertEquals(List.of(zones.get(i)), pv.getSpec().getNodeAffinity().getRequired().getNodeSelectorTerms().get(0)
          .getMatchExpressions().get(0).getValues());
    }
  }

  @Test
  void workloadsCarryTheScenariosStrategyAndPaceAndTheControllersRunThem() {
    Deployment checkout = client.apps().deployments().inNamespace("shop").withName("checkout").get();
    assertEquals(1, checkout.getSpec().getStrategy().getRollingUpdate().getMaxSurge().getIntVal());
    assertEquals(0, checkout.getSpec().getStrategy().getRollingUpdate().getMaxUnavailable().getIntVal());
    // 3 scenario seconds at speed 20; kwok's pod-ready stage reads this annotation.
    var template = checkout.getSpec().getTemplate();
    assertEquals("150ms", template.getMetadata().getAnnotations().get(Objects.STARTUP_DELAY_ANNOTATION));
    // 2 scenario seconds at speed 20 is 0.1 s: rounded up to the API's whole seconds.
    assertEquals(1L, template.getSpec().getTerminationGracePeriodSeconds());

    StatefulSet kafka = client.apps().statefulSets().inNamespace("kafka").withName("kafka").get();
    assertEquals("RollingUpdate", kafka.getSpec().getUpdateStrategy().getType());
    assertEquals(3, kafka.getStatus().getReadyReplicas());

    // The Deployment controller made one ReplicaSet, whose pods it counts as ready and up to date.
    Deployment frontend = client.apps().deployments().inNamespace("shop").withName("frontend").get();
    assertEquals(3, frontend.getStatus().getReadyReplicas());
    assertEquals(3, frontend.getStatus().getUpdatedReplicas());
    assertEquals(frontend.getMetadata().getGeneration(), frontend.getStatus().getObservedGeneration());
    List<ReplicaSet> replicaSets = client.apps().replicaSets().inNamespace("shop").withLabel("app", "frontend")
        .list().getItems();
    assertEquals(1, replicaSets.size());
    for (Pod pod : client.pods().inNamespace("shop").withLabel("app", "frontend").list().getItems()) {
      assertTrue(Objects.ownedBy(pod, replicaSets.get(0)), pod.getMetadata().getName());
      assertEquals("Running", pod.getStatus().getPhase());
    }
  }

  @Test
  void theDisruptionControllerComputesTheBudgetsAndNoneWasBrokenAtStartUp() {
    // kafka: maxUnavailable 1 of 3 brokers
    PodDisruptionBudgetStatus kafka = awaitBudget("kafka", "kafka", 1);
    assertEquals(3, kafka.getExpectedPods());
    assertEquals(3, kafka.getCurrentHealthy());
    assertEquals(2, kafka.getDesiredHealthy());
    // checkout: one replica under minAvailable 1 may never be evicted
    PodDisruptionBudgetStatus checkout = awaitBudget("shop", "checkout", 0);
    assertEquals(1, checkout.getExpectedPods());
    assertEquals(1, checkout.getDesiredHealthy());
    // a workload still starting is not a disruption: the observer arms a budget once it is met
    assertEquals(List.of(), sandbox.cluster().disruptions());
  }

  @Test
  void aDaemonSetPodRunsOnEveryNode() {
    Set<String> nodes = client.nodes().list().getItems().stream().map(n -> n.getMetadata().getName())
        .collect(Collectors.toSet());
    assertEquals(Set.copyOf(sandbox.gke().nodesOf("default-pool")), nodes, "the fake GKE made every node");
    List<Pod> fluentbit = client.pods().inNamespace("kube-system").withLabel("app", "fluentbit").list().getItems();
    assertEquals(nodes.size(), fluentbit.size());
    assertEquals(nodes, fluentbit.stream().map(p -> p.getSpec().getNodeName()).collect(Collectors.toSet()));
  }

  @Test
  void anotherClientReachesItThroughTheKubeconfig(@TempDir Path dir) throws Exception {
    Path kubeconfig = sandbox.cluster().writeKubeconfig(dir.resolve("config"));
    String text = Files.readString(kubeconfig);
    assertTrue(text.contains("server: " + sandbox.cluster().masterUrl().replaceAll("/$", "")), text);
    // TLS both ways: the API server's CA, and a client certificate instead of a token
    assertTrue(text.contains("certificate-authority-data:") && text.contains("client-certificate-data:"), text);
    Config config = Config.fromKubeconfig(text);
    try (KubernetesClient other = new KubernetesClientBuilder().withConfig(config).build()) {
      assertEquals(3, other.nodes().withLabel(Objects.POOL_LABEL, "default-pool").list().getItems().size());
    }
  }

  private static PodDisruptionBudgetStatus awaitBudget(String namespace, String name, int allowed) {
    var budget = client.policy().v1().podDisruptionBudget().inNamespace(namespace).withName(name);
    // The controller recomputes a budget shortly after its pods change: wait until it has caught up.
    Await.until(namespace + "/" + name + " allows " + allowed, Duration.ofSeconds(15), () -> {
      PodDisruptionBudgetStatus status = budget.get().getStatus();
      return status != null && status.getObservedGeneration() != null && status.getDisruptionsAllowed() == allowed
          && status.getCurrentHealthy() >= status.getDesiredHealthy();
    }, () -> String.valueOf(budget.get().getStatus()));
    return budget.get().getStatus();
  }
}
