package dev.evolve.activities.kafka;

import dev.evolve.workflows.activities.FailureTypes;
import dev.evolve.workflows.activities.KafkaActivities;
import dev.evolve.workflows.model.GateResult;
import dev.evolve.workflows.model.KafkaTarget;
import io.temporal.activity.Activity;
import io.temporal.failure.ApplicationFailure;
import java.time.Duration;
import java.util.ArrayList;
import java.util.HashMap;
import java.util.HashSet;
import java.util.List;
import java.util.Map;
import java.util.Properties;
import java.util.Set;
import java.util.concurrent.ExecutionException;
import java.util.concurrent.TimeUnit;
import java.util.function.BiFunction;
import java.util.stream.Collectors;
import org.apache.kafka.clients.admin.Admin;
import org.apache.kafka.clients.admin.AdminClientConfig;
import org.apache.kafka.clients.admin.Config;
import org.apache.kafka.clients.admin.ConfigEntry;
import org.apache.kafka.clients.admin.DescribeClusterOptions;
import org.apache.kafka.clients.admin.ListTopicsOptions;
import org.apache.kafka.clients.admin.QuorumInfo;
import org.apache.kafka.clients.admin.TopicDescription;
import org.apache.kafka.common.ElectionType;
import org.apache.kafka.common.Node;
import org.apache.kafka.common.TopicPartition;
import org.apache.kafka.common.config.ConfigResource;
import org.apache.kafka.common.config.TopicConfig;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;

/**
 * The Kafka gates on the Admin API. They poll until the rules in {@link BrokerGates} hold or the
 * budget runs out; "not healthy yet" and "unreachable" are answers, not failures, so the
 * workflow can pause and ask a human instead of moving on.
 */
public class KafkaActivitiesImpl implements KafkaActivities {

  private static final Logger log = LoggerFactory.getLogger(KafkaActivitiesImpl.class);

  private static final String QUORUM_FETCH_TIMEOUT = "controller.quorum.fetch.timeout.ms";

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
    return poll(kafka, budgetSeconds, (admin, snapshot) -> BrokerGates.safeToMove(snapshot, brokerId), null);
  }

  @Override
  public GateResult awaitCaughtUp(KafkaTarget kafka, int brokerId, long budgetSeconds) {
    return poll(kafka, budgetSeconds, (admin, snapshot) -> BrokerGates.caughtUp(snapshot, brokerId),
        (admin, snapshot) -> electPreferredLeaders(admin, snapshot, brokerId));
  }

  @Override
  public List<Integer> brokerMoveOrder(KafkaTarget kafka, List<Integer> brokerIds) {
    try (Admin admin = Admin.create(clientProperties(kafka))) {
      int leader = admin.describeMetadataQuorum().quorumInfo().get(10, TimeUnit.SECONDS).leaderId();
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
      log.warn("active controller not known ({}): brokers {} move in the given order", e.getMessage(), brokerIds);
      return brokerIds;
    }
  }

  private GateResult poll(KafkaTarget kafka, long budgetSeconds,
      BiFunction<Admin, ClusterSnapshot, BrokerGates.Verdict> gate,
      BiFunction<Admin, ClusterSnapshot, String> afterPassing) {
    long started = System.currentTimeMillis();
    long deadline = started + budgetSeconds * 1000;
    String last = "not checked yet";
    try (Admin admin = Admin.create(clientProperties(kafka))) {
      while (true) {
        try {
          ClusterSnapshot snapshot = snapshot(admin);
          BrokerGates.Verdict verdict = gate.apply(admin, snapshot);
          last = verdict.reason();
          if (verdict.passed()) {
            String extra = afterPassing == null ? "" : "; " + afterPassing.apply(admin, snapshot);
            return GateResult.passed(last + extra, (System.currentTimeMillis() - started) / 1000);
          }
        } catch (ExecutionException | java.util.concurrent.TimeoutException e) {
          last = "Kafka unreachable or not answering: " + e.getMessage();
        }
        Activity.getExecutionContext().heartbeat(last);
        if (System.currentTimeMillis() + pollInterval.toMillis() > deadline) {
          long waited = (System.currentTimeMillis() - started) / 1000;
          return GateResult.refused(last + " (still so after " + waited + "s)", waited);
        }
        sleep(pollInterval);
      }
    } catch (InterruptedException e) {
      Thread.currentThread().interrupt();
      throw ApplicationFailure.newFailure("interrupted", "Interrupted");
    } catch (org.apache.kafka.common.KafkaException e) {
      throw ApplicationFailure.newNonRetryableFailure("cannot create a Kafka client for '" + bootstrap(kafka) + "': "
          + e.getMessage(), FailureTypes.INVALID_ARGUMENT);
    }
  }

  static ClusterSnapshot snapshot(Admin admin) throws ExecutionException, InterruptedException,
      java.util.concurrent.TimeoutException {
    Set<Integer> unfenced = admin.describeCluster(new DescribeClusterOptions().includeFencedBrokers(true)).nodes()
        .get(10, TimeUnit.SECONDS).stream().filter(n -> !n.isFenced()).map(Node::id).collect(Collectors.toSet());
    Set<String> topics = admin.listTopics(new ListTopicsOptions().listInternal(true)).names().get(10, TimeUnit.SECONDS);
    Map<String, TopicDescription> descriptions = admin.describeTopics(topics).allTopicNames().get(10, TimeUnit.SECONDS);
    List<ConfigResource> resources = topics.stream()
        .map(t -> new ConfigResource(ConfigResource.Type.TOPIC, t)).toList();
    Map<ConfigResource, Config> configs = admin.describeConfigs(resources).all().get(10, TimeUnit.SECONDS);
    List<ClusterSnapshot.Partition> partitions = new ArrayList<>();
    for (TopicDescription topic : descriptions.values()) {
      Config config = configs.get(new ConfigResource(ConfigResource.Type.TOPIC, topic.name()));
      int minIsr = config == null || config.get(TopicConfig.MIN_IN_SYNC_REPLICAS_CONFIG) == null ? 1
          : Integer.parseInt(config.get(TopicConfig.MIN_IN_SYNC_REPLICAS_CONFIG).value());
      topic.partitions().forEach(p -> partitions.add(new ClusterSnapshot.Partition(topic.name(), p.partition(),
          p.replicas().stream().map(Node::id).toList(), p.isr().stream().map(Node::id).toList(),
          p.leader() == null ? -1 : p.leader().id(), minIsr)));
    }
    return new ClusterSnapshot(unfenced, partitions, quorum(admin, unfenced));
  }

  /**
   * The KRaft quorum as its leader sees it. A cluster that cannot describe it (ZooKeeper-era
   * brokers answer UnsupportedVersionException, a principal without DESCRIBE on the cluster an
   * authorization error) is still a cluster the other rules can judge: say why, and go on.
   */
  static ClusterSnapshot.Quorum quorum(Admin admin, Set<Integer> unfenced) throws InterruptedException {
    QuorumInfo info;
    try {
      info = admin.describeMetadataQuorum().quorumInfo().get(10, TimeUnit.SECONDS);
    } catch (ExecutionException | java.util.concurrent.TimeoutException e) {
      Throwable cause = e.getCause() != null ? e.getCause() : e;
      return ClusterSnapshot.Quorum.unknown("cannot describe the metadata quorum: " + cause.getClass().getSimpleName()
          + ": " + cause.getMessage());
    }
    Map<Integer, Long> caughtUp = new HashMap<>();
    info.voters().forEach(v -> caughtUp.put(v.replicaId(), v.lastCaughtUpTimestamp().orElse(-1)));
    return new ClusterSnapshot.Quorum(info.leaderId(), caughtUp, fetchTimeoutMs(admin, info.leaderId(), unfenced),
        null);
  }

  /**
   * controller.quorum.fetch.timeout.ms as a broker reports it (every node of a cluster shares it);
   * the leader if it is also a broker, else any unfenced broker. Kafka's default when unreadable.
   */
  private static long fetchTimeoutMs(Admin admin, int leaderId, Set<Integer> unfenced) throws InterruptedException {
    Integer node = unfenced.contains(leaderId) ? Integer.valueOf(leaderId)
        : unfenced.stream().min(Integer::compare).orElse(null);
    if (node == null) {
      return ClusterSnapshot.Quorum.DEFAULT_FETCH_TIMEOUT_MS;
    }
    ConfigResource broker = new ConfigResource(ConfigResource.Type.BROKER, String.valueOf(node));
    try {
      ConfigEntry entry = admin.describeConfigs(List.of(broker)).all().get(10, TimeUnit.SECONDS).get(broker)
          .get(QUORUM_FETCH_TIMEOUT);
      return entry == null || entry.value() == null ? ClusterSnapshot.Quorum.DEFAULT_FETCH_TIMEOUT_MS
          : Long.parseLong(entry.value());
    } catch (ExecutionException | java.util.concurrent.TimeoutException | NumberFormatException e) {
      log.debug("{} of broker {} not readable ({}); assuming Kafka's default", QUORUM_FETCH_TIMEOUT, node,
          e.getMessage());
      return ClusterSnapshot.Quorum.DEFAULT_FETCH_TIMEOUT_MS;
    }
  }

  /**
   * Kafka moves leadership off a broker when it shuts down and only hands it back on its own
   * after leader.imbalance.check.interval.seconds; ask for it now, for b's partitions only.
   */
  private static String electPreferredLeaders(Admin admin, ClusterSnapshot snapshot, int b) {
    Set<TopicPartition> partitions = snapshot.partitions().stream()
        .filter(p -> !p.replicas().isEmpty() && p.replicas().get(0) == b && p.leader() != b)
        .map(p -> new TopicPartition(p.topic(), p.partition())).collect(Collectors.toCollection(HashSet::new));
    if (partitions.isEmpty()) {
      return "already leader of its preferred partitions";
    }
    try {
      admin.electLeaders(ElectionType.PREFERRED, partitions).partitions().get(30, TimeUnit.SECONDS);
      return "preferred leader election run for " + partitions.size() + " partition(s)";
    } catch (Exception e) {
      log.warn("preferred leader election for broker {} did not complete: {}", b, e.getMessage());
      return "preferred leader election not completed (" + e.getMessage() + "); Kafka rebalances on its own later";
    }
  }

  private Properties clientProperties(KafkaTarget kafka) {
    Properties properties = new Properties();
    properties.putAll(workerDefaults.clientProperties());
    properties.put(AdminClientConfig.BOOTSTRAP_SERVERS_CONFIG, bootstrap(kafka));
    properties.putIfAbsent(AdminClientConfig.REQUEST_TIMEOUT_MS_CONFIG, "10000");
    properties.putIfAbsent(AdminClientConfig.DEFAULT_API_TIMEOUT_MS_CONFIG, "15000");
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

  private static void sleep(Duration duration) throws InterruptedException {
    Thread.sleep(duration.toMillis());
  }
}
