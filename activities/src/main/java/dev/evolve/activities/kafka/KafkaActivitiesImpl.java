package dev.evolve.activities.kafka;

import dev.evolve.activities.ActivityMetrics;

import dev.evolve.workflows.activities.FailureTypes;
import dev.evolve.workflows.activities.KafkaActivities;
import dev.evolve.workflows.model.GateResult;
import dev.evolve.workflows.model.KafkaTarget;
import io.temporal.activity.Activity;
import io.temporal.failure.ApplicationFailure;
import java.time.Duration;
import java.util.ArrayList;
import java.util.List;
import java.util.Properties;
import java.util.concurrent.CompletableFuture;
import java.util.concurrent.ExecutionException;
import java.util.concurrent.ExecutorService;
import java.util.concurrent.Executors;
import java.util.concurrent.TimeUnit;
import java.util.concurrent.TimeoutException;
import java.util.concurrent.atomic.AtomicReference;
import java.util.function.Function;
import org.apache.kafka.clients.admin.Admin;
import org.apache.kafka.clients.admin.AdminClientConfig;
import org.apache.kafka.common.KafkaException;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;

/**
 * The Kafka gates on the Admin API. They poll until the rules in {@link BrokerGates} hold or the
 * budget runs out; "not healthy yet" and "unreachable" are answers, not failures, so the
 * workflow can pause and ask a human instead of moving on.
 */
public class KafkaActivitiesImpl implements KafkaActivities {

  private static final Logger log = LoggerFactory.getLogger(KafkaActivitiesImpl.class);

  /**
   * How long one Admin call (and the client's creation) may take. Well below the gates' heartbeat
   * timeout (60 s by default, 5 s at the least a request may set): a gate heartbeats before each
   * call, so a Kafka that does not answer never makes Temporal think the worker died.
   */
  static final Duration CALL_TIMEOUT = Duration.ofSeconds(5);
  /** The client's own defaults to match, unless the worker's client properties say otherwise. */
  static final int REQUEST_TIMEOUT_MS = 5000;
  static final int DEFAULT_API_TIMEOUT_MS = 8000;

  /** Creates Admin clients off the activity thread, so that a creation that hangs can be left behind. */
  private static final ExecutorService CREATOR = Executors.newCachedThreadPool(r -> {
    Thread thread = new Thread(r, "kafka-admin-create");
    thread.setDaemon(true);
    return thread;
  });

  private final KafkaClientConfig workerDefaults;
  private final Duration pollInterval;

  public KafkaActivitiesImpl(KafkaClientConfig workerDefaults) {
    this(workerDefaults, Duration.ofSeconds(5));
  }

  public KafkaActivitiesImpl(KafkaClientConfig workerDefaults, Duration pollInterval) {
    this.workerDefaults = workerDefaults;
    this.pollInterval = pollInterval;
  }

  @Override
  public GateResult awaitSafeToMove(KafkaTarget kafka, int brokerId, long budgetSeconds) {
    return poll(kafka, budgetSeconds, snapshot -> BrokerGates.safeToMove(snapshot, brokerId), null);
  }

  @Override
  public GateResult awaitCaughtUp(KafkaTarget kafka, int brokerId, long budgetSeconds) {
    return poll(kafka, budgetSeconds, snapshot -> BrokerGates.caughtUp(snapshot, brokerId),
        (reads, snapshot) -> reads.electPreferredLeaders(snapshot, brokerId));
  }

  @Override
  public List<Integer> brokerMoveOrder(KafkaTarget kafka, List<Integer> brokerIds) {
    Admin admin = null;
    try {
      admin = createAdmin(clientProperties(kafka), CALL_TIMEOUT);
      int leader = new AdminReads(admin, CALL_TIMEOUT, () -> { }).activeController();
      if (!brokerIds.contains(leader)) {
        log.info("active controller {} is none of brokers {}: order kept", leader, brokerIds);
        return brokerIds;
      }
      List<Integer> order = new ArrayList<>(brokerIds);
      order.remove(Integer.valueOf(leader));
      order.add(leader);
      log.info("brokers {} move in the order {}: {} is the active controller", brokerIds, order, leader);
      return order;
    } catch (InterruptedException e) {
      Thread.currentThread().interrupt();
      return brokerIds;
    } catch (Exception e) {
      // an order is a preference, never a reason to stop: the gates still guard every move
      log.warn("active controller not known ({}): brokers {} move in the given order", AdminReads.why(e), brokerIds);
      return brokerIds;
    } finally {
      close(admin);
    }
  }

  /** The part of a gate run after it passed (the preferred leader election), answering what it did. */
  private interface AfterPassing {
    String apply(AdminReads reads, ClusterSnapshot snapshot) throws InterruptedException;
  }

  private GateResult poll(KafkaTarget kafka, long budgetSeconds,
      Function<ClusterSnapshot, BrokerGates.Verdict> gate, AfterPassing afterPassing) {
    long started = System.currentTimeMillis();
    long deadline = started + budgetSeconds * 1000;
    Duration heartbeatTimeout = Activity.getExecutionContext().getInfo().getHeartbeatTimeout();
    Duration callTimeout = callTimeout(heartbeatTimeout);
    Duration sleep = pause(pollInterval, heartbeatTimeout);
    // what the last check found: every heartbeat carries it
    AtomicReference<String> last = new AtomicReference<>("not checked yet");
    Runnable heartbeat = () -> Activity.getExecutionContext().heartbeat(last.get());
    Properties properties = clientProperties(kafka);
    Admin admin = null;
    AdminReads reads = null;
    // counted once per gate run, however many of its reads see it
    boolean belowMinIsrCounted = false;
    try {
      while (true) {
        try {
          if (admin == null) {
            heartbeat.run();
            admin = createAdmin(properties, callTimeout);
            reads = new AdminReads(admin, callTimeout, heartbeat);
          }
          ClusterSnapshot snapshot = reads.snapshot();
          if (!belowMinIsrCounted && BrokerGates.anyBelowMinIsr(snapshot)) {
            belowMinIsrCounted = true;
            ActivityMetrics.disruptionSeen(ActivityMetrics.KAFKA_PARTITION_BELOW_MIN_ISR);
          }
          BrokerGates.Verdict verdict = gate.apply(snapshot);
          last.set(verdict.reason());
          if (verdict.passed()) {
            heartbeat.run();
            String extra = afterPassing == null ? "" : "; " + afterPassing.apply(reads, snapshot);
            return GateResult.passed(verdict.reason() + extra, (System.currentTimeMillis() - started) / 1000);
          }
        } catch (ExecutionException | TimeoutException e) {
          last.set("Kafka unreachable or not answering: " + AdminReads.why(e));
        }
        heartbeat.run();
        if (System.currentTimeMillis() + sleep.toMillis() > deadline) {
          long waited = (System.currentTimeMillis() - started) / 1000;
          return GateResult.refused(last.get() + " (still so after " + waited + "s)", waited);
        }
        Thread.sleep(sleep.toMillis());
      }
    } catch (InterruptedException e) {
      Thread.currentThread().interrupt();
      throw ApplicationFailure.newFailure("interrupted", "Interrupted");
    } finally {
      close(admin);
    }
  }

  /** A call may take half the heartbeat timeout at most (a second at the least), and never more than 5 s. */
  static Duration callTimeout(Duration heartbeatTimeout) {
    if (heartbeatTimeout == null || heartbeatTimeout.isZero()) {
      return CALL_TIMEOUT;
    }
    Duration half = heartbeatTimeout.dividedBy(2);
    return half.compareTo(CALL_TIMEOUT) < 0 ? (half.toMillis() < 1000 ? Duration.ofSeconds(1) : half) : CALL_TIMEOUT;
  }

  /** The sleep between two checks: the poll interval, but never half the heartbeat timeout or more. */
  static Duration pause(Duration pollInterval, Duration heartbeatTimeout) {
    if (heartbeatTimeout == null || heartbeatTimeout.isZero()) {
      return pollInterval;
    }
    Duration half = heartbeatTimeout.dividedBy(2);
    return pollInterval.compareTo(half) < 0 ? pollInterval : half;
  }

  /**
   * Admin.create resolves the bootstrap names and, with SASL, logs in: either can hang. It runs on
   * its own thread; one that is not done in time is closed whenever it finishes. A client that
   * cannot be made at all (a malformed bootstrap list, bad security settings) is the caller's
   * mistake, and retrying will not fix it.
   */
  private Admin createAdmin(Properties properties, Duration timeout) throws TimeoutException, InterruptedException {
    CompletableFuture<Admin> creating = CompletableFuture.supplyAsync(() -> Admin.create(properties), CREATOR);
    try {
      return creating.get(timeout.toMillis(), TimeUnit.MILLISECONDS);
    } catch (TimeoutException e) {
      creating.thenAccept(KafkaActivitiesImpl::close);
      throw new TimeoutException("Kafka client not created within " + timeout.toMillis() + " ms");
    } catch (ExecutionException e) {
      Throwable cause = e.getCause();
      if (cause instanceof KafkaException) {
        throw ApplicationFailure.newNonRetryableFailure("cannot create a Kafka client for '"
            + properties.getProperty(AdminClientConfig.BOOTSTRAP_SERVERS_CONFIG) + "': " + cause.getMessage(),
            FailureTypes.INVALID_ARGUMENT);
      }
      throw new IllegalStateException("creating a Kafka client failed", cause);
    }
  }

  private static void close(Admin admin) {
    if (admin != null) {
      // calls still pending have their own timeouts; do not wait for them
      admin.close(Duration.ZERO);
    }
  }

  /**
   * The worker's client properties with the request's bootstrap list, and request timeouts that
   * fit the per-call timeout unless the worker chose its own (then kept consistent: Kafka refuses
   * a default.api.timeout.ms below request.timeout.ms).
   */
  Properties clientProperties(KafkaTarget kafka) {
    Properties properties = new Properties();
    properties.putAll(workerDefaults.clientProperties());
    properties.put(AdminClientConfig.BOOTSTRAP_SERVERS_CONFIG, bootstrap(kafka));
    properties.putIfAbsent(AdminClientConfig.REQUEST_TIMEOUT_MS_CONFIG, String.valueOf(REQUEST_TIMEOUT_MS));
    long requestTimeout = Long.parseLong(properties.get(AdminClientConfig.REQUEST_TIMEOUT_MS_CONFIG).toString());
    properties.putIfAbsent(AdminClientConfig.DEFAULT_API_TIMEOUT_MS_CONFIG,
        String.valueOf(Math.max(DEFAULT_API_TIMEOUT_MS, requestTimeout)));
    return properties;
  }

  private String bootstrap(KafkaTarget kafka) {
    String bootstrap = kafka != null && kafka.bootstrapServers() != null ? kafka.bootstrapServers()
        : workerDefaults.bootstrapServers();
    if (bootstrap == null || bootstrap.isBlank()) {
      throw ApplicationFailure.newNonRetryableFailure("no Kafka bootstrap servers: set kafka.bootstrapServers in the "
          + "request or EVOLVE_KAFKA_BOOTSTRAP_SERVERS for the worker", FailureTypes.INVALID_ARGUMENT);
    }
    return bootstrap;
  }
}
