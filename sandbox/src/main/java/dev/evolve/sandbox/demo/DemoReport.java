package dev.evolve.sandbox.demo;

import dev.evolve.sandbox.SandboxStatus;
import dev.evolve.sandbox.kafka.KafkaReport;
import dev.evolve.workflows.model.CycleStatus;
import dev.evolve.workflows.model.Phase;
import dev.evolve.workflows.model.UpgradePlan;
import java.util.List;
import java.util.Map;

/**
 * What one demo run showed: how the cycle went, and what the cluster looked like at the end.
 * The summary prints it; the end-to-end tests assert on it.
 *
 * @param cluster the sandbox cluster's name
 * @param pool the pool the cycle upgraded
 * @param tempPool the temporary pool's name
 * @param fromVersion the pool's version before the cycle
 * @param targetVersion the version the cycle aimed for
 * @param temporal which Temporal ran the cycle
 * @param status how the cycle ended (FAILED: it failed before changing anything, e.g. in PREPARE)
 * @param failure the workflow's failure message, null when it succeeded
 * @param phases every phase the cycle entered, in order, with its duration
 * @param totalMillis from start of the workflow to its end
 * @param originalNodes nodes of the original pool when the cycle planned
 * @param plannedTempNodes nodes the plan gave the temporary pool (0 before a plan)
 * @param peakTempNodes most nodes the temporary pool was seen with
 * @param podsMoved pods moved off the pool and back, as the workflow counted them (-1: it did not finish)
 * @param podStarts workload pods started during the cycle, as the cluster saw them: each move starts one
 * @param brokersRotated Kafka broker pods started during the cycle: one per broker moved, either way
 * @param disruptions every stretch where a workload had fewer Ready pods than its budget requires
 * @param podsLostWithNodes workload pods that went down with a node (a pool deleted or upgraded under them)
 * @param pools the pools at the end: version, status, nodes
 * @param podsPerPool workload pods per pool at the end
 * @param podsNotReady workload pods pending or not Ready at the end
 * @param tempPoolOutcome what became of the temporary pool
 * @param injected the failure --fail-at injected (null: none)
 * @param compensation what the rollback did, in words (null: it did not run)
 * @param pause what the pause showed (null: no --pause-at)
 * @param kafka what the producer and consumer saw on the real brokers (null: the scenario has no Kafka)
 * @param plan the cycle's plan (null: it ended before planning), for the benchmarks' limits
 * @param notes the cycle's result notes (empty when it did not finish), e.g. the Terraform hint
 */
public record DemoReport(
    String cluster,
    String pool,
    String tempPool,
    String fromVersion,
    String targetVersion,
    String temporal,
    CycleStatus status,
    String failure,
    List<PhaseTime> phases,
    long totalMillis,
    int originalNodes,
    int plannedTempNodes,
    int peakTempNodes,
    int podsMoved,
    int podStarts,
    int brokersRotated,
    List<String> disruptions,
    List<String> podsLostWithNodes,
    Map<String, SandboxStatus.PoolStatus> pools,
    Map<String, Integer> podsPerPool,
    int podsNotReady,
    String tempPoolOutcome,
    Injected injected,
    String compensation,
    PauseCheck pause,
    KafkaReport kafka,
    UpgradePlan plan,
    List<String> notes) {

  /** One phase's wall-clock duration (workflow time, which is real time here) and items done. */
  public record PhaseTime(Phase phase, long millis, int done, int total) {}

  /** The failure --fail-at injected, and whether the cycle actually met it. */
  public record Injected(Phase phase, String what, boolean hit) {}

  /**
   * What the demo saw while the cycle was paused.
   *
   * @param phase the phase the pause took hold in (null: it never did, the cycle ended first)
   * @param heldMillis how long the cycle stayed paused before the demo resumed it
   * @param podStartsWhilePaused workload pods started while paused: must be 0
   * @param phaseUnchanged the phase and its done count were the same at the end of the pause
   * @param podsPerPoolUnchanged no pod changed pools while paused
   * @param resumedByEnter Enter ended the pause rather than the timer
   */
  public record PauseCheck(Phase phase, String reason, long heldMillis, int podStartsWhilePaused,
      boolean phaseUnchanged, boolean podsPerPoolUnchanged, boolean resumedByEnter) {

    public boolean nothingMoved() {
      return phase != null && podStartsWhilePaused == 0 && phaseUnchanged && podsPerPoolUnchanged;
    }
  }

  /**
   * The cluster was left safe: nothing disrupted, nothing lost with a node, every workload pod
   * Ready, no temporary pool left behind unless the policy keeps it after a finished cycle, and
   * Kafka lost no acknowledged message and never had a partition below min.insync.replicas.
   */
  public boolean clusterSafe() {
    boolean tempPoolLeft = pools.containsKey(tempPool);
    boolean keptByPolicy = status == CycleStatus.SUCCEEDED && tempPoolOutcome != null
        && (tempPoolOutcome.startsWith("KEPT") || tempPoolOutcome.startsWith("SCALED_TO_ZERO"));
    return disruptions.isEmpty() && podsLostWithNodes.isEmpty() && podsNotReady == 0
        && (!tempPoolLeft || keptByPolicy) && (kafka == null || kafka.safe());
  }

  /**
   * The run showed what it was asked to show: a cycle that succeeded with the pool on the target
   * version, or, with --fail-at, a cycle that met the injected failure and rolled back (or, in
   * PREPARE, stopped before changing anything; in RESTORE or DECOMMISSION, finished forward with
   * the pool upgraded); and a pause, if asked for, that held everything still.
   */
  public boolean asIntended() {
    boolean cycle;
    if (injected == null) {
      SandboxStatus.PoolStatus original = pools.get(pool);
      cycle = status == CycleStatus.SUCCEEDED && original != null && targetVersion.equals(original.version());
    } else {
      SandboxStatus.PoolStatus original = pools.get(pool);
      boolean afterUpgrade = injected.phase() == Phase.RESTORE || injected.phase() == Phase.DECOMMISSION;
      // once the pool is upgraded the cycle finishes forward instead of rolling back
      cycle = injected.hit() && (afterUpgrade
          ? status == CycleStatus.UPGRADED_WITH_ISSUES && original != null && targetVersion.equals(original.version())
          : status == CycleStatus.ROLLED_BACK || (injected.phase() == Phase.PREPARE && status == CycleStatus.FAILED));
    }
    return cycle && (pause == null || pause.nothingMoved());
  }

  /** 0 when the run went as intended and left the cluster safe, 1 otherwise. */
  public int exitCode() {
    return asIntended() && clusterSafe() ? 0 : 1;
  }
}
