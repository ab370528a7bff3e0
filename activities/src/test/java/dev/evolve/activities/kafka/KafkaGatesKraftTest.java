package dev.evolve.activities.kafka;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertTrue;

import dev.evolve.workflows.model.GateResult;
import dev.evolve.workflows.model.KafkaTarget;
import java.time.Duration;
import java.util.List;
import java.util.concurrent.TimeUnit;
import org.apache.kafka.clients.admin.Admin;
import org.apache.kafka.clients.admin.TopicDescription;
import org.apache.kafka.common.TopicPartitionInfo;
import org.junit.jupiter.api.AfterAll;
import org.junit.jupiter.api.BeforeAll;
import org.junit.jupiter.api.Tag;
import org.junit.jupiter.api.Test;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;

/**
 * The gates against a real three-broker KRaft cluster: with one broker down, moving a second
 * one would take partitions below min.insync.replicas (and, every node being a controller too,
 * the KRaft quorum's caught-up majority) and is refused; once the first is back, the caught-up
 * wait completes and leadership returns to it. The active controller is the broker to move last.
 */
@Tag("integration")
class KafkaGatesKraftTest {

  private static final Logger log = LoggerFactory.getLogger(KafkaGatesKraftTest.class);

  static GatesOnCluster kafka;

  @BeforeAll
  static void startCluster() throws Exception {
    kafka = GatesOnCluster.start("Kafka 4.3.1", new KraftCluster());
  }

  @AfterAll
  static void stopCluster() throws Exception {
    if (kafka != null) {
      kafka.close();
    }
  }

  @Test
  void theGatesHoldTheLineWhileABrokerIsDownAndOpenWhenItIsBack() throws Exception {
    KafkaTarget target = kafka.target();

    GateResult healthy = kafka.gates.awaitSafeToMove(target, 1, 60);
    assertTrue(healthy.passed(), healthy.reason());
    assertTrue(healthy.reason().contains("controller quorum: 2 of 3 voters caught up without broker 1"),
        healthy.reason());

    long killed = System.currentTimeMillis();
    kafka.cluster.kill(2);
    // The gate can only know what Kafka knows: wait until the controller has fenced broker 2.
    kafka.cluster.awaitFencedOrGone(2, Duration.ofSeconds(60));
    log.info("Kafka noticed broker 2 was gone after {} ms", System.currentTimeMillis() - killed);
    GateResult refused = kafka.gates.awaitSafeToMove(target, 1, 10);
    log.info("gate for broker 1 with broker 2 down answered after {} ms: {}", System.currentTimeMillis() - killed,
        refused.reason());
    assertFalse(refused.passed(), "moving broker 1 while broker 2 is down must be refused");
    assertTrue(refused.reason().contains("below min.insync.replicas"), refused.reason());
    assertTrue(refused.reason().contains("orders-"), refused.reason());
    // every node is also a controller: with voter 2 dead, voter 1 leaving would cost the quorum its majority
    assertTrue(refused.reason().contains("broker 1 is a KRaft controller: without it 1 of 3 voters would be caught up"),
        refused.reason());
    assertTrue(refused.reason().contains("voter 2 ("), refused.reason());

    long restarted = System.currentTimeMillis();
    kafka.cluster.start(2);
    GateResult back = kafka.gates.awaitCaughtUp(target, 2, 120);
    log.info("broker 2 caught up {} ms after restart: {}", System.currentTimeMillis() - restarted, back.reason());
    assertTrue(back.passed(), back.reason());
    assertTrue(back.reason().contains("preferred leader election") || back.reason().contains("already leader"),
        back.reason());

    try (Admin admin = kafka.cluster.admin()) {
      TopicDescription orders = admin.describeTopics(List.of("orders")).allTopicNames().get(15, TimeUnit.SECONDS)
          .get("orders");
      for (TopicPartitionInfo p : orders.partitions()) {
        assertEquals(3, p.isr().size(), "partition " + p.partition() + " not fully in sync");
        if (p.replicas().get(0).id() == 2) {
          assertEquals(2, p.leader().id(), "leadership did not return to broker 2 for partition " + p.partition());
        }
      }
    }
    assertTrue(kafka.gates.awaitSafeToMove(target, 1, 30).passed(), "the cluster should be whole again");
  }

  @Test
  void theActiveControllerMovesLast() throws Exception {
    List<Integer> expected = kafka.activeControllerLast();
    List<Integer> order = kafka.gates.brokerMoveOrder(kafka.target(), List.of(0, 1, 2));
    log.info("brokers move in the order {}, the active controller last", order);
    assertEquals(expected, order);

    // a Kafka that does not answer leaves the order as it was
    assertEquals(List.of(2, 0, 1), kafka.gates.brokerMoveOrder(new KafkaTarget("127.0.0.1:1"), List.of(2, 0, 1)));
  }
}
