package dev.evolve.activities.kube;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertThrows;
import static org.junit.jupiter.api.Assertions.assertTrue;

import dev.evolve.workflows.activities.FailureTypes;
import io.fabric8.kubernetes.api.model.LabelSelectorBuilder;
import io.fabric8.kubernetes.api.model.Pod;
import io.fabric8.kubernetes.api.model.PodBuilder;
import io.fabric8.kubernetes.api.model.StatusBuilder;
import io.fabric8.kubernetes.api.model.policy.v1.PodDisruptionBudgetBuilder;
import io.fabric8.kubernetes.api.model.policy.v1.PodDisruptionBudgetListBuilder;
import io.fabric8.kubernetes.client.KubernetesClient;
import io.fabric8.kubernetes.client.server.mock.EnableKubernetesMockClient;
import io.fabric8.kubernetes.client.server.mock.KubernetesMockServer;
import io.temporal.failure.ApplicationFailure;
import java.time.Duration;
import java.util.ArrayList;
import java.util.List;
import org.junit.jupiter.api.BeforeEach;
import org.junit.jupiter.api.Test;

/** The Eviction API's answers, scripted: 429 while a PDB says no, 201 when it lets go. */
@EnableKubernetesMockClient
class EvictionsTest {

  static final String EVICTION = "/api/v1/namespaces/batch/pods/nightly-1/eviction";

  KubernetesMockServer server;
  KubernetesClient client;
  List<String> heartbeats = new ArrayList<>();
  /** The refusals counted for the evolve_disruptions_seen metric. */
  java.util.concurrent.atomic.AtomicInteger refusals = new java.util.concurrent.atomic.AtomicInteger();
  Pod pod = new PodBuilder().withNewMetadata().withName("nightly-1").withNamespace("batch").addToLabels("app", "nightly")
      .endMetadata().build();

  @BeforeEach
  void budget() {
    client = KubeClients.withoutClientRetries(new io.fabric8.kubernetes.client.ConfigBuilder(client.getConfiguration())
        .build());
    server.expect().get().withPath("/apis/policy/v1/namespaces/batch/poddisruptionbudgets")
        .andReturn(200, new PodDisruptionBudgetListBuilder().addToItems(new PodDisruptionBudgetBuilder()
            .withNewMetadata().withName("nightly-pdb").withNamespace("batch").endMetadata()
            .withNewSpec().withSelector(new LabelSelectorBuilder().addToMatchLabels("app", "nightly").build())
            .withNewMinAvailable(2).endSpec()
            .withNewStatus().withDisruptionsAllowed(0).withCurrentHealthy(2).withDesiredHealthy(2).endStatus()
            .build()).build()).always();
  }

  static Object tooManyRequests() {
    return new StatusBuilder().withStatus("Failure").withCode(429).withReason("TooManyRequests")
        .withMessage("Cannot evict pod as it would violate the pod's disruption budget.").build();
  }

  @Test
  void refusalsAreRetriedUntilThePdbLetsGo() {
    server.expect().post().withPath(EVICTION).andReturn(429, tooManyRequests()).times(3);
    server.expect().post().withPath(EVICTION).andReturn(201, new StatusBuilder().withStatus("Success").build()).once();

    new Evictions(client, Duration.ofMillis(10), heartbeats::add, refusals::incrementAndGet).evict(pod, Duration.ofSeconds(30));

    // a beat at each refusal and one after each wait
    assertEquals(6, heartbeats.size(), heartbeats.toString());
    assertTrue(heartbeats.get(5).contains("refused 3 time(s)"), heartbeats.get(5));
    assertEquals(3, refusals.get(), "each 429 is counted once, the 201 not at all");
  }

  @Test
  void aLongBackoffKeepsHeartbeatingSoTheShortestHeartbeatTimeoutHolds() {
    server.expect().post().withPath(EVICTION).andReturn(429, tooManyRequests()).once();
    server.expect().post().withPath(EVICTION).andReturn(201, new StatusBuilder().withStatus("Success").build()).once();
    List<Long> beatsAt = new ArrayList<>();

    // a first backoff of 3 s, as the 10 s a backoff grows to would be: longer than a 2 s heartbeat
    new Evictions(client, Duration.ofSeconds(3), what -> beatsAt.add(System.nanoTime()), refusals::incrementAndGet)
        .evict(pod, Duration.ofSeconds(30));

    assertTrue(beatsAt.size() >= 4, "a beat at the refusal and at least one a second while waiting: " + beatsAt.size());
    for (int i = 1; i < beatsAt.size(); i++) {
      long gapMillis = (beatsAt.get(i) - beatsAt.get(i - 1)) / 1_000_000;
      assertTrue(gapMillis <= 1_500, "no heartbeat for " + gapMillis + " ms");
    }
  }

  @Test
  void aBudgetThatNeverLetsGoBecomesANamedBlockerNotAForcedDelete() {
    server.expect().post().withPath(EVICTION).andReturn(429, tooManyRequests()).always();

    ApplicationFailure blocked = assertThrows(ApplicationFailure.class,
        () -> new Evictions(client, Duration.ofMillis(10), heartbeats::add, refusals::incrementAndGet).evict(pod, Duration.ofMillis(300)));

    assertEquals(FailureTypes.EVICTION_BLOCKED, blocked.getType());
    assertTrue(blocked.isNonRetryable());
    assertTrue(blocked.getOriginalMessage().contains("batch/nightly-pdb (0 disruptions allowed"),
        blocked.getOriginalMessage());
    assertTrue(heartbeats.size() >= 2, "the budget was not retried: " + heartbeats);
  }

  @Test
  void severalBudgetsOnOnePodAreReportedAsAMisconfiguration() {
    server.expect().post().withPath(EVICTION).andReturn(500, new StatusBuilder().withStatus("Failure").withCode(500)
        .withMessage("This pod has more than one PodDisruptionBudget, which the eviction subresource does not support.")
        .build()).once();

    ApplicationFailure blocked = assertThrows(ApplicationFailure.class,
        () -> new Evictions(client, Duration.ofMillis(10), heartbeats::add, refusals::incrementAndGet).evict(pod, Duration.ofSeconds(5)));

    assertEquals(FailureTypes.EVICTION_BLOCKED, blocked.getType());
    assertTrue(blocked.getOriginalMessage().contains("more than one PodDisruptionBudget"), blocked.getOriginalMessage());
    assertEquals(0, refusals.get(), "a misconfiguration is not a budget's refusal");
  }
}
