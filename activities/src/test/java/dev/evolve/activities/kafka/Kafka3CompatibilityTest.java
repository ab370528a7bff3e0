package dev.evolve.activities.kafka;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertTrue;

import dev.evolve.workflows.model.GateResult;
import dev.evolve.workflows.model.KafkaTarget;
import java.io.File;
import java.nio.file.Files;
import java.nio.file.Path;
import java.time.Duration;
import java.util.List;
import java.util.Set;
import java.util.concurrent.TimeUnit;
import org.apache.kafka.clients.admin.Admin;
import org.junit.jupiter.api.AfterAll;
import org.junit.jupiter.api.BeforeAll;
import org.junit.jupiter.api.Tag;
import org.junit.jupiter.api.Test;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;

/**
 * This build's Kafka client against a three-node KRaft cluster of Kafka 3.x brokers (the version
 * the activities pom copies into target/, kept off the test classpath): describeCluster's
 * includeFencedBrokers is a 4.0 flag, so the gates fall back to describeCluster without it, and
 * still refuse and pass for the right reasons, the controller quorum check included.
 */
@Tag("integration")
class Kafka3CompatibilityTest {

  private static final Logger log = LoggerFactory.getLogger(Kafka3CompatibilityTest.class);

  static final String VERSION = System.getProperty("kafka3.version", "3.9.2");

  static GatesOnCluster kafka;

  @BeforeAll
  static void startCluster() throws Exception {
    Path jars = Path.of(System.getProperty("kafka3.dir", "target/kafka-" + VERSION));
    assertTrue(Files.exists(jars.resolve("kafka_2.13-" + VERSION + ".jar")),
        "no Kafka " + VERSION + " in " + jars + ": the activities pom copies it at generate-test-resources");
    kafka = GatesOnCluster.start("Kafka " + VERSION, new KraftCluster(3, jars.toAbsolutePath() + File.separator + "*"));
  }

  @AfterAll
  static void stopCluster() throws Exception {
    if (kafka != null) {
      kafka.close();
    }
  }

  @Test
  void theGatesWorkOnKafka3() throws Exception {
    KafkaTarget target = kafka.target();

    try (Admin admin = kafka.cluster.admin()) {
      AdminReads reads = new AdminReads(admin, Duration.ofSeconds(5), () -> { });
      ClusterSnapshot snapshot = reads.snapshot();
      log.info("{}: describeCluster fallback {}; brokers {}; quorum leader {}, voters {}, fetch timeout {} ms", VERSION,
          reads.fencedBrokersListed() ? "not used" : "used (includeFencedBrokers refused)",
          snapshot.unfencedBrokers(), snapshot.quorum().leaderId(), snapshot.quorum().lastCaughtUp().keySet(),
          snapshot.quorum().fetchTimeoutMs());
      assertFalse(reads.fencedBrokersListed(), "a " + VERSION + " broker took the 4.0 flag includeFencedBrokers");
      assertEquals(Set.of(0, 1, 2), snapshot.unfencedBrokers());
      assertTrue(snapshot.quorum().known(), snapshot.quorum().unknownBecause());
      assertEquals(Set.of(0, 1, 2), snapshot.quorum().lastCaughtUp().keySet());
      assertEquals(2000, snapshot.quorum().fetchTimeoutMs(), "read from the broker's configuration");
    }

    GateResult healthy = kafka.gates.awaitSafeToMove(target, 1, 60);
    log.info("{}: gate for broker 1 on a whole cluster: {}", VERSION, healthy.reason());
    assertTrue(healthy.passed(), healthy.reason());
    assertTrue(healthy.reason().contains("controller quorum: 2 of 3 voters caught up without broker 1"),
        healthy.reason());

    kafka.cluster.kill(2);
    kafka.cluster.awaitFencedOrGone(2, Duration.ofSeconds(60));
    long asked = System.currentTimeMillis();
    GateResult refused = kafka.gates.awaitSafeToMove(target, 1, 10);
    log.info("{}: gate for broker 1 with broker 2 down answered after {} ms: {}", VERSION,
        System.currentTimeMillis() - asked, refused.reason());
    assertFalse(refused.passed(), "moving broker 1 while broker 2 is down must be refused");
    assertFalse(refused.reason().contains("unreachable"), refused.reason());
    assertTrue(refused.reason().contains("below min.insync.replicas"), refused.reason());
    assertTrue(refused.reason().contains("broker 1 is a KRaft controller: without it 1 of 3 voters would be caught up"),
        refused.reason());

    GateResult notBack = kafka.gates.awaitCaughtUp(target, 2, 3);
    log.info("{}: caught-up gate for the dead broker 2: {}", VERSION, notBack.reason());
    assertFalse(notBack.passed());
    assertTrue(notBack.reason().contains("broker 2 is not registered and unfenced yet"), notBack.reason());

    long restarted = System.currentTimeMillis();
    kafka.cluster.start(2);
    GateResult back = kafka.gates.awaitCaughtUp(target, 2, 120);
    log.info("{}: broker 2 caught up {} ms after restart: {}", VERSION, System.currentTimeMillis() - restarted,
        back.reason());
    assertTrue(back.passed(), back.reason());
    assertTrue(back.reason().contains("preferred leader election") || back.reason().contains("already leader"),
        back.reason());

    List<Integer> expected = kafka.activeControllerLast();
    List<Integer> order = kafka.gates.brokerMoveOrder(target, List.of(0, 1, 2));
    log.info("{}: move order {}, the active controller last", VERSION, order);
    assertEquals(expected, order);
  }
}
