package dev.evolve.activities.kafka;

import java.util.List;
import java.util.Map;
import java.util.Set;

/**
 * What the gates look at, read from the Admin API in one go.
 *
 * @param unfencedBrokers brokers registered and not fenced
 * @param partitions every partition of every topic, internal ones included
 * @param quorum the KRaft controller quorum, or why it could not be read
 */
record ClusterSnapshot(Set<Integer> unfencedBrokers, List<Partition> partitions, Quorum quorum) {

  /** A snapshot of a cluster whose quorum was not looked at (tests of the partition rules). */
  ClusterSnapshot(Set<Integer> unfencedBrokers, List<Partition> partitions) {
    this(unfencedBrokers, partitions, Quorum.unknown("not read"));
  }

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

  /**
   * The KRaft metadata quorum as its leader sees it.
   *
   * @param leaderId the active controller, -1 when there is none
   * @param lastCaughtUp each voter's lastCaughtUpTimestamp (ms) as the leader last saw it, -1 when
   *     the leader has none for it (a voter that never fetched from this leader)
   * @param fetchTimeoutMs controller.quorum.fetch.timeout.ms: a voter further behind the leader than
   *     this no longer counts towards the majority
   * @param unknownBecause why the quorum could not be described (a ZooKeeper-era cluster, no
   *     permission); null when it was
   */
  record Quorum(int leaderId, Map<Integer, Long> lastCaughtUp, long fetchTimeoutMs, String unknownBecause) {

    /** Kafka's default controller.quorum.fetch.timeout.ms, used when the broker's value cannot be read. */
    static final long DEFAULT_FETCH_TIMEOUT_MS = 2000;

    static Quorum unknown(String because) {
      return new Quorum(-1, Map.of(), DEFAULT_FETCH_TIMEOUT_MS, because);
    }

    boolean known() {
      return unknownBecause == null;
    }

    boolean isVoter(int id) {
      return lastCaughtUp.containsKey(id);
    }
  }
}
