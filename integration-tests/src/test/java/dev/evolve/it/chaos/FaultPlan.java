package dev.evolve.it.chaos;

import dev.evolve.workflows.model.Phase;
import java.util.ArrayList;
import java.util.EnumSet;
import java.util.List;
import java.util.Set;
import java.util.SplittableRandom;

/**
 * The faults of one cycle, drawn from the soak's seed and the cycle's number only: cycle N of seed
 * S gets the same plan whether the soak starts at cycle 0 or at N ({@code --first-cycle N}), and
 * whatever happened in the cycles before.
 *
 * @param requireApproval whether the cycle is started with requireApproval (then an operator
 *     approves it at a drawn moment)
 */
record FaultPlan(int cycle, boolean requireApproval, List<PlannedFault> faults) {

  /** The RPCs a cycle calls, any of which may fail transiently. */
  static final List<String> RPCS = List.of("GetCluster", "GetServerConfig", "ListNodePools", "GetNodePool",
      "ListOperations", "GetOperation", "CreateNodePool", "UpdateNodePool", "SetNodePoolAutoscaling",
      "SetNodePoolSize", "DeleteNodePool");

  /** The operations a cycle starts, and the phase that starts each (a fault is armed before it). */
  static final List<String> OPERATIONS = List.of("CREATE_NODE_POOL", "UPGRADE_NODES", "DELETE_NODE_POOL");
  private static final List<Phase> OPERATION_PHASES = List.of(Phase.PREPARE, Phase.MIGRATE, Phase.RESTORE);

  /** The phases of a cycle that moves, in order. */
  static final List<Phase> CYCLE_PHASES = List.of(Phase.PREPARE, Phase.CREATE_TEMP_POOL, Phase.MIGRATE,
      Phase.UPGRADE_ORIGINAL, Phase.RESTORE, Phase.DECOMMISSION);

  /** Kinds at most once per cycle: one stuck operation at a time (the fake has one release), one cancel, one restart. */
  private static final Set<FaultKind> ONCE = EnumSet.of(FaultKind.GKE_OPERATION_STUCK, FaultKind.OPERATOR_CANCEL,
      FaultKind.TEMPORAL_SERVER_RESTARTED, FaultKind.GKE_OPERATION_FAILS_HALF_WAY);

  static FaultPlan draw(long seed, int cycle, int faultsPerCycleMin, int faultsPerCycleMax) {
    // SplittableRandom mixes its seed: java.util.Random gives near-equal first draws for adjacent seeds
    SplittableRandom random = new SplittableRandom(seed * 1_000_003L + cycle);
    boolean requireApproval = random.nextInt(4) == 0;
    int count = faultsPerCycleMin + random.nextInt(faultsPerCycleMax - faultsPerCycleMin + 1);
    List<PlannedFault> faults = new ArrayList<>();
    Set<FaultKind> used = EnumSet.noneOf(FaultKind.class);
    while (faults.size() < count) {
      FaultKind kind = drawKind(random);
      if (ONCE.contains(kind) && !used.add(kind)) {
        continue;
      }
      faults.add(fault(kind, random));
    }
    if (requireApproval) {
      // the approval comes at a moment of its own in MIGRATE: before the cycle asks for it (after
      // MIGRATE), or while it waits
      faults.add(new PlannedFault(FaultKind.OPERATOR_APPROVE, Phase.MIGRATE, random.nextInt(10000), 0, "", 0));
    }
    return new FaultPlan(cycle, requireApproval, List.copyOf(faults));
  }

  private static FaultKind drawKind(SplittableRandom random) {
    int total = 0;
    for (FaultKind k : FaultKind.values()) {
      total += k.weight;
    }
    int at = random.nextInt(total);
    for (FaultKind k : FaultKind.values()) {
      at -= k.weight;
      if (at < 0) {
        return k;
      }
    }
    throw new IllegalStateException();
  }

  private static PlannedFault fault(FaultKind kind, SplittableRandom random) {
    Phase anyPhase = CYCLE_PHASES.get(random.nextInt(CYCLE_PHASES.size()));
    long after = random.nextInt(4000);
    return switch (kind) {
      case GKE_UNAVAILABLE, GKE_DEADLINE_EXCEEDED, GKE_RATE_LIMITED ->
          new PlannedFault(kind, anyPhase, after, 0, RPCS.get(random.nextInt(RPCS.size())), 0);
      case GKE_OPERATION_FAILS_HALF_WAY, GKE_OPERATION_STUCK -> {
        int op = random.nextInt(OPERATIONS.size());
        // armed at the start of the phase before the operation's, so that it is the next one
        yield new PlannedFault(kind, OPERATION_PHASES.get(op), 0, kind == FaultKind.GKE_OPERATION_STUCK
            ? 5000 + random.nextInt(10000) : 0, OPERATIONS.get(op), 0);
      }
      case GKE_OTHER_CALLERS_OPERATION -> new PlannedFault(kind, anyPhase, after, 3000 + random.nextInt(6000),
          "UPDATE_CLUSTER", 0);
      case APISERVER_RESTARTED -> new PlannedFault(kind, anyPhase, after, 500 + random.nextInt(2500), "", 0);
      case CONTROLLER_MANAGER_PAUSED -> new PlannedFault(kind, anyPhase, after, 3000 + random.nextInt(7000), "", 0);
      case NODE_NOT_READY -> new PlannedFault(kind, anyPhase, after, 3000 + random.nextInt(7000), "",
          random.nextInt(100));
      // budgets are asked by evictions, which happen while moving
      case BUDGET_TIGHTENED -> new PlannedFault(kind, random.nextBoolean() ? Phase.MIGRATE : Phase.RESTORE,
          random.nextInt(3000), 3000 + random.nextInt(9000), "", random.nextInt(100));
      case WORKER_KILLED -> new PlannedFault(kind, random.nextInt(6) == 0 ? Phase.COMPENSATE : anyPhase, after, 0,
          "", 0);
      case TEMPORAL_SERVER_RESTARTED -> new PlannedFault(kind, anyPhase, after, 0, "", 0);
      case OPERATOR_PAUSE -> new PlannedFault(kind, anyPhase, after, 2000 + random.nextInt(4000), "", 0);
      case OPERATOR_CANCEL -> new PlannedFault(kind, CYCLE_PHASES.get(1 + random.nextInt(4)), after, 0, "", 0);
      case OPERATOR_APPROVE -> throw new IllegalArgumentException("approvals are not drawn by weight");
    };
  }
}
