package dev.evolve.sandbox;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertTrue;

import dev.evolve.sandbox.sim.Objects;
import io.fabric8.kubernetes.api.model.Pod;
import io.fabric8.kubernetes.client.KubernetesClient;
import java.time.Duration;
import java.util.List;
import org.junit.jupiter.api.Test;

/**
 * The demo's "0 disruptions" is only worth something if the watcher cannot miss a short drop.
 * It looks once per tick and, through the API server, right after every pod deletion or pod
 * status write. Both tests make drops that are as short as they get and require every one to
 * be recorded.
 */
class DisruptionWatcherTest {

  static final List<String> ZONES = List.of("europe-west1-b");

  /** One node, one replica that is Ready the moment it runs, and a budget that allows no loss. */
  static Scenario oneInstantReplicaWithABudget() {
    return new Scenario(
        new Scenario.Cluster("p", "europe-west1", "c", "1.33.5-gke.1201000", ZONES, List.of()),
        List.of(new Scenario.Pool("default-pool", "1.33.5-gke.1201000", "e2-standard-4", 1)),
        List.of(new Scenario.WorkloadSpec("Deployment", "shop", "instant", 1, "100m", "64Mi", 0.0, null, "1", "0",
            null, null, null, null, null, new Scenario.Budget("1", null))),
        3L);
  }

  /** A single replica with no start-up delay, deleted outright: the shortest outage a controller can cause. */
  @Test
  void everyDeletionOfASingleReplicaIsRecorded() {
    Scenario scenario = oneInstantReplicaWithABudget();
    int drops = 5;
    try (SimulatedCluster cluster = SimulatedCluster.start(scenario, SimulationSettings.fast())) {
      KubernetesClient client = cluster.client();
      for (int i = 0; i < drops; i++) {
        Pod pod = awaitOneReadyPod(client);
        client.pods().inNamespace("shop").withName(pod.getMetadata().getName()).delete();
        int recorded = i + 1;
        Await.until("drop " + recorded + " recorded and over", Duration.ofSeconds(5),
            () -> cluster.disruptions().size() == recorded && !cluster.disruptions().get(recorded - 1).ongoing(),
            () -> cluster.disruptions().toString());
      }
      List<Disruption> recorded = cluster.disruptions();
      assertEquals(drops, recorded.size(), recorded.toString());
      for (Disruption d : recorded) {
        assertEquals("shop/Deployment/instant", d.workload());
        assertEquals(0, d.lowestReady(), d.toString());
        assertEquals(1, d.required(), d.toString());
        assertTrue(!d.end().isBefore(d.start()), d.toString());
      }
    }
  }

  /**
   * A pod reported not Ready for an instant (a readiness probe failing once): the kubelet sets it
   * Ready again on its next tick, before the tick's own look, so only the look taken at the status
   * write can see it.
   */
  @Test
  void aReadinessBlipShorterThanATickIsRecorded() {
    Scenario scenario = oneInstantReplicaWithABudget();
    int blips = 3;
    try (SimulatedCluster cluster = SimulatedCluster.start(scenario, SimulationSettings.fast())) {
      KubernetesClient client = cluster.client();
      for (int i = 0; i < blips; i++) {
        Pod pod = awaitOneReadyPod(client);
        client.pods().inNamespace("shop").withName(pod.getMetadata().getName()).editStatus(p -> {
          p.getStatus().getConditions().stream().filter(c -> c.getType().equals("Ready"))
              .forEach(c -> c.setStatus("False"));
          return p;
        });
        int recorded = i + 1;
        Await.until("blip " + recorded + " recorded and over", Duration.ofSeconds(5),
            () -> cluster.disruptions().size() == recorded && !cluster.disruptions().get(recorded - 1).ongoing(),
            () -> cluster.disruptions().toString());
      }
      assertEquals(blips, cluster.disruptions().size(), cluster.disruptions().toString());
      cluster.disruptions().forEach(d -> assertEquals(0, d.lowestReady(), d.toString()));
    }
  }

  private static Pod awaitOneReadyPod(KubernetesClient client) {
    Await.until("one Ready pod", Duration.ofSeconds(5), () -> {
      List<Pod> pods = client.pods().inNamespace("shop").list().getItems();
      return pods.size() == 1 && Objects.isReady(pods.get(0));
    });
    return client.pods().inNamespace("shop").list().getItems().get(0);
  }
}
