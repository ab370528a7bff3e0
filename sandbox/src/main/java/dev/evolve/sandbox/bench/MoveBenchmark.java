package dev.evolve.sandbox.bench;

import dev.evolve.sandbox.Sandbox;
import dev.evolve.sandbox.Scenario;
import dev.evolve.sandbox.demo.Demo;
import dev.evolve.sandbox.demo.DemoLogging;
import dev.evolve.sandbox.demo.DemoOptions;
import dev.evolve.sandbox.demo.DemoReport;
import dev.evolve.sandbox.demo.Pace;
import dev.evolve.sandbox.kafka.KafkaReport;
import dev.evolve.workflows.model.CycleStatus;
import dev.evolve.workflows.model.MoveMethod;
import dev.evolve.workflows.model.Phase;
import dev.evolve.workflows.model.UpgradeRequest;
import java.io.OutputStream;
import java.io.PrintStream;
import java.time.Duration;
import java.util.EnumSet;
import java.util.List;
import java.util.Locale;
import java.util.Set;

/**
 * How fast a cycle moves a pool's workloads, against what the budgets allow and against the real
 * {@code kubectl drain}, on one sandbox in one run: a whole cycle on a generated pool (see
 * {@link BenchScenario}), then the same pool emptied node by node as GKE's surge upgrade would
 * (see {@link NodeByNodeDrain}). Prints its inputs, the budget-bound limit of each phase (see
 * {@link BudgetBoundLimit}), the measured phases, the ratios and the capacity used, and exits 1
 * when MIGRATE is more than 1.5x its limit, less than 3x faster than the drain, or anything was
 * disrupted.
 *
 * <p>Run: {@code scripts/benchmark-moves.sh [--nodes-per-zone N] [--deployments M] [--speed S]}
 */
public final class MoveBenchmark {

  static final double LIMIT_RATIO = 1.5;
  static final double GOAL_RATIO = 1.2;
  static final double DRAIN_RATIO = 3.0;
  /** GKE blue-green's node_pool_soak_duration default: the old pool stays this long after its drain. */
  static final Duration BLUE_GREEN_SOAK = Duration.ofHours(1);

  private static final Set<Phase> TEMP_POOL_LIFETIME = EnumSet.of(Phase.CREATE_TEMP_POOL, Phase.MIGRATE,
      Phase.UPGRADE_ORIGINAL, Phase.RESTORE, Phase.DECOMMISSION);

  public static void main(String[] args) throws Exception {
    int nodesPerZone = intOption(args, "--nodes-per-zone", 7);
    int deployments = intOption(args, "--deployments", 30);
    double speed = intOption(args, "--speed", 4);
    Scenario scenario = BenchScenario.generate(nodesPerZone, deployments);
    Sandbox.Settings settings = Sandbox.Settings.demo().withSpeed(speed);
    Pace pace = new Pace(Duration.ofMillis(300), 2, Duration.ofMillis(250), Duration.ofMinutes(5));
    DemoOptions options = DemoOptions.demo().withScenario(scenario).withPace(pace).withSandbox(settings);
    PrintStream out = System.out;
    java.nio.file.Path logFile = java.nio.file.Path.of("target", "benchmark-moves.log").toAbsolutePath();
    java.nio.file.Files.createDirectories(logFile.getParent());
    DemoLogging.toFile(logFile);
    out.println("log: " + logFile);

    out.println("== inputs");
    out.printf("pool: %d nodes (%d per zone x 3 zones, e2-standard-4); %d Deployments in %d shapes, StatefulSet "
        + "data/db (3 pods, zonal volumes), 3 real Kafka brokers, a DaemonSet%n", nodesPerZone * 3, nodesPerZone,
        deployments, BenchScenario.SHAPES.size());
    BenchScenario.SHAPES.forEach(s -> out.printf("  shape: %d replicas, %s, start-up %.0fs, grace %.0fs%n",
        s.replicas(), s.label(), s.startupSeconds(), s.graceSeconds()));
    out.printf("speed: pods start and stop %.0fx faster than the scenario says (Kafka brokers in real time); "
        + "moveParallelism %d; settle between brokers %ds%n", speed, UpgradeRequest.DEFAULT_MOVE_PARALLELISM,
        pace.settleSeconds());

    DrainRun drain = new DrainRun();
    PrintStream quiet = new PrintStream(OutputStream.nullOutputStream());
    out.println("== the cycle (./evolve demo on this scenario)");
    DemoReport cycle = Demo.run(options, quiet, (sandbox, report) -> drain.run(sandbox, report, out));
    out.printf("cycle: %s in %s; disruptions %d, pods lost with nodes %d, Kafka lost %d, below min ISR %.1fs%n",
        cycle.status(), BudgetBoundLimit.seconds(cycle.totalMillis()), cycle.disruptions().size(),
        cycle.podsLostWithNodes().size(), cycle.kafka() == null ? 0 : cycle.kafka().lost(),
        cycle.kafka() == null ? 0 : cycle.kafka().totalBelowMinIsrSeconds());
    if (cycle.status() != CycleStatus.SUCCEEDED || cycle.plan() == null) {
      out.println("FAIL: the cycle did not succeed: " + cycle.failure());
      System.exit(1);
    }

    BudgetBoundLimit limits = new BudgetBoundLimit(scenario, settings.cluster());
    int brokers = cycle.plan().moves().stream().filter(m -> m.method() == MoveMethod.KAFKA_BROKERS)
        .mapToInt(m -> m.ordinals().size()).sum();
    List<KafkaReport.BrokerMove> brokerMoves = cycle.kafka() == null ? List.of() : cycle.kafka().moves();
    out.println("== move time against the budget-bound limit");
    double migrate = phase(out, "MIGRATE", cycle, limits.of(cycle.plan(), part(brokerMoves, 0, brokers),
        pace.settleSeconds()));
    phase(out, "RESTORE", cycle, limits.of(cycle.plan(), part(brokerMoves, brokers, brokers), pace.settleSeconds()));

    out.println("== against node-by-node kubectl drain (GKE surge upgrade, maxSurge 1) on the same cluster");
    long migrateMillis = millis(cycle, Phase.MIGRATE);
    double drainRatio = drain.result.totalMillis() / (double) migrateMillis;
    List<Long> perNode = drain.result.turns().stream().map(NodeByNodeDrain.NodeTurn::readyAgainMillis).sorted()
        .toList();
    out.printf("drain: %d nodes in %s (per node, median %s, longest %s); disruptions %d%n",
        perNode.size(), BudgetBoundLimit.seconds(drain.result.totalMillis()),
        BudgetBoundLimit.seconds(perNode.get(perNode.size() / 2)), BudgetBoundLimit.seconds(perNode.get(perNode.size() - 1)),
        drain.disruptions);
    out.printf("MIGRATE %s vs drain %s: %.1fx faster (needs >= %.0fx)%n", BudgetBoundLimit.seconds(migrateMillis),
        BudgetBoundLimit.seconds(drain.result.totalMillis()), drainRatio, DRAIN_RATIO);

    out.println("== capacity");
    int poolNodes = cycle.originalNodes();
    int tempNodes = Math.max(cycle.plannedTempNodes(), cycle.peakTempNodes());
    long tempLifetime = cycle.phases().stream().filter(p -> TEMP_POOL_LIFETIME.contains(p.phase()))
        .mapToLong(DemoReport.PhaseTime::millis).sum();
    double evolveNodeHours = tempNodes * tempLifetime / 3_600_000.0;
    long blueGreenMillis = drain.result.totalMillis() + BLUE_GREEN_SOAK.toMillis();
    double blueGreenNodeHours = poolNodes * blueGreenMillis / 3_600_000.0;
    out.printf("extra nodes at peak: evolve %d (temporary pool sized to the moved pods) vs GKE blue-green %d "
        + "(a full copy of the pool): %.0f%% of it%n", tempNodes, poolNodes, 100.0 * tempNodes / poolNodes);
    out.printf("extra node-hours: evolve %d nodes x %s = %.3f vs blue-green %d nodes x (drain %s + soak %dh) = %.2f: "
        + "%.1f%% of it%n", tempNodes, BudgetBoundLimit.seconds(tempLifetime), evolveNodeHours, poolNodes,
        BudgetBoundLimit.seconds(drain.result.totalMillis()), BLUE_GREEN_SOAK.toHours(), blueGreenNodeHours,
        100.0 * evolveNodeHours / blueGreenNodeHours);

    boolean safe = cycle.disruptions().isEmpty() && cycle.podsLostWithNodes().isEmpty()
        && (cycle.kafka() == null || cycle.kafka().safe());
    boolean pass = migrate <= LIMIT_RATIO && drainRatio >= DRAIN_RATIO && safe;
    out.printf("== verdict: MIGRATE %.2fx its limit (must be <= %.1f, goal %.1f), %.1fx faster than drain "
        + "(must be >= %.0f), cycle %s: %s%n", migrate, LIMIT_RATIO, GOAL_RATIO, drainRatio, DRAIN_RATIO,
        safe ? "disrupted nothing" : "DISRUPTED", pass ? "PASS" : "FAIL");
    System.exit(pass ? 0 : 1);
  }

  /** Prints one phase's limits and measured time; returns measured / limit. */
  private static double phase(PrintStream out, String name, DemoReport cycle,
      List<BudgetBoundLimit.WorkloadLimit> limits) {
    long measured = millis(cycle, Phase.valueOf(name));
    long limit = limits.get(0).millis();
    long sum = limits.stream().mapToLong(BudgetBoundLimit.WorkloadLimit::millis).sum();
    out.printf("%s: %d moves; the longest own minimums:%n", name, limits.size());
    limits.stream().limit(4).forEach(l -> out.printf("  %-32s %-11s %7s  (%s)%n", l.workload(), l.method(),
        BudgetBoundLimit.seconds(l.millis()), l.how()));
    double ratio = measured / (double) limit;
    out.printf("%s: limit %s (the longest; all moves' minimums add up to %s, %s per slot of %d)%n", name,
        BudgetBoundLimit.seconds(limit), BudgetBoundLimit.seconds(sum),
        BudgetBoundLimit.seconds(sum / UpgradeRequest.DEFAULT_MOVE_PARALLELISM), UpgradeRequest.DEFAULT_MOVE_PARALLELISM);
    out.printf("%s: measured %s = %.2fx the limit%n", name, BudgetBoundLimit.seconds(measured), ratio);
    return ratio;
  }

  private static long millis(DemoReport cycle, Phase phase) {
    return cycle.phases().stream().filter(p -> p.phase() == phase).mapToLong(DemoReport.PhaseTime::millis)
        .findFirst().orElseThrow(() -> new IllegalStateException("the cycle has no phase " + phase));
  }

  private static List<KafkaReport.BrokerMove> part(List<KafkaReport.BrokerMove> moves, int from, int count) {
    return moves.subList(Math.min(from, moves.size()), Math.min(from + count, moves.size()));
  }

  private static int intOption(String[] args, String name, int fallback) {
    for (int i = 0; i < args.length - 1; i++) {
      if (args[i].equals(name)) {
        return Integer.parseInt(args[i + 1]);
      }
    }
    return fallback;
  }

  /** The drain, run on the cycle's sandbox after the cycle and before it stops. */
  private static final class DrainRun {
    NodeByNodeDrain.Result result;
    int disruptions;

    void run(Sandbox sandbox, DemoReport cycle, PrintStream out) {
      if (cycle.status() != CycleStatus.SUCCEEDED) {
        return;
      }
      int before = sandbox.cluster().disruptions().size();
      try {
        result = new NodeByNodeDrain(sandbox, out).run(cycle.pool());
      } catch (Exception e) {
        throw new IllegalStateException("the node-by-node drain failed: " + e.getMessage(), e);
      }
      disruptions = sandbox.cluster().disruptions().size() - before;
    }
  }

  private MoveBenchmark() {}
}
