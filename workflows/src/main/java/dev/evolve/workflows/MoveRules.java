package dev.evolve.workflows;

import dev.evolve.workflows.model.MoveMethod;
import dev.evolve.workflows.model.NodeInfo;
import dev.evolve.workflows.model.PdbInfo;
import dev.evolve.workflows.model.PlannedMove;
import dev.evolve.workflows.model.PoolInventory;
import dev.evolve.workflows.model.UpgradePlan;
import dev.evolve.workflows.model.Workload;
import dev.evolve.workflows.model.WorkloadRef;
import dev.evolve.workflows.plan.Planner;
import java.util.Collection;
import java.util.HashMap;
import java.util.HashSet;
import java.util.List;
import java.util.Map;
import java.util.Optional;
import java.util.Set;

/**
 * Whether a planned move may start while others are in flight (parallel moves). Each rule is a
 * small named check that gives its reason, the way Strimzi's KafkaRoller decides which broker may
 * roll: the first check that says "wait" keeps the move waiting, and the move starts once none
 * does. A move that starts with nothing else in flight is exactly today's sequential move.
 *
 * <p>The rules are about moves <em>beside each other</em> only. A workload's own move keeps its
 * own rules, unchanged: a Deployment rolls out surge-only, evictions ask the PodDisruptionBudget,
 * a StatefulSet's pods (Kafka brokers with their gates and settle timers) move one at a time
 * inside their one move, so that each StatefulSet is a single lane by construction.
 *
 * <p>Pure and deterministic: it reads the plan and the inventory PREPARE recorded, never the world.
 */
final class MoveRules {

  private final Map<WorkloadRef, Workload> workloads = new HashMap<>();
  /** The temporary pool's allocatable CPU and memory as the plan sized it; 0 when not known. */
  private final long tempCpuMillis;
  private final long tempMemoryBytes;

  private MoveRules(List<Workload> found, long tempCpuMillis, long tempMemoryBytes) {
    found.forEach(w -> workloads.put(w.ref(), w));
    this.tempCpuMillis = tempCpuMillis;
    this.tempMemoryBytes = tempMemoryBytes;
  }

  /**
   * The rules for this plan. The temporary pool's capacity is what the planner sized it with:
   * its nodes, each as large as the smallest node of the original pool less what DaemonSets take
   * on every node, filled to {@link Planner#TARGET_FILL} (bin packing is never perfect).
   */
  static MoveRules of(UpgradePlan plan, PoolInventory inventory) {
    if (inventory == null || inventory.workloads() == null) {
      return new MoveRules(List.of(), 0, 0);
    }
    long cpu = 0;
    long memory = 0;
    if (plan != null && plan.tempPool() != null && inventory.nodes() != null && !inventory.nodes().isEmpty()) {
      int nodes = plan.tempPool().totalNodes();
      long cpuPerNode = inventory.nodes().stream().mapToLong(NodeInfo::cpuMillis).min().orElse(0)
          - inventory.daemonSetCpuMillisPerNode();
      long memPerNode = inventory.nodes().stream().mapToLong(NodeInfo::memoryBytes).min().orElse(0)
          - inventory.daemonSetMemoryBytesPerNode();
      cpu = (long) Math.floor(Math.max(0, cpuPerNode) * nodes * Planner.TARGET_FILL);
      memory = (long) Math.floor(Math.max(0, memPerNode) * nodes * Planner.TARGET_FILL);
    }
    return new MoveRules(inventory.workloads(), cpu, memory);
  }

  /**
   * The rules inside one batch of moves run in a child workflow: what PREPARE found about the
   * batch's workloads, and the temporary pool's capacity less what earlier batches put on it (a
   * negative figure when they overfilled it), so that the batch decides exactly as the cycle
   * would have with every move in one run.
   */
  static MoveRules forBatch(List<Workload> workloads, long tempCpuMillisLeft, long tempMemoryBytesLeft) {
    return new MoveRules(workloads == null ? List.of() : workloads, tempCpuMillisLeft, tempMemoryBytesLeft);
  }

  /** What PREPARE found about these moves' workloads, in their order (those it did not find are left out). */
  List<Workload> workloadsOf(Collection<PlannedMove> moves) {
    return moves.stream().map(m -> workloads.get(m.workload())).filter(java.util.Objects::nonNull).toList();
  }

  /** The temporary pool's sized CPU less what the workloads on it request. */
  long tempCpuMillisLeft(Collection<WorkloadRef> onTemp) {
    return tempCpuMillis - onTemp.stream().map(workloads::get).filter(java.util.Objects::nonNull)
        .mapToLong(Workload::cpuMillisRequested).sum();
  }

  /** The temporary pool's sized memory less what the workloads on it request. */
  long tempMemoryBytesLeft(Collection<WorkloadRef> onTemp) {
    return tempMemoryBytes - onTemp.stream().map(workloads::get).filter(java.util.Objects::nonNull)
        .mapToLong(Workload::memoryBytesRequested).sum();
  }

  /** No inventory to go by: every move waits until it is the only one, as sequential moves do. */
  static MoveRules unknown() {
    return new MoveRules(List.of(), 0, 0);
  }

  /**
   * Why {@code next} must wait, or empty when it may start now.
   *
   * @param inFlight the moves running now
   * @param onTemp workloads already moved (or half-moved) onto the temporary pool
   * @param toTemp whether the moves go onto the temporary pool (MIGRATE) or back (RESTORE, rollback)
   */
  Optional<String> reasonToWait(PlannedMove next, Collection<PlannedMove> inFlight, int limit,
      Collection<WorkloadRef> onTemp, boolean toTemp) {
    if (inFlight.isEmpty()) {
      return Optional.empty(); // alone, a move is exactly a sequential one
    }
    return atParallelismLimit(inFlight, limit)
        .or(() -> notInTheInventory(next))
        .or(() -> sharesABudgetWithAMoveInFlight(next, inFlight))
        .or(() -> kafkaIsOneLane(next, inFlight))
        .or(() -> toTemp ? wouldOverfillTheTempPool(next, inFlight, onTemp) : Optional.empty());
  }

  /** moveParallelism caps how many moves run at once: the API server and the controllers share the load. */
  static Optional<String> atParallelismLimit(Collection<PlannedMove> inFlight, int limit) {
    return inFlight.size() >= limit
        ? Optional.of(inFlight.size() + " moves in flight, moveParallelism is " + limit)
        : Optional.empty();
  }

  /** Without what PREPARE found about a workload (its budgets, its requests) nothing says it is independent. */
  private Optional<String> notInTheInventory(PlannedMove next) {
    return workloads.containsKey(next.workload()) ? Optional.empty()
        : Optional.of(next.workload() + " is not in the inventory: it moves alone");
  }

  /**
   * Two workloads covered by one PodDisruptionBudget never move at once. Each move asks the
   * budget about its own pods only (a surge-only rollout stops no pod before its successor is
   * ready; an eviction asks the budget), so two moves side by side could each spend the one
   * disruption the budget allows, and the budget would be broken although each move kept it.
   */
  private Optional<String> sharesABudgetWithAMoveInFlight(PlannedMove next, Collection<PlannedMove> inFlight) {
    Set<String> budgets = budgetsOf(next.workload());
    for (PlannedMove other : inFlight) {
      for (String budget : budgetsOf(other.workload())) {
        if (budgets.contains(budget)) {
          return Optional.of(next.workload() + " shares PodDisruptionBudget " + budget + " with " + other.workload()
              + ", which is moving");
        }
      }
    }
    return Optional.empty();
  }

  /**
   * Kafka brokers are one lane: one broker at a time, gate before, caught-up gate and settle timer
   * after. One Kafka StatefulSet's brokers already move inside one move; a second Kafka move
   * (another StatefulSet moved as brokers) waits, so that no two brokers are ever out at once.
   */
  private static Optional<String> kafkaIsOneLane(PlannedMove next, Collection<PlannedMove> inFlight) {
    if (next.method() != MoveMethod.KAFKA_BROKERS) {
      return Optional.empty();
    }
    return inFlight.stream().filter(m -> m.method() == MoveMethod.KAFKA_BROKERS).findFirst()
        .map(m -> "Kafka brokers move one at a time: " + m.workload() + " is moving");
  }

  /**
   * Onto the temporary pool, the pods of everything moved or moving must fit what the pool was
   * sized for. A move that would overfill it waits until it is the only move (then it is the
   * sequential move of today, which pauses the cycle with a resize hint if the pool is too small):
   * parallel moves never put more on the pool than sequential ones would have by then.
   */
  private Optional<String> wouldOverfillTheTempPool(PlannedMove next, Collection<PlannedMove> inFlight,
      Collection<WorkloadRef> onTemp) {
    Set<WorkloadRef> committed = new HashSet<>(onTemp);
    inFlight.forEach(m -> committed.add(m.workload()));
    committed.add(next.workload());
    long cpu = 0;
    long memory = 0;
    for (WorkloadRef ref : committed) {
      Workload w = workloads.get(ref);
      if (w != null) {
        cpu += w.cpuMillisRequested();
        memory += w.memoryBytesRequested();
      }
    }
    if (cpu > tempCpuMillis || memory > tempMemoryBytes) {
      return Optional.of(String.format(java.util.Locale.ROOT,
          "%s would bring the temporary pool to %d mCPU / %d MiB requested of %d mCPU / %d MiB it was sized for",
          next.workload(), cpu, memory >> 20, tempCpuMillis, tempMemoryBytes >> 20));
    }
    return Optional.empty();
  }

  private Set<String> budgetsOf(WorkloadRef ref) {
    Workload w = workloads.get(ref);
    Set<String> names = new HashSet<>();
    if (w != null && w.pdbs() != null) {
      for (PdbInfo pdb : w.pdbs()) {
        names.add(pdb.namespace() + "/" + pdb.name());
      }
    }
    return names;
  }
}
