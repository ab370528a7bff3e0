package dev.evolve.sandbox.kafka;

import com.fasterxml.jackson.annotation.JsonIgnoreProperties;
import java.util.List;

/**
 * A StatefulSet whose pods are real Kafka brokers: each pod runs a KRaft broker process of the
 * Kafka version on the sandbox's classpath, which lives and dies with its pod.
 *
 * @param controllers "separate" (default): a quorum of three controller processes beside the
 *     brokers, as Strimzi deploys KRaft, so that moving a broker never moves a controller;
 *     "combined": every broker is also a controller (process.roles=broker,controller), so moving a
 *     broker takes a voter away and the quorum check has work to do
 * @param topics topics the load writes to (default "orders" and "payments")
 * @param partitions partitions per topic (default 3)
 * @param minInsyncReplicas min.insync.replicas of those topics (default 2, replication factor 3)
 * @param messagesPerSecond what the producer writes in all, spread over the topics (default 200)
 * @param messageBytes size of each message (default 512)
 * @param catchUpBytesPerSecond how fast a broker that was away fetches what it missed (Kafka's
 *     follower replication throttle, which only slows replicas outside the ISR; default 400000, so
 *     that a broker back after a move needs a few seconds to rejoin every ISR, as on a cluster
 *     with real traffic; 0: unthrottled)
 */
@JsonIgnoreProperties(ignoreUnknown = true)
public record KafkaSpec(String controllers, List<String> topics, Integer partitions, Integer minInsyncReplicas,
    Integer messagesPerSecond, Integer messageBytes, Long catchUpBytesPerSecond) {

  public static KafkaSpec defaults() {
    return new KafkaSpec(null, null, null, null, null, null, null);
  }

  public boolean combined() {
    return "combined".equals(controllers);
  }

  public List<String> topicsOrDefault() {
    return topics == null || topics.isEmpty() ? List.of("orders", "payments") : topics;
  }

  public int partitionsOrDefault() {
    return partitions == null ? 3 : partitions;
  }

  public int minInsyncReplicasOrDefault() {
    return minInsyncReplicas == null ? 2 : minInsyncReplicas;
  }

  public int messagesPerSecondOrDefault() {
    return messagesPerSecond == null ? 200 : messagesPerSecond;
  }

  public int messageBytesOrDefault() {
    return messageBytes == null ? 512 : messageBytes;
  }

  public long catchUpBytesPerSecondOrDefault() {
    return catchUpBytesPerSecond == null ? 400_000 : catchUpBytesPerSecond;
  }

  /** Names the first field that makes no sense, with what it may be. */
  public void validate(String workload) {
    if (controllers != null && !List.of("separate", "combined").contains(controllers)) {
      throw new IllegalArgumentException("scenario: kafka.controllers of " + workload + " is '" + controllers
          + "'; use separate or combined");
    }
    if (partitionsOrDefault() < 1 || minInsyncReplicasOrDefault() < 1 || messagesPerSecondOrDefault() < 1) {
      throw new IllegalArgumentException("scenario: kafka.partitions, kafka.minInsyncReplicas and "
          + "kafka.messagesPerSecond of " + workload + " must be at least 1");
    }
    if (messageBytesOrDefault() < 16 || catchUpBytesPerSecondOrDefault() < 0) {
      throw new IllegalArgumentException("scenario: kafka.messageBytes of " + workload + " must be at least 16 and "
          + "kafka.catchUpBytesPerSecond 0 (unthrottled) or more");
    }
  }
}
