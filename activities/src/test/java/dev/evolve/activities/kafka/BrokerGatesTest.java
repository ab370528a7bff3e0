package dev.evolve.activities.kafka;

import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertTrue;

import dev.evolve.activities.kafka.ClusterSnapshot.Partition;
import dev.evolve.activities.kafka.ClusterSnapshot.Quorum;
import java.util.List;
import java.util.Map;
import java.util.Set;
import org.junit.jupiter.api.Test;

class BrokerGatesTest {

  static Partition p(String topic, List<Integer> replicas, List<Integer> isr, int minIsr) {
    return new Partition(topic, 0, replicas, isr, isr.isEmpty() ? -1 : isr.get(0), minIsr);
  }

  static ClusterSnapshot cluster(Partition... partitions) {
    return new ClusterSnapshot(Set.of(0, 1, 2), List.of(partitions));
  }

  @Test
  void onlyAProtectablePartitionBelowMinIsrCountsAsADisruption() {
    assertFalse(BrokerGates.anyBelowMinIsr(cluster(p("orders", List.of(0, 1, 2), List.of(0, 1), 2))),
        "at min.insync.replicas producers still write");
    assertTrue(BrokerGates.anyBelowMinIsr(cluster(p("orders", List.of(0, 1, 2), List.of(0), 2))));
    // replication factor 2 with min ISR 2: waiting cannot protect it, and the gates do not block on it
    assertFalse(BrokerGates.anyBelowMinIsr(cluster(p("logs", List.of(0, 1), List.of(0), 2))));
    // an ISR member that is fenced is not live
    assertTrue(BrokerGates.anyBelowMinIsr(new ClusterSnapshot(Set.of(0),
        List.of(p("orders", List.of(0, 1, 2), List.of(0, 1), 2)))));
  }

  @Test
  void aHealthyClusterLetsABrokerGo() {
    var verdict = BrokerGates.safeToMove(cluster(p("orders", List.of(0, 1, 2), List.of(0, 1, 2), 2)), 1);
    assertTrue(verdict.passed(), verdict.reason());
  }

  @Test
  void aBrokerInAnIsrAtMinimumMustStay() {
    // broker 2 is away: ISR {0,1} == min 2, and 1 is in it
    var verdict = BrokerGates.safeToMove(cluster(p("orders", List.of(0, 1, 2), List.of(0, 1), 2)), 1);
    assertFalse(verdict.passed());
    assertTrue(verdict.reason().contains("orders-0"), verdict.reason());
    assertTrue(verdict.reason().contains("below min.insync.replicas"), verdict.reason());
  }

  @Test
  void underReplicatedPartitionsAnywhereBlock() {
    var verdict = BrokerGates.safeToMove(cluster(
        p("orders", List.of(0, 1, 2), List.of(0, 1, 2), 2),
        p("payments", List.of(0, 2, 3), List.of(0, 2), 1)), 1);
    assertFalse(verdict.passed(), "a partition missing a replica elsewhere leaves no slack");
    assertTrue(verdict.reason().contains("1 under-replicated partition(s): payments-0 (ISR 2/3)"), verdict.reason());
  }

  @Test
  void aBrokerOutsideTheIsrMayGoEvenAtMinimumButNotWithOtherUnderReplication() {
    // ISR {0,2} == min 2 and broker 1 is not in it: its absence changes nothing for this partition,
    // but the partition is under-replicated, so the cluster-wide rule still says wait.
    var verdict = BrokerGates.safeToMove(cluster(p("orders", List.of(0, 1, 2), List.of(0, 2), 2)), 1);
    assertFalse(verdict.passed());
    assertFalse(verdict.reason().contains("below min.insync.replicas"), verdict.reason());
  }

  @Test
  void replicationFactorAtMinIsrCannotBeProtectedAndDoesNotBlock() {
    var verdict = BrokerGates.safeToMove(cluster(p("audit", List.of(1, 2), List.of(1, 2), 2)), 1);
    assertTrue(verdict.passed(), verdict.reason());
    assertTrue(verdict.reason().contains("not protectable"), verdict.reason());
    assertTrue(verdict.reason().contains("audit-0 (RF 2, min.insync.replicas 2)"), verdict.reason());
  }

  @Test
  void aFencedBrokerStillListedInTheIsrDoesNotCountAsInSync() {
    // broker 2 died: fenced already, but the leader has not dropped it from the ISR yet
    ClusterSnapshot justDied = new ClusterSnapshot(Set.of(0, 1),
        List.of(p("orders", List.of(0, 1, 2), List.of(0, 1, 2), 2)));
    var verdict = BrokerGates.safeToMove(justDied, 1);
    assertFalse(verdict.passed(), verdict.reason());
    assertTrue(verdict.reason().contains("live ISR [0, 1]"), verdict.reason());
  }

  @Test
  void caughtUpNeedsUnfencedAndEveryIsr() {
    ClusterSnapshot fenced = new ClusterSnapshot(Set.of(0, 2), List.of(p("orders", List.of(0, 1, 2), List.of(0, 2), 2)));
    var notYet = BrokerGates.caughtUp(fenced, 1);
    assertFalse(notYet.passed());
    assertTrue(notYet.reason().contains("not registered and unfenced"), notYet.reason());
    assertTrue(notYet.reason().contains("not yet in the ISR of 1 partition(s): orders-0"), notYet.reason());

    var back = BrokerGates.caughtUp(cluster(p("orders", List.of(0, 1, 2), List.of(0, 2, 1), 2)), 1);
    assertTrue(back.passed(), back.reason());
  }

  static final long NOW = 1_700_000_000_000L;

  /** A healthy partition set with the given quorum, so only the controller rule can refuse. */
  static ClusterSnapshot withQuorum(Quorum quorum) {
    return new ClusterSnapshot(Set.of(0, 1, 2), List.of(p("orders", List.of(0, 1, 2), List.of(0, 1, 2), 2)), quorum);
  }

  @Test
  void aControllerMayGoWhenTheOtherVotersAreCaughtUp() {
    // leader 0; voter 2 is 1500 ms behind, within the 2000 ms fetch timeout
    var verdict = BrokerGates.safeToMove(withQuorum(new Quorum(0, Map.of(0, NOW, 1, NOW - 100, 2, NOW - 1500), 2000,
        null)), 1);
    assertTrue(verdict.passed(), verdict.reason());
    assertTrue(verdict.reason().contains("controller quorum: 2 of 3 voters caught up without broker 1"),
        verdict.reason());
  }

  @Test
  void aControllerMustStayWhenWithoutItNoMajorityIsCaughtUp() {
    // voter 2 is dead: the leader last saw it caught up 9 s ago
    var verdict = BrokerGates.safeToMove(withQuorum(new Quorum(0, Map.of(0, NOW, 1, NOW, 2, NOW - 9000), 2000,
        null)), 1);
    assertFalse(verdict.passed(), verdict.reason());
    assertTrue(verdict.reason().contains("broker 1 is a KRaft controller: without it 1 of 3 voters would be caught up "
        + "with the leader (controller 0), a majority needs 2"), verdict.reason());
    assertTrue(verdict.reason().contains("voter 2 (9000 ms behind)"), verdict.reason());
  }

  @Test
  void theActiveControllerCountsOthersAgainstItsOwnTimestampAndAVoterNeverSeenIsBehind() {
    // moving the leader itself: voter 1 caught up, voter 2 unknown to this leader (-1)
    var verdict = BrokerGates.safeToMove(withQuorum(new Quorum(0, Map.of(0, NOW, 1, NOW - 10, 2, -1L), 2000,
        null)), 0);
    assertFalse(verdict.passed(), verdict.reason());
    assertTrue(verdict.reason().contains("voter 2 (not caught up with this leader yet)"), verdict.reason());

    // the leader that moves does not count itself: 1, 2 and 3 are caught up, 3 of 5
    var fiveVoters = BrokerGates.safeToMove(withQuorum(new Quorum(0,
        Map.of(0, NOW, 1, NOW - 10, 2, NOW - 20, 3, NOW - 50, 4, NOW - 60_000), 2000, null)), 0);
    assertTrue(fiveVoters.passed(), fiveVoters.reason());
    assertTrue(fiveVoters.reason().contains("3 of 5 voters caught up without broker 0"), fiveVoters.reason());
    assertTrue(fiveVoters.reason().contains("(it is the active controller)"), fiveVoters.reason());
  }

  @Test
  void aQuorumWithoutLeaderHoldsEveryController() {
    var verdict = BrokerGates.safeToMove(withQuorum(new Quorum(-1, Map.of(0, NOW, 1, NOW, 2, NOW), 2000, null)), 2);
    assertFalse(verdict.passed());
    assertTrue(verdict.reason().contains("the controller quorum has no leader"), verdict.reason());
  }

  @Test
  void aBrokerThatIsNoVoterIsNotHeldByTheQuorum() {
    // dedicated controllers 100..102, one of them dead: broker 1 is no voter, its move is the brokers' business
    var verdict = BrokerGates.safeToMove(withQuorum(new Quorum(100, Map.of(100, NOW, 101, NOW, 102, NOW - 60_000),
        2000, null)), 1);
    assertTrue(verdict.passed(), verdict.reason());
    assertFalse(verdict.reason().contains("quorum"), verdict.reason());
  }

  @Test
  void aQuorumThatCannotBeDescribedIsNotedAndSkipped() {
    var verdict = BrokerGates.safeToMove(withQuorum(Quorum.unknown("UnsupportedVersionException: a ZooKeeper-era "
        + "cluster")), 1);
    assertTrue(verdict.passed(), verdict.reason());
    assertTrue(verdict.reason().contains("KRaft controller quorum not checked (UnsupportedVersionException"),
        verdict.reason());
  }
}
