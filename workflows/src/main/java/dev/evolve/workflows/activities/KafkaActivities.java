package dev.evolve.workflows.activities;

import dev.evolve.workflows.model.GateResult;
import dev.evolve.workflows.model.KafkaTarget;
import io.temporal.activity.ActivityInterface;
import io.temporal.activity.ActivityMethod;
import java.util.List;

/**
 * Kafka health gates through the Admin API. Each polls within its budget, heartbeating, and
 * answers refused (with the reason) rather than failing when the budget runs out: the workflow
 * then pauses for a human instead of moving on.
 */
@ActivityInterface(namePrefix = "Kafka")
public interface KafkaActivities {

  /**
   * May broker {@code brokerId} go away now? No under-replicated partitions in the cluster, and
   * for every partition with a replica on it: |ISR| > min.insync.replicas, or |ISR| ==
   * min.insync.replicas with the broker outside the ISR. Partitions whose replication factor is
   * at most min.insync.replicas cannot be protected and are reported, not waited for. A broker
   * that is also a KRaft controller (a voter) must leave a majority of the voters caught up with
   * the leader; a quorum that cannot be described (ZooKeeper-era Kafka, no permission) is noted.
   * Every Admin call has its own timeout and a heartbeat before it: a Kafka that does not answer
   * is "unreachable", a refusal, never a heartbeat timeout.
   */
  @ActivityMethod
  GateResult awaitSafeToMove(KafkaTarget kafka, int brokerId, long budgetSeconds);

  /**
   * Is broker {@code brokerId} back for real? Registered and unfenced, in the ISR of every
   * partition it replicates, no under-replicated partitions; then a preferred leader election for
   * its partitions so that leadership returns without waiting for Kafka's own rebalance.
   */
  @ActivityMethod
  GateResult awaitCaughtUp(KafkaTarget kafka, int brokerId, long budgetSeconds);

  /**
   * The order in which to move these brokers: the active KRaft controller last, the others in the
   * given order. Moving the active controller makes the quorum elect a new leader; last, that happens
   * once per rotation instead of again whenever the new leader is the next broker to move (Strimzi
   * rolls the same way). A quick read: on any Admin API error it answers the given order.
   */
  @ActivityMethod
  List<Integer> brokerMoveOrder(KafkaTarget kafka, List<Integer> brokerIds);
}
