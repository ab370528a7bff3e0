package dev.evolve.sandbox.bench;

import dev.evolve.sandbox.KubeCluster;
import dev.evolve.sandbox.Scenario;
import dev.evolve.sandbox.Scenario.WorkloadSpec;
import dev.evolve.sandbox.kafka.KafkaReport;
import dev.evolve.sandbox.observe.Budgets;
import dev.evolve.workflows.model.PlannedMove;
import dev.evolve.workflows.model.UpgradePlan;
import io.fabric8.kubernetes.api.model.IntOrString;
import java.util.ArrayList;
import java.util.Comparator;
import java.util.List;

/**
 * The shortest a phase of moves could possibly take without breaking a budget, worked out from
 * the scenario, never from the cycle's own timings: each workload's own minimum, with every
 * workload moving at once (no parallelism limit), so the longest one bounds the phase.
 *
 * <ul>
 *   <li>A Deployment rolled out surge-first (maxUnavailable 0, its own maxSurge) replaces at most
 *       maxSurge pods per wave, and a wave lasts one start-up: ceil(replicas / maxSurge) start-ups.
 *       A Recreate Deployment: one start-up after its pods have stopped (their grace period).
 *   <li>Pods evicted under a budget: at most the budget's allowed disruptions per wave, each wave
 *       one start-up of the replacements (without a budget, one wave).
 *   <li>A StatefulSet pod by pod: each pod stops (its grace period), then its successor starts.
 *   <li>Kafka brokers in series: for each broker, SIGTERM until it was back in every ISR, as the
 *       brokers themselves took it in this run (the physical floor of a safe broker move, which
 *       no scheduler can shorten), plus the settle time the request asks for between brokers.
 * </ul>
 */
final class BudgetBoundLimit {

  /** One workload's own minimum, in wall-clock milliseconds, and how it was computed. */
  record WorkloadLimit(String workload, String method, long millis, String how) {}

  private final Scenario scenario;
  private final KubeCluster.Settings speed;

  BudgetBoundLimit(Scenario scenario, KubeCluster.Settings speed) {
    this.scenario = scenario;
    this.speed = speed;
  }

  /**
   * Every planned move's minimum, longest first.
   *
   * @param brokerMoves the broker moves of this phase, in order (from the Kafka report)
   * @param settleSeconds the request's settle time between brokers
   */
  List<WorkloadLimit> of(UpgradePlan plan, List<KafkaReport.BrokerMove> brokerMoves, long settleSeconds) {
    List<WorkloadLimit> limits = new ArrayList<>();
    for (PlannedMove move : plan.moves()) {
      WorkloadSpec spec = spec(move);
      limits.add(switch (move.method()) {
        case DEPLOYMENT_ROLLOUT -> rollout(move, spec);
        case EVICTION -> eviction(move, spec);
        case STATEFULSET_POD_BY_POD -> podByPod(move, spec);
        case KAFKA_BROKERS -> kafkaChain(move, brokerMoves, settleSeconds);
      });
    }
    limits.sort(Comparator.comparingLong(WorkloadLimit::millis).reversed());
    return limits;
  }

  private WorkloadLimit rollout(PlannedMove move, WorkloadSpec spec) {
    long startup = startupMillis(spec);
    if ("Recreate".equals(spec.strategy())) {
      long grace = speed.wallMillis(graceSeconds(spec));
      return new WorkloadLimit(move.workload().toString(), "rollout", grace + startup,
          "Recreate: grace " + seconds(grace) + " + start-up " + seconds(startup));
    }
    int replicas = replicas(spec);
    int surge = Math.max(1, percent(spec.maxSurge(), "25%", replicas));
    int waves = (replicas + surge - 1) / surge;
    return new WorkloadLimit(move.workload().toString(), "rollout", waves * startup,
        waves + " wave(s) of " + surge + " x start-up " + seconds(startup));
  }

  private WorkloadLimit eviction(PlannedMove move, WorkloadSpec spec) {
    int replicas = replicas(spec);
    int allowed = replicas;
    if (spec.pdb() != null) {
      allowed = spec.pdb().minAvailable() != null
          ? replicas - percent(spec.pdb().minAvailable(), "0", replicas)
          : percent(spec.pdb().maxUnavailable(), "0", replicas);
    }
    allowed = Math.max(1, allowed);
    int waves = (replicas + allowed - 1) / allowed;
    long startup = startupMillis(spec);
    return new WorkloadLimit(move.workload().toString(), "eviction", waves * startup,
        waves + " wave(s) of " + allowed + " (budget) x start-up " + seconds(startup));
  }

  private WorkloadLimit podByPod(PlannedMove move, WorkloadSpec spec) {
    long grace = speed.wallMillis(graceSeconds(spec));
    long startup = startupMillis(spec);
    int pods = move.ordinals() == null ? replicas(spec) : move.ordinals().size();
    return new WorkloadLimit(move.workload().toString(), "pod by pod", pods * (grace + startup),
        pods + " x (grace " + seconds(grace) + " + start-up " + seconds(startup) + ")");
  }

  private static WorkloadLimit kafkaChain(PlannedMove move, List<KafkaReport.BrokerMove> moves, long settleSeconds) {
    long brokers = moves.stream().mapToLong(m -> Math.max(0, m.backInIsrMillis())).sum();
    long settle = Math.max(0, moves.size() - 1) * settleSeconds * 1000;
    return new WorkloadLimit(move.workload().toString(), "Kafka chain", brokers + settle,
        moves.size() + " brokers, SIGTERM to back in every ISR " + moves.stream()
            .map(m -> seconds(m.backInIsrMillis())).toList() + " + settle " + seconds(settle));
  }

  private WorkloadSpec spec(PlannedMove move) {
    return scenario.workloads().stream()
        .filter(w -> w.namespace().equals(move.workload().namespace()) && w.name().equals(move.workload().name())
            && w.kind().equals(move.workload().kind()))
        .findFirst()
        .orElseThrow(() -> new IllegalStateException("the plan moves " + move.workload() + ", which the scenario "
            + "does not have"));
  }

  private long startupMillis(WorkloadSpec spec) {
    // the sandbox's default start-up, as ScenarioObjects applies it
    return speed.wallMillis(spec.startupSeconds() == null ? 2.0 : spec.startupSeconds());
  }

  private static double graceSeconds(WorkloadSpec spec) {
    return spec.terminationGracePeriodSeconds() == null ? 30.0 : spec.terminationGracePeriodSeconds();
  }

  private static int replicas(WorkloadSpec spec) {
    return spec.replicas() == null ? 1 : spec.replicas();
  }

  /** A scenario's "3" or "25%" (or the fallback), rounded up as Kubernetes rounds maxSurge and budgets. */
  private static int percent(String value, String fallback, int total) {
    return Budgets.resolve(new IntOrString(value == null ? fallback : value), total);
  }

  static String seconds(long millis) {
    return String.format(java.util.Locale.ROOT, "%.1fs", millis / 1000.0);
  }
}
