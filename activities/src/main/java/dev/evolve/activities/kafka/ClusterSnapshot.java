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

  /** One partition: replicas in preference order (the first is the preferred leader). */
  record Partition(String topic, int partition, List<Integer> replicas, List<Integer> isr, int leader, int minIsr) {

    String name() {
      return topic + "-" + partition;
    }

    boolean underReplicated() {
      return isr.size() < replicas.size();
    }
  }
}
