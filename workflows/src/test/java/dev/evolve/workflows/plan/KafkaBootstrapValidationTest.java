package dev.evolve.workflows.plan;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertTrue;

import dev.evolve.workflows.model.KafkaRotation;
import dev.evolve.workflows.model.UpgradeRequest;
import java.util.List;
import org.junit.jupiter.api.Test;

/** The gates read Kafka through its Admin API, so the request must name brokers, nothing else. */
class KafkaBootstrapValidationTest {

  private static List<String> problemsWith(String bootstrap) {
    UpgradeRequest request = UpgradeRequest.builder("p", "europe-west1", "c", "default-pool", "1.33.5-gke.1201000")
        .kafka(new KafkaRotation("kafka", "kafka", bootstrap, 0, 60L, 600L)).build();
    return RequestValidator.problems(request);
  }

  @Test
  void brokerListsAreAccepted() {
    for (String ok : List.of("kafka-0.kafka.kafka.svc:9092", "127.0.0.1:9092, 127.0.0.1:9093",
        "[::1]:9092", "b-1.msk.example.com:9098,b-2.msk.example.com:9098")) {
      assertEquals(List.of(), problemsWith(ok), ok);
    }
    assertEquals(List.of(), problemsWith(null), "left out: the worker's own bootstrap list");
  }

  @Test
  void aPodReadinessShortcutIsNotKafka() {
    List<String> problems = problemsWith("pods://kafka/kafka");

    assertEquals(1, problems.size(), problems.toString());
    assertTrue(problems.get(0).startsWith("kafka.bootstrapServers must be HOST:PORT"), problems.get(0));
    assertTrue(problems.get(0).contains("pods://kafka/kafka"), problems.get(0));
  }

  @Test
  void aPortIsRequired() {
    assertEquals(1, problemsWith("kafka-0.kafka:9092,kafka-1.kafka").size());
  }
}
