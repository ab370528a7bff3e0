package dev.evolve.sandbox;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;

import dev.evolve.sandbox.observe.Objects;
import io.fabric8.kubernetes.api.model.Pod;
import io.fabric8.kubernetes.client.KubernetesClient;
import java.time.Duration;
import java.util.List;
import org.junit.jupiter.api.AfterAll;
import org.junit.jupiter.api.BeforeAll;
import org.junit.jupiter.api.Test;

/**
 * The demo's "0 disruptions" is only worth something if the observer cannot miss a short drop. It
 * is told by watches on the real API server, not sampling; both tests make drops as short as they
 * get and require every one of them to be recorded. They share one sandbox and count only the
 * disruptions they cause themselves.
 */
class DisruptionWatcherTest {

  static final String WORKLOAD = "shop/Deployment/instant";

  static Sandbox sandbox;
  static KubernetesClient client;

  /**
   * One node, one replica that is Ready as soon as it runs and stops at once, and a budget that
   * allows no loss.
   */
  static Scenario oneInstantReplicaWithABudget() {
    List<String> zones = List.of("europe-west1-b");
    return new Scenario(
        new Scenario.Cluster("p", "europe-west1", "c", "1.33.5-gke.1201000", zones, List.of("1.33.5-gke.1201000")),
        List.of(new Scenario.Pool("default-pool", "1.33.5-gke.1201000", "e2-standard-4", 1)),
        List.of(new Scenario.WorkloadSpec("Deployment", "shop", "instant", 1, "100m", "64Mi", 0.0, null, "1", "0",
            null, null, null, null, null, new Scenario.Budget("1", null), 0.0)),
        3L);
  }

  @BeforeAll
  static void start() {
    sandbox = Sandbox.start(oneInstantReplicaWithABudget(), Sandbox.Settings.fast());
    client = sandbox.cluster().client();
  }

  @AfterAll
  static void stop() {
    if (sandbox != null) {
      sandbox.close();
    }
  }

  /** The single replica deleted outright: the shortest outage a controller can cause. */
  @Test
  void everyDeletionOfASingleReplicaIsRecorded() {
    int before = sandbox.cluster().disruptions().size();
    int drops = 5;
    for (int i = 1; i <= drops; i++) {
      Pod pod = awaitOneReadyPod();
      client.pods().inNamespace("shop").withName(pod.getMetadata().getName()).delete();
      awaitRecordedAndOver(before + i, "deletion " + i);
    }
    List<Disruption> recorded = sandbox.cluster().disruptions().subList(before, before + drops);
    for (Disruption d : recorded) {
      assertEquals(WORKLOAD, d.workload());
      assertEquals("shop/instant", d.budget());
      assertEquals(0, d.lowestReady(), d.toString());
      assertEquals(1, d.required(), d.toString());
      assertFalse(d.end().isBefore(d.start()), d.toString());
    }
  }

  /**
   * A pod reported not Ready and Ready again straight after (a readiness probe failing once): two
   * status writes, back to back. kwok does not touch the Ready condition of a running pod, so
   * only the test's writes move it; the observer must see the one in between.
   */
  @Test
  void aReadinessBlipIsRecorded() {
    int before = sandbox.cluster().disruptions().size();
    int blips = 5;
    String name = awaitOneReadyPod().getMetadata().getName();
    for (int i = 1; i <= blips; i++) {
      awaitOneReadyPod();
      setReady(name, "False");
      setReady(name, "True");
      awaitRecordedAndOver(before + i, "blip " + i);
    }
    List<Disruption> recorded = sandbox.cluster().disruptions().subList(before, before + blips);
    recorded.forEach(d -> assertEquals(0, d.lowestReady(), d.toString()));
    // the pod itself lived on: a blip is not a restart
    assertEquals(name, awaitOneReadyPod().getMetadata().getName());
  }

  private static void setReady(String pod, String status) {
    client.pods().inNamespace("shop").withName(pod).editStatus(p -> {
      p.getStatus().getConditions().stream().filter(c -> c.getType().equals("Ready"))
          .forEach(c -> c.setStatus(status));
      return p;
    });
  }

  private static void awaitRecordedAndOver(int count, String what) {
    Await.until(what + " recorded and over", Duration.ofSeconds(15), () -> {
      List<Disruption> all = sandbox.cluster().disruptions();
      return all.size() == count && !all.get(count - 1).ongoing();
    }, () -> sandbox.cluster().disruptions().toString());
  }

  /** The workload's one pod, Ready, and no other pod still stopping beside it. */
  private static Pod awaitOneReadyPod() {
    Await.until("one Ready pod", Duration.ofSeconds(15), () -> {
      List<Pod> pods = client.pods().inNamespace("shop").list().getItems();
      return pods.size() == 1 && Objects.isReady(pods.get(0));
    }, () -> client.pods().inNamespace("shop").list().getItems().stream()
        .map(p -> p.getMetadata().getName() + " ready=" + Objects.isReady(p)).toList().toString());
    return client.pods().inNamespace("shop").list().getItems().get(0);
  }
}
