package dev.evolve.worker.bench;

import java.util.Set;

/**
 * How long each fake activity deliberately waits before it answers: the time a real cluster would
 * take, scaled down so that 200 cycles finish in minutes. Whatever a cycle spends beyond these
 * waits is the overhead the benchmark reports (Temporal round trips, queueing for a worker slot,
 * workflow tasks, garbage collection).
 *
 * @param readMillis quick reads and cordons (describeCluster, inventory, nodes, cordonPool, ...)
 * @param moveMillis a workload or pod moved, a pool evacuated
 * @param operationMillis a GKE operation waited for (create, upgrade, resize, delete, autoscaling)
 * @param gateMillis a Kafka health gate
 */
record FakeLatency(long readMillis, long moveMillis, long operationMillis, long gateMillis) {

  static final FakeLatency DEFAULT = new FakeLatency(50, 150, 200, 100);

  private static final Set<String> OPERATIONS = Set.of("createTempPool", "upgradePool", "resizePool",
      "holdPoolSize", "restoreAutoscaling", "deletePool");
  private static final Set<String> MOVES = Set.of("moveDeployment", "restoreDeployment", "moveStatefulSetPod",
      "restoreStatefulSetPod", "evictPods", "evacuatePool");
  private static final Set<String> GATES = Set.of("awaitSafeToMove", "awaitCaughtUp");

  /** The wait of one activity method, by its name; anything not named above is a quick read. */
  long millisFor(String activityMethod) {
    if (OPERATIONS.contains(activityMethod)) {
      return operationMillis;
    }
    if (MOVES.contains(activityMethod)) {
      return moveMillis;
    }
    if (GATES.contains(activityMethod)) {
      return gateMillis;
    }
    return readMillis;
  }

  @Override
  public String toString() {
    return "reads " + readMillis + " ms, moves " + moveMillis + " ms, GKE operations " + operationMillis
        + " ms, Kafka gates " + gateMillis + " ms";
  }
}
