package dev.evolve.activities.kafka;

import dev.evolve.activities.kafka.ClusterSnapshot.Partition;
import java.util.ArrayList;
import java.util.List;

/**
 * The rules a broker move must pass, each a small named check with the reason it exists. A
 * verdict says what failed in words a human can act on.
 */
final class BrokerGates {

  record Verdict(boolean passed, String reason) {}

  private static final int LISTED = 5;

  private BrokerGates() {}

  /** Before broker {@code b} goes away. */
  static Verdict safeToMove(ClusterSnapshot snapshot, int b) {
    List<String> problems = new ArrayList<>();
    noUnderReplicatedPartitions(snapshot, problems);
    removalKeepsMinIsr(snapshot, b, problems);
    List<String> unprotectable = unprotectable(snapshot, b);
    String note = unprotectable.isEmpty() ? "" : "; not protectable (replication factor <= min.insync.replicas, "
        + "so waiting cannot help and they do not block): " + first(unprotectable);
    return problems.isEmpty()
        ? new Verdict(true, "broker " + b + " can be moved: no under-replicated partitions, min ISR kept" + note)
        : new Verdict(false, String.join("; ", problems) + note);
  }

  /** After broker {@code b} came back. */
  static Verdict caughtUp(ClusterSnapshot snapshot, int b) {
    List<String> problems = new ArrayList<>();
    registeredAndUnfenced(snapshot, b, problems);
    inIsrOfAllItsPartitions(snapshot, b, problems);
    noUnderReplicatedPartitions(snapshot, problems);
    return problems.isEmpty()
        ? new Verdict(true, "broker " + b + " is unfenced and in the ISR of all its partitions")
        : new Verdict(false, String.join("; ", problems));
  }

  /**
   * A cluster that is already missing replicas somewhere has no slack: moving any broker could
   * take a second replica of the same partition away.
   */
  static void noUnderReplicatedPartitions(ClusterSnapshot snapshot, List<String> problems) {
    List<String> urp = snapshot.partitions().stream()
        .filter(p -> snapshot.liveIsr(p).size() < p.replicas().size())
        .map(p -> p.name() + " (ISR " + snapshot.liveIsr(p).size() + "/" + p.replicas().size() + ")").toList();
    if (!urp.isEmpty()) {
      problems.add(urp.size() + " under-replicated partition(s): " + first(urp));
    }
  }

  /**
   * Strimzi's canRoll rule: taking b away must leave every partition it replicates with at least
   * min.insync.replicas in sync, or producers with acks=all stop.
   */
  static void removalKeepsMinIsr(ClusterSnapshot snapshot, int b, List<String> problems) {
    List<String> wouldBreak = new ArrayList<>();
    for (Partition p : snapshot.partitions()) {
      if (!p.replicas().contains(b) || p.replicas().size() <= p.minIsr()) {
        continue;
      }
      List<Integer> isr = snapshot.liveIsr(p);
      if (isr.size() < p.minIsr() || (isr.size() == p.minIsr() && isr.contains(b))) {
        wouldBreak.add(p.name() + " (live ISR " + isr + ", min.insync.replicas " + p.minIsr() + ")");
      }
    }
    if (!wouldBreak.isEmpty()) {
      problems.add("moving broker " + b + " would take " + wouldBreak.size()
          + " partition(s) below min.insync.replicas: " + first(wouldBreak));
    }
  }

  /** Partitions with replication factor <= min ISR lose availability whenever any replica moves. */
  static List<String> unprotectable(ClusterSnapshot snapshot, int b) {
    return snapshot.partitions().stream()
        .filter(p -> p.replicas().contains(b) && p.replicas().size() <= p.minIsr())
        .map(p -> p.name() + " (RF " + p.replicas().size() + ", min.insync.replicas " + p.minIsr() + ")").toList();
  }

  /** A pod that is Ready is not yet a broker the controller lets serve. */
  static void registeredAndUnfenced(ClusterSnapshot snapshot, int b, List<String> problems) {
    if (!snapshot.unfencedBrokers().contains(b)) {
      problems.add("broker " + b + " is not registered and unfenced yet");
    }
  }

  /** Ready is not caught up: the broker must be back in the ISR of everything it replicates. */
  static void inIsrOfAllItsPartitions(ClusterSnapshot snapshot, int b, List<String> problems) {
    List<String> behind = snapshot.partitions().stream()
        .filter(p -> p.replicas().contains(b) && !p.isr().contains(b)).map(Partition::name).toList();
    if (!behind.isEmpty()) {
      problems.add("broker " + b + " is not yet in the ISR of " + behind.size() + " partition(s): " + first(behind));
    }
  }

  private static String first(List<String> items) {
    return String.join(", ", items.subList(0, Math.min(LISTED, items.size())))
        + (items.size() > LISTED ? " and " + (items.size() - LISTED) + " more" : "");
  }
}
