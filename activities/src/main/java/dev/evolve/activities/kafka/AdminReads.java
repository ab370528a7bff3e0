package dev.evolve.activities.kafka;

import java.time.Duration;
import java.util.ArrayList;
import java.util.HashMap;
import java.util.HashSet;
import java.util.List;
import java.util.Map;
import java.util.Set;
import java.util.concurrent.ExecutionException;
import java.util.concurrent.TimeUnit;
import java.util.concurrent.TimeoutException;
import java.util.function.IntFunction;
import java.util.stream.Collectors;
import org.apache.kafka.clients.admin.Admin;
import org.apache.kafka.clients.admin.Config;
import org.apache.kafka.clients.admin.ConfigEntry;
import org.apache.kafka.clients.admin.DescribeClusterOptions;
import org.apache.kafka.clients.admin.DescribeConfigsOptions;
import org.apache.kafka.clients.admin.DescribeMetadataQuorumOptions;
import org.apache.kafka.clients.admin.DescribeTopicsOptions;
import org.apache.kafka.clients.admin.ElectLeadersOptions;
import org.apache.kafka.clients.admin.ListTopicsOptions;
import org.apache.kafka.clients.admin.QuorumInfo;
import org.apache.kafka.clients.admin.TopicDescription;
import org.apache.kafka.common.ElectionType;
import org.apache.kafka.common.KafkaFuture;
import org.apache.kafka.common.Node;
import org.apache.kafka.common.TopicPartition;
import org.apache.kafka.common.config.ConfigResource;
import org.apache.kafka.common.config.TopicConfig;
import org.apache.kafka.common.errors.UnsupportedVersionException;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;

/**
 * The Admin API calls of one gate. Each call has its own timeout, well below the activity's
 * heartbeat timeout, and a heartbeat goes out before it: a Kafka that does not answer costs one
 * call's timeout, never a heartbeat timeout (which would make Temporal retry the gate from the start).
 */
final class AdminReads {

  private static final Logger log = LoggerFactory.getLogger(AdminReads.class);

  private static final String QUORUM_FETCH_TIMEOUT = "controller.quorum.fetch.timeout.ms";
  /** Past the call's own timeout, in case a future is never completed by the client. */
  private static final long GRACE_MS = 1000;

  private final Admin admin;
  private final int callTimeoutMs;
  private final Runnable heartbeat;
  /** Brokers before Kafka 4.0 do not know describeCluster's includeFencedBrokers. */
  private boolean fencedBrokersListed = true;
  private Long fetchTimeoutMs;

  AdminReads(Admin admin, Duration callTimeout, Runnable heartbeat) {
    this.admin = admin;
    this.callTimeoutMs = (int) callTimeout.toMillis();
    this.heartbeat = heartbeat;
  }

  /** Whether describeCluster lists fenced brokers too (Kafka 4.0 and later); false after a fallback. */
  boolean fencedBrokersListed() {
    return fencedBrokersListed;
  }

  /** Everything the gates look at, one call after the other. */
  ClusterSnapshot snapshot() throws ExecutionException, InterruptedException, TimeoutException {
    Set<Integer> unfenced = unfencedBrokers();
    Set<String> topics = call(ms -> admin.listTopics(new ListTopicsOptions().listInternal(true).timeoutMs(ms)).names());
    Map<String, TopicDescription> descriptions = call(ms -> admin.describeTopics(topics,
        new DescribeTopicsOptions().timeoutMs(ms)).allTopicNames());
    List<ConfigResource> resources = topics.stream()
        .map(t -> new ConfigResource(ConfigResource.Type.TOPIC, t)).toList();
    Map<ConfigResource, Config> configs = call(ms -> admin.describeConfigs(resources,
        new DescribeConfigsOptions().timeoutMs(ms)).all());
    List<ClusterSnapshot.Partition> partitions = new ArrayList<>();
    for (TopicDescription topic : descriptions.values()) {
      Config config = configs.get(new ConfigResource(ConfigResource.Type.TOPIC, topic.name()));
      int minIsr = config == null || config.get(TopicConfig.MIN_IN_SYNC_REPLICAS_CONFIG) == null ? 1
          : Integer.parseInt(config.get(TopicConfig.MIN_IN_SYNC_REPLICAS_CONFIG).value());
      topic.partitions().forEach(p -> partitions.add(new ClusterSnapshot.Partition(topic.name(), p.partition(),
          p.replicas().stream().map(Node::id).toList(), p.isr().stream().map(Node::id).toList(),
          p.leader() == null ? -1 : p.leader().id(), minIsr)));
    }
    return new ClusterSnapshot(unfenced, partitions, quorum(unfenced));
  }

  /**
   * Registered, unfenced brokers. Kafka 4.0 lists fenced ones too when asked (and we ask, to tell
   * them apart); 3.x brokers refuse the flag with UnsupportedVersionException but list only
   * unfenced brokers anyway, so without the flag the answer means the same.
   */
  Set<Integer> unfencedBrokers() throws ExecutionException, InterruptedException, TimeoutException {
    if (fencedBrokersListed) {
      try {
        return call(ms -> admin.describeCluster(new DescribeClusterOptions().includeFencedBrokers(true).timeoutMs(ms))
            .nodes()).stream().filter(n -> !n.isFenced()).map(Node::id).collect(Collectors.toSet());
      } catch (ExecutionException e) {
        if (!(e.getCause() instanceof UnsupportedVersionException)) {
          throw e;
        }
        fencedBrokersListed = false;
        log.info("describeCluster without includeFencedBrokers (Kafka before 4.0: {})", e.getCause().getMessage());
      }
    }
    return call(ms -> admin.describeCluster(new DescribeClusterOptions().timeoutMs(ms)).nodes()).stream()
        .map(Node::id).collect(Collectors.toSet());
  }

  /**
   * The KRaft quorum as its leader sees it. A cluster that cannot describe it (ZooKeeper-era
   * brokers answer UnsupportedVersionException, a principal without DESCRIBE on the cluster an
   * authorization error) is still a cluster the other rules can judge: say why, and go on.
   */
  ClusterSnapshot.Quorum quorum(Set<Integer> unfenced) throws InterruptedException {
    QuorumInfo info;
    try {
      info = describeQuorum();
    } catch (ExecutionException | TimeoutException e) {
      return ClusterSnapshot.Quorum.unknown("cannot describe the metadata quorum: " + why(e));
    }
    Map<Integer, Long> caughtUp = new HashMap<>();
    info.voters().forEach(v -> caughtUp.put(v.replicaId(), v.lastCaughtUpTimestamp().orElse(-1)));
    return new ClusterSnapshot.Quorum(info.leaderId(), caughtUp, fetchTimeoutMs(info.leaderId(), unfenced), null);
  }

  /** The active controller: the quorum's leader (-1 when it has none). */
  int activeController() throws ExecutionException, InterruptedException, TimeoutException {
    return describeQuorum().leaderId();
  }

  private QuorumInfo describeQuorum() throws ExecutionException, InterruptedException, TimeoutException {
    return call(ms -> admin.describeMetadataQuorum(new DescribeMetadataQuorumOptions().timeoutMs(ms)).quorumInfo());
  }

  /**
   * controller.quorum.fetch.timeout.ms as a broker reports it (the nodes of a cluster share it), read
   * once per gate: the leader if it is also a broker, else any unfenced broker; Kafka's default
   * when it cannot be read.
   */
  private long fetchTimeoutMs(int leaderId, Set<Integer> unfenced) throws InterruptedException {
    if (fetchTimeoutMs != null) {
      return fetchTimeoutMs;
    }
    Integer node = unfenced.contains(leaderId) ? Integer.valueOf(leaderId)
        : unfenced.stream().min(Integer::compare).orElse(null);
    if (node == null) {
      return ClusterSnapshot.Quorum.DEFAULT_FETCH_TIMEOUT_MS;
    }
    ConfigResource broker = new ConfigResource(ConfigResource.Type.BROKER, String.valueOf(node));
    try {
      ConfigEntry entry = call(ms -> admin.describeConfigs(List.of(broker), new DescribeConfigsOptions().timeoutMs(ms))
          .all()).get(broker).get(QUORUM_FETCH_TIMEOUT);
      fetchTimeoutMs = entry == null || entry.value() == null ? ClusterSnapshot.Quorum.DEFAULT_FETCH_TIMEOUT_MS
          : Long.parseLong(entry.value());
    } catch (ExecutionException | TimeoutException | NumberFormatException e) {
      log.info("{} of broker {} not readable ({}); assuming Kafka's default", QUORUM_FETCH_TIMEOUT, node, why(e));
      fetchTimeoutMs = ClusterSnapshot.Quorum.DEFAULT_FETCH_TIMEOUT_MS;
    }
    return fetchTimeoutMs;
  }

  /**
   * Kafka moves leadership off a broker when it shuts down and only hands it back on its own
   * after leader.imbalance.check.interval.seconds; ask for it now, for b's partitions only. Not
   * done in time is not a failure: the broker is caught up, and Kafka rebalances later.
   */
  String electPreferredLeaders(ClusterSnapshot snapshot, int b) throws InterruptedException {
    Set<TopicPartition> partitions = snapshot.partitions().stream()
        .filter(p -> !p.replicas().isEmpty() && p.replicas().get(0) == b && p.leader() != b)
        .map(p -> new TopicPartition(p.topic(), p.partition())).collect(Collectors.toCollection(HashSet::new));
    if (partitions.isEmpty()) {
      return "already leader of its preferred partitions";
    }
    try {
      call(ms -> admin.electLeaders(ElectionType.PREFERRED, partitions, new ElectLeadersOptions().timeoutMs(ms))
          .partitions());
      return "preferred leader election run for " + partitions.size() + " partition(s)";
    } catch (ExecutionException | TimeoutException e) {
      log.warn("preferred leader election for broker {} did not complete: {}", b, why(e));
      return "preferred leader election not completed (" + why(e) + "); Kafka rebalances on its own later";
    }
  }

  /** One call: a heartbeat first, then at most the call's timeout (and a little grace) for the answer. */
  private <T> T call(IntFunction<KafkaFuture<T>> request)
      throws ExecutionException, InterruptedException, TimeoutException {
    heartbeat.run();
    try {
      return request.apply(callTimeoutMs).get(callTimeoutMs + GRACE_MS, TimeUnit.MILLISECONDS);
    } catch (TimeoutException e) {
      throw new TimeoutException("no answer within " + callTimeoutMs + " ms");
    }
  }

  /** What went wrong, in one line: the cause's type and message. */
  static String why(Exception e) {
    Throwable cause = e instanceof ExecutionException && e.getCause() != null ? e.getCause() : e;
    return cause.getClass().getSimpleName() + ": " + cause.getMessage();
  }
}
