package dev.evolve.activities.kafka;

import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertTrue;

import dev.evolve.activities.kafka.ClusterSnapshot.Partition;
import java.util.List;
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
}
