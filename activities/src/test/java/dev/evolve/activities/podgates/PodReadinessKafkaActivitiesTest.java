package dev.evolve.activities.podgates;

import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertTrue;

import dev.evolve.workflows.activities.KafkaActivities;
import dev.evolve.workflows.model.GateResult;
import dev.evolve.workflows.model.KafkaTarget;
import io.fabric8.kubernetes.api.model.LabelSelectorBuilder;
import io.fabric8.kubernetes.api.model.PodBuilder;
import io.fabric8.kubernetes.api.model.apps.StatefulSetBuilder;
import io.fabric8.kubernetes.client.KubernetesClient;
import io.fabric8.kubernetes.client.server.mock.EnableKubernetesMockClient;
import io.temporal.activity.ActivityOptions;
import io.temporal.common.RetryOptions;
import io.temporal.testing.TestActivityEnvironment;
import java.time.Duration;
import java.time.Instant;
import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.BeforeEach;
import org.junit.jupiter.api.Test;

@EnableKubernetesMockClient(crud = true)
class PodReadinessKafkaActivitiesTest {

  static final KafkaTarget KAFKA = new KafkaTarget("pods://kafka/kafka");

  KubernetesClient client;
  TestActivityEnvironment env;
  KafkaActivities gates;

  @BeforeEach
  void setUp() {
    client.apps().statefulSets().inNamespace("kafka").resource(new StatefulSetBuilder()
        .withNewMetadata().withName("kafka").withNamespace("kafka").endMetadata()
        .withNewSpec().withReplicas(3).withSelector(new LabelSelectorBuilder().addToMatchLabels("app", "kafka").build())
        .endSpec().build()).create();
    env = TestActivityEnvironment.newInstance();
    env.registerActivitiesImplementations(new PodReadinessKafkaActivities(client, Duration.ofSeconds(60),
        Duration.ofMillis(50)));
    gates = env.newActivityStub(KafkaActivities.class, ActivityOptions.newBuilder()
        .setStartToCloseTimeout(Duration.ofSeconds(30))
        .setRetryOptions(RetryOptions.newBuilder().setMaximumAttempts(1).build()).build());
  }

  @AfterEach
  void tearDown() {
    env.close();
  }

  void broker(int id, boolean ready, Instant readySince, String caughtUpAt) {
    var pod = new PodBuilder().withNewMetadata().withName("kafka-" + id).withNamespace("kafka")
        .addToLabels("app", "kafka").endMetadata()
        .withNewStatus().withPhase("Running").addNewCondition().withType("Ready").withStatus(ready ? "True" : "False")
        .withLastTransitionTime(readySince.toString()).endCondition().endStatus();
    if (caughtUpAt != null) {
      pod.editMetadata().addToAnnotations(PodReadinessKafkaActivities.CAUGHT_UP_AT, caughtUpAt).endMetadata();
    }
    client.pods().inNamespace("kafka").resource(pod.build()).createOr(p -> p.update());
  }

  @Test
  void safeToMoveOnlyWhenEveryOtherBrokerIsReadyAndCaughtUp() {
    Instant longAgo = Instant.now().minusSeconds(600);
    broker(0, true, longAgo, null);
    broker(1, true, longAgo, null);
    broker(2, false, longAgo, null);
    GateResult refused = gates.awaitSafeToMove(KAFKA, 0, 1);
    assertFalse(refused.passed());
    assertTrue(refused.reason().contains("kafka-2 is not Ready"), refused.reason());
    // broker 2 itself may go: 0 and 1 are Ready for longer than the catch-up time
    assertTrue(gates.awaitSafeToMove(KAFKA, 2, 1).passed());
  }

  @Test
  void caughtUpByAnnotationOrByReadyTime() {
    broker(0, true, Instant.now(), Instant.now().minusSeconds(1).toString());
    broker(1, true, Instant.now(), null);
    assertTrue(gates.awaitCaughtUp(KAFKA, 0, 1).passed());
    GateResult notYet = gates.awaitCaughtUp(KAFKA, 1, 1);
    assertFalse(notYet.passed());
    assertTrue(notYet.reason().contains("catch-up time"), notYet.reason());
  }
}
