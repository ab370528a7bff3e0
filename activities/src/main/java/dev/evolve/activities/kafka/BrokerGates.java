package dev.evolve.activities.kafka;

import dev.evolve.activities.kafka.ClusterSnapshot.Partition;
import dev.evolve.activities.kafka.ClusterSnapshot.Quorum;
import java.util.ArrayList;
import java.util.List;
import java.util.Map;
import java.util.TreeMap;

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
    controllerQuorumKeepsMajority(snapshot, b, problems);
    List<String> unprotectable = unprotectable(snapshot, b);
    String note = (unprotectable.isEmpty() ? "" : "; not protectable (replication factor <= min.insync.replicas, "
        + "so waiting cannot help and they do not block): " + first(unprotectable)) + quorumNote(snapshot, b);
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

  /**
   * Strimzi's rule for KRaft controllers: the voters left behind must still make a majority of the
   * whole voter set caught up with the leader. Without that majority the quorum commits no metadata
   * while b is away: no partition leader elections, no ISR changes, no broker registrations.
   */
  static void controllerQuorumKeepsMajority(ClusterSnapshot snapshot, int b, List<String> problems) {
    Quorum quorum = snapshot.quorum();
    if (!quorum.known() || !quorum.isVoter(b)) {
      return;
    }
    int voters = quorum.lastCaughtUp().size();
    int majority = voters / 2 + 1;
    if (quorum.leaderId() < 0) {
      problems.add("broker " + b + " is a KRaft controller and the controller quorum has no leader");
      return;
    }
    List<String> behind = votersBehind(quorum, b);
    int caughtUp = voters - 1 - behind.size();
    if (caughtUp < majority) {
      problems.add("broker " + b + " is a KRaft controller: without it " + caughtUp + " of " + voters
          + " voters would be caught up with the leader (controller " + quorum.leaderId() + "), a majority needs "
          + majority + "; behind by more than controller.quorum.fetch.timeout.ms (" + quorum.fetchTimeoutMs()
          + " ms): " + first(behind));
    }
  }

  /**
   * The voters other than b that are not caught up: more than the fetch timeout behind the
   * leader's own timestamp, or never caught up with this leader. The leader itself always is.
   */
  private static List<String> votersBehind(Quorum quorum, int b) {
    long leaderAt = quorum.lastCaughtUp().getOrDefault(quorum.leaderId(), -1L);
    List<String> behind = new ArrayList<>();
    for (Map.Entry<Integer, Long> voter : new TreeMap<>(quorum.lastCaughtUp()).entrySet()) {
      int id = voter.getKey();
      long at = voter.getValue();
      if (id == b || id == quorum.leaderId()) {
        continue;
      }
      if (at < 0 || leaderAt < 0) {
        behind.add("voter " + id + " (not caught up with this leader yet)");
      } else if (leaderAt - at > quorum.fetchTimeoutMs()) {
        behind.add("voter " + id + " (" + (leaderAt - at) + " ms behind)");
      }
    }
    return behind;
  }

  /** What a human should know about the quorum part of the verdict. */
  private static String quorumNote(ClusterSnapshot snapshot, int b) {
    Quorum quorum = snapshot.quorum();
    if (!quorum.known()) {
      return "; KRaft controller quorum not checked (" + quorum.unknownBecause() + ")";
    }
    if (!quorum.isVoter(b) || quorum.leaderId() < 0) {
      return "";
    }
    int voters = quorum.lastCaughtUp().size();
    int caughtUp = voters - 1 - votersBehind(quorum, b).size();
    // a refusal says the same in its problem
    return caughtUp < voters / 2 + 1 ? "" : "; controller quorum: " + caughtUp + " of " + voters
        + " voters caught up without broker " + b + (quorum.leaderId() == b ? " (it is the active controller)" : "");
  }

  /**
   * A disruption under way, whatever broker is asked about: a partition that could keep
   * min.insync.replicas (replication factor above it) has fewer live replicas in sync, so
   * producers with acks=all are refused for it now.
   */
  static boolean anyBelowMinIsr(ClusterSnapshot snapshot) {
    return snapshot.partitions().stream()
        .anyMatch(p -> p.replicas().size() > p.minIsr() && snapshot.liveIsr(p).size() < p.minIsr());
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
