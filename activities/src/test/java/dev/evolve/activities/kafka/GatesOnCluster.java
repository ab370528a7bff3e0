package dev.evolve.activities.kafka;

import dev.evolve.workflows.activities.KafkaActivities;
import dev.evolve.workflows.model.KafkaTarget;
import io.temporal.activity.ActivityOptions;
import io.temporal.common.RetryOptions;
import io.temporal.testing.TestActivityEnvironment;
import java.time.Duration;
import java.util.ArrayList;
import java.util.List;
import java.util.Properties;
import java.util.concurrent.TimeUnit;
import org.apache.kafka.clients.admin.Admin;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;

/**
 * A real three-node cluster, up and holding the topic the tests judge, and the Kafka activities
 * to call on it as a worker would: in a test activity environment, polling every 500 ms, one
 * attempt, with a gate's heartbeat timeout. Closing it stops both.
 */
final class GatesOnCluster implements AutoCloseable {

  private static final Logger log = LoggerFactory.getLogger(GatesOnCluster.class);

  final KraftCluster cluster;
  final KafkaActivities gates;
  private final TestActivityEnvironment env;

  private GatesOnCluster(KraftCluster cluster) {
    this.cluster = cluster;
    env = TestActivityEnvironment.newInstance();
    env.registerActivitiesImplementations(new KafkaActivitiesImpl(
        new KafkaClientConfig(null, new Properties()), Duration.ofMillis(500)));
    gates = env.newActivityStub(KafkaActivities.class, ActivityOptions.newBuilder()
        .setStartToCloseTimeout(Duration.ofMinutes(3)).setHeartbeatTimeout(Duration.ofSeconds(30))
        .setRetryOptions(RetryOptions.newBuilder().setMaximumAttempts(1).build()).build());
  }

  /** Waits for the cluster's three brokers (closing it if they never come) and creates the topic. */
  static GatesOnCluster start(String what, KraftCluster cluster) throws Exception {
    long started = System.currentTimeMillis();
    try {
      cluster.awaitBrokers(3, Duration.ofSeconds(120));
      log.info("{}: KRaft cluster of 3 up in {} ms", what, System.currentTimeMillis() - started);
      cluster.createOrdersTopic();
    } catch (Exception e) {
      cluster.close();
      throw e;
    }
    return new GatesOnCluster(cluster);
  }

  KafkaTarget target() {
    return new KafkaTarget(cluster.bootstrap());
  }

  /** Brokers 0, 1, 2 with the active controller, as Kafka names it now, moved to the end. */
  List<Integer> activeControllerLast() throws Exception {
    int leader;
    try (Admin admin = cluster.admin()) {
      leader = admin.describeMetadataQuorum().quorumInfo().get(15, TimeUnit.SECONDS).leaderId();
    }
    List<Integer> order = new ArrayList<>(List.of(0, 1, 2));
    order.remove(Integer.valueOf(leader));
    order.add(leader);
    return order;
  }

  @Override
  public void close() throws Exception {
    env.close();
    cluster.close();
  }
}
