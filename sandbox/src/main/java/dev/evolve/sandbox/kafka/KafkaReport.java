package dev.evolve.sandbox.kafka;

import com.fasterxml.jackson.annotation.JsonIgnoreProperties;
import java.util.List;
import java.util.Map;

/**
 * What the load saw: did the producers lose anything, and did any partition drop below
 * min.insync.replicas.
 *
 * @param kafkaVersion the brokers' version
 * @param controllers how the KRaft controllers ran
 * @param topics the topics written, each with replication factor 3
 * @param produced messages handed to the producer
 * @param acknowledged acknowledged by the brokers (acks=all)
 * @param failed sends that failed for good (not acknowledged, so not counted as lost)
 * @param consumed distinct messages read back
 * @param lost acknowledged but never read back
 * @param duplicates messages read more than once
 * @param lowestIsr per topic, the smallest ISR of any partition in any sample
 * @param belowMinIsrSeconds per topic, time during which some partition had fewer in-sync replicas
 *     than min.insync.replicas
 * @param samples Admin API samples of the ISRs taken
 * @param unansweredSamples samples the cluster did not answer in time
 * @param longestSampleGapMillis the longest time between two answered samples
 * @param longestStallMillis the longest a message waited for its acknowledgement
 * @param unread acknowledged more than 10 s ago and not yet read back (0 once the consumer has caught up)
 * @param moves each time a broker was stopped and came back
 * @param lostExamples a few lost messages, "topic#seq"
 */
@JsonIgnoreProperties(ignoreUnknown = true)
public record KafkaReport(String kafkaVersion, String controllers, int brokers, List<String> topics, int partitions,
    int minInsyncReplicas, long produced, long acknowledged, long failed, long consumed, long lost,
    long duplicates, Map<String, Integer> lowestIsr, Map<String, Double> belowMinIsrSeconds, int samples,
    int unansweredSamples, long longestSampleGapMillis, long longestStallMillis, long unread,
    List<BrokerMove> moves, List<String> lostExamples) {

  /**
   * One broker move as the cluster lived it.
   *
   * @param stopMillis SIGTERM until the process exited (its controlled shutdown)
   * @param downMillis SIGTERM until the new process accepted connections (pod Ready)
   * @param backInIsrMillis SIGTERM until it was back in the ISR of every partition (-1: not seen)
   */
  @JsonIgnoreProperties(ignoreUnknown = true)
  public record BrokerMove(int broker, String how, long stopMillis, long downMillis, long backInIsrMillis) {}

  /** Seconds below min ISR over every topic. */
  public double totalBelowMinIsrSeconds() {
    return belowMinIsrSeconds.values().stream().mapToDouble(Double::doubleValue).sum();
  }

  /** Nothing acknowledged was lost and no partition went below min.insync.replicas. */
  public boolean safe() {
    return lost == 0 && totalBelowMinIsrSeconds() == 0;
  }
}
