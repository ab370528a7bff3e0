package dev.evolve.activities.kafka;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertTrue;
import static org.mockito.ArgumentMatchers.any;
import static org.mockito.ArgumentMatchers.anySet;
import static org.mockito.ArgumentMatchers.eq;
import static org.mockito.Mockito.mock;
import static org.mockito.Mockito.when;

import dev.evolve.activities.kafka.ClusterSnapshot.Partition;
import dev.evolve.workflows.activities.KafkaActivities;
import dev.evolve.workflows.model.GateResult;
import dev.evolve.workflows.model.KafkaTarget;
import io.temporal.activity.ActivityOptions;
import io.temporal.common.RetryOptions;
import io.temporal.testing.TestActivityEnvironment;
import java.io.IOException;
import java.net.InetAddress;
import java.net.ServerSocket;
import java.net.Socket;
import java.time.Duration;
import java.util.ArrayList;
import java.util.Collections;
import java.util.List;
import java.util.Properties;
import java.util.Set;
import java.util.function.Supplier;
import org.apache.kafka.clients.admin.Admin;
import org.apache.kafka.clients.admin.AdminClientConfig;
import org.apache.kafka.clients.admin.ElectLeadersOptions;
import org.apache.kafka.clients.admin.ElectLeadersResult;
import org.apache.kafka.common.ElectionType;
import org.apache.kafka.common.internals.KafkaFutureImpl;
import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.BeforeEach;
import org.junit.jupiter.api.Test;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;

/**
 * A Kafka that does not answer must not look like a dead worker: the gates heartbeat on every
 * check and before every Admin call, each call gives up on its own timeout, and the gate answers
 * "refused: unreachable" within its budget instead of running into the heartbeat timeout.
 */
class GatesUnderSilenceTest {

  private static final Logger log = LoggerFactory.getLogger(GatesUnderSilenceTest.class);

  /** The least heartbeat timeout a request may set (RequestValidator). */
  static final Duration HEARTBEAT_TIMEOUT = Duration.ofSeconds(5);
  static final long BUDGET_SECONDS = 12;

  ServerSocket silent;
  final List<Socket> held = Collections.synchronizedList(new ArrayList<>());
  final List<Long> heartbeats = Collections.synchronizedList(new ArrayList<>());
  TestActivityEnvironment env;
  KafkaActivities gates;

  @BeforeEach
  void setUp() throws IOException {
    // accepts every connection and never says a word: a broker hung in GC, or a half-open proxy
    silent = new ServerSocket(0, 50, InetAddress.getLoopbackAddress());
    Thread acceptor = new Thread(() -> {
      while (!silent.isClosed()) {
        try {
          held.add(silent.accept());
        } catch (IOException closed) {
          return;
        }
      }
    }, "silent-kafka");
    acceptor.setDaemon(true);
    acceptor.start();
    env = TestActivityEnvironment.newInstance();
    env.setActivityHeartbeatListener(String.class, details -> heartbeats.add(System.currentTimeMillis()));
    env.registerActivitiesImplementations(new KafkaActivitiesImpl(new KafkaClientConfig(null, new Properties()),
        Duration.ofSeconds(5)));
    gates = env.newActivityStub(KafkaActivities.class, ActivityOptions.newBuilder()
        .setStartToCloseTimeout(Duration.ofSeconds(BUDGET_SECONDS + 120)).setHeartbeatTimeout(HEARTBEAT_TIMEOUT)
        .setRetryOptions(RetryOptions.newBuilder().setMaximumAttempts(1).build()).build());
  }

  @AfterEach
  void tearDown() throws IOException {
    env.close();
    silent.close();
    for (Socket socket : held) {
      socket.close();
    }
  }

  @Test
  void aGateKeepsHeartbeatingWhileKafkaAcceptsButNeverAnswers() {
    GateResult result = timed("silent broker", () -> gates.awaitSafeToMove(
        new KafkaTarget("127.0.0.1:" + silent.getLocalPort()), 1, BUDGET_SECONDS));
    assertFalse(result.passed());
    assertTrue(result.reason().startsWith("Kafka unreachable or not answering"), result.reason());
    assertFalse(held.isEmpty(), "the client never even connected");
  }

  @Test
  void aGateKeepsHeartbeatingWhileNothingListens() throws IOException {
    int closed;
    try (ServerSocket gone = new ServerSocket(0, 1, InetAddress.getLoopbackAddress())) {
      closed = gone.getLocalPort();
    }
    GateResult result = timed("closed port", () -> gates.awaitCaughtUp(new KafkaTarget("127.0.0.1:" + closed), 1,
        BUDGET_SECONDS));
    assertFalse(result.passed());
    assertTrue(result.reason().startsWith("Kafka unreachable or not answering"), result.reason());
  }

  /** Runs the gate, then checks its time against the budget and the gaps between its heartbeats. */
  private GateResult timed(String what, Supplier<GateResult> gate) {
    long started = System.currentTimeMillis();
    GateResult result = gate.get();
    long ended = System.currentTimeMillis();
    List<Long> beats = new ArrayList<>(heartbeats);
    long longestGap = 0;
    long previous = started;
    for (long beat : beats) {
      longestGap = Math.max(longestGap, beat - previous);
      previous = beat;
    }
    longestGap = Math.max(longestGap, ended - previous);
    log.info("{}: refused after {} ms (budget {} s), {} heartbeats, longest gap {} ms (timeout {} ms): {}", what,
        ended - started, BUDGET_SECONDS, beats.size(), longestGap, HEARTBEAT_TIMEOUT.toMillis(), result.reason());
    // one check may start just before the budget ends: at most one call past it (half the heartbeat timeout)
    assertTrue(ended - started < BUDGET_SECONDS * 1000 + HEARTBEAT_TIMEOUT.toMillis(),
        what + ": the gate took " + (ended - started) + " ms");
    assertTrue(beats.size() >= 2, what + ": " + beats.size() + " heartbeats");
    assertTrue(longestGap < HEARTBEAT_TIMEOUT.toMillis(), what + ": no heartbeat for " + longestGap + " ms");
    return result;
  }

  @Test
  void aPreferredLeaderElectionThatNeverAnswersIsGivenUpAfterItsTimeout() throws Exception {
    Admin admin = mock(Admin.class);
    ElectLeadersResult pending = mock(ElectLeadersResult.class);
    when(admin.electLeaders(eq(ElectionType.PREFERRED), anySet(), any(ElectLeadersOptions.class))).thenReturn(pending);
    when(pending.partitions()).thenReturn(new KafkaFutureImpl<>());
    ClusterSnapshot snapshot = new ClusterSnapshot(Set.of(0, 1, 2),
        List.of(new Partition("orders", 0, List.of(1, 0, 2), List.of(0, 1, 2), 0, 2)));

    long started = System.currentTimeMillis();
    String outcome = new AdminReads(admin, Duration.ofSeconds(1), () -> { }).electPreferredLeaders(snapshot, 1);
    long took = System.currentTimeMillis() - started;

    log.info("an election without answer given up after {} ms: {}", took, outcome);
    assertTrue(outcome.startsWith("preferred leader election not completed"), outcome);
    assertTrue(took < 3000, "took " + took + " ms");
  }

  @Test
  void timeoutsFitTheHeartbeatTimeoutAndTheWorkersChoice() {
    assertEquals(Duration.ofSeconds(5), KafkaActivitiesImpl.callTimeout(Duration.ofSeconds(60)));
    assertEquals(Duration.ofMillis(2500), KafkaActivitiesImpl.callTimeout(Duration.ofSeconds(5)));
    assertEquals(Duration.ofSeconds(5), KafkaActivitiesImpl.callTimeout(Duration.ZERO));
    assertEquals(Duration.ofMillis(2500), KafkaActivitiesImpl.pause(Duration.ofSeconds(5), Duration.ofSeconds(5)));
    assertEquals(Duration.ofSeconds(5), KafkaActivitiesImpl.pause(Duration.ofSeconds(5), Duration.ofSeconds(60)));

    Properties defaults = new KafkaActivitiesImpl(new KafkaClientConfig("k:9092", new Properties()))
        .clientProperties(null);
    assertEquals("5000", defaults.get(AdminClientConfig.REQUEST_TIMEOUT_MS_CONFIG));
    assertEquals("8000", defaults.get(AdminClientConfig.DEFAULT_API_TIMEOUT_MS_CONFIG));
    Properties patient = new Properties();
    patient.put(AdminClientConfig.REQUEST_TIMEOUT_MS_CONFIG, "30000");
    Properties chosen = new KafkaActivitiesImpl(new KafkaClientConfig("k:9092", patient)).clientProperties(null);
    assertEquals("30000", chosen.get(AdminClientConfig.REQUEST_TIMEOUT_MS_CONFIG));
    assertEquals("30000", chosen.get(AdminClientConfig.DEFAULT_API_TIMEOUT_MS_CONFIG),
        "Kafka refuses a default.api.timeout.ms below request.timeout.ms");
  }
}
