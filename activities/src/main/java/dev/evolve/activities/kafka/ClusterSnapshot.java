package dev.evolve.activities.kafka;

import java.util.List;
import java.util.Set;

/**
 * What the gates look at, read from the Admin API in one go.
 *
 * @param unfencedBrokers brokers registered and not fenced
 * @param partitions every partition of every topic, internal ones included
 */
record ClusterSnapshot(Set<Integer> unfencedBrokers, List<Partition> partitions) {

  /**
   * The ISR members that are also registered and unfenced. A broker that died is fenced after
   * the broker session timeout, often well before the leader drops it from the ISR (after
   * replica.lag.time.max.ms); counting it as in sync meanwhile would overstate the slack.
   */
  List<Integer> liveIsr(Partition p) {
    return p.isr().stream().filter(unfencedBrokers::contains).toList();
  }

  /** One partition: replicas in preference order (the first is the preferred leader). */
  record Partition(String topic, int partition, List<Integer> replicas, List<Integer> isr, int leader, int minIsr) {

    String name() {
      return topic + "-" + partition;
    }
  }
}
