package dev.evolve.sandbox.demo;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertNotNull;
import static org.junit.jupiter.api.Assertions.assertNull;
import static org.junit.jupiter.api.Assertions.assertTrue;

import dev.evolve.sandbox.Scenario;
import dev.evolve.sandbox.kafka.KafkaReport;
import dev.evolve.workflows.model.CycleStatus;
import dev.evolve.workflows.model.Phase;
import java.io.ByteArrayOutputStream;
import java.io.PrintStream;
import java.nio.charset.StandardCharsets;
import java.time.Duration;
import java.util.List;
import java.util.Map;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.params.ParameterizedTest;
import org.junit.jupiter.params.provider.EnumSource;

/**
 * The demo end to end, at test pace: the sandbox, the in-process Temporal server, the real
 * worker registration and activities, through a whole cycle, a failure in each phase, and a
 * pause. Every assertion is about what the simulated cluster and the fake GKE hold afterwards.
 */
class DemoEndToEndTest {

  private static final org.slf4j.Logger log = org.slf4j.LoggerFactory.getLogger(DemoEndToEndTest.class);

  static final Scenario SCENARIO = Scenario.defaultScenario();
  static final String POOL = SCENARIO.pools().get(0).name();
  static final String OLD_VERSION = SCENARIO.pools().get(0).version();
  static final String TARGET = SCENARIO.cluster().controlPlaneVersion();

  /** Pods of the Deployments and StatefulSets: the ones a cycle moves and must bring back. */
  static int workloadPods() {
    return SCENARIO.workloads().stream().filter(w -> !w.kind().equals("DaemonSet"))
        .mapToInt(w -> w.replicas() == null ? 1 : w.replicas()).sum();
  }

  static int brokers() {
    return SCENARIO.workloads().stream().filter(w -> w.kafkaOrNull() != null).findFirst().orElseThrow()
        .replicas();
  }

  /** A run's report, and what it printed (shown when an assertion fails). */
  record Run(DemoReport report, String output) {}

  static Run run(DemoOptions options) {
    ByteArrayOutputStream bytes = new ByteArrayOutputStream();
    PrintStream out = new PrintStream(bytes, true, StandardCharsets.UTF_8);
    DemoReport report = Demo.run(options, out);
    Summary.print(report, new PrintStream(bytes, true, StandardCharsets.UTF_8));
    String output = bytes.toString(StandardCharsets.UTF_8);
    // the summary's figures (the Kafka block's above all) belong in the test log, passed or not
    log.info("{}", output.substring(Math.max(0, output.indexOf("== summary =="))));
    return new Run(report, output);
  }

  /** Whatever happened, the cluster must end like this. */
  static void assertLeftSafe(Run run) {
    DemoReport r = run.report();
    assertEquals(List.of(), r.disruptions(), run.output());
    assertEquals(List.of(), r.podsLostWithNodes(), run.output());
    assertEquals(0, r.podsNotReady(), run.output());
    assertEquals(Map.of(POOL, workloadPods()), r.podsPerPool(), "every workload pod back on " + POOL + "\n"
        + run.output());
    assertEquals(List.of(POOL), List.copyOf(r.pools().keySet()), "no pool leaked\n" + run.output());
    assertEquals("RUNNING", r.pools().get(POOL).status(), run.output());
    assertKafkaLostNothing(run);
    assertTrue(r.clusterSafe(), run.output());
  }

  /** The producer ran through the whole run on the real brokers: nothing acknowledged lost, min ISR kept. */
  static void assertKafkaLostNothing(Run run) {
    KafkaReport k = run.report().kafka();
    assertNotNull(k, "the default scenario runs real brokers\n" + run.output());
    assertTrue(k.acknowledged() > 0, "the producer wrote nothing\n" + run.output());
    assertEquals(0, k.lost(), "acknowledged messages never read back: " + k.lostExamples() + "\n" + run.output());
    assertEquals(k.acknowledged(), k.consumed(), run.output());
    assertEquals(0.0, k.totalBelowMinIsrSeconds(), "a partition went below min.insync.replicas\n" + run.output());
    k.lowestIsr().forEach((topic, isr) -> assertTrue(isr >= k.minInsyncReplicas(), topic + " ISR " + isr));
    assertTrue(k.samples() > 0, run.output());
  }

  /**
   * A whole cycle, paused for two seconds in MIGRATE on the way (one run for both: each run moves
   * real brokers for a minute and a half, and a pause changes nothing of what the cycle ends with).
   */
  @Test
  void aWholeCyclePausedOnTheWayUpgradesThePoolWithoutDisruptionAndDeletesTheTempPool() {
    Run run = run(DemoOptions.fast().pausingAt(Phase.MIGRATE, Duration.ofSeconds(2)));
    DemoReport r = run.report();

    // paused: nothing moved until resumed
    DemoReport.PauseCheck pause = r.pause();
    assertNotNull(pause, run.output());
    assertEquals(Phase.MIGRATE, pause.phase(), run.output());
    assertTrue(pause.heldMillis() >= 2000, "held " + pause.heldMillis() + " ms");
    assertEquals(0, pause.podStartsWhilePaused(), run.output());
    assertTrue(pause.phaseUnchanged(), run.output());
    assertTrue(pause.podsPerPoolUnchanged(), run.output());
    assertFalse(pause.resumedByEnter());
    assertTrue(run.output().contains("paused in MIGRATE"), run.output());

    assertEquals(CycleStatus.SUCCEEDED, r.status(), run.output());
    assertNull(r.failure(), run.output());
    assertLeftSafe(run);
    assertEquals(TARGET, r.pools().get(POOL).version(), run.output());
    assertTrue(r.tempPoolOutcome().startsWith("DELETED"), r.tempPoolOutcome());
    assertEquals(List.of(Phase.PREPARE, Phase.CREATE_TEMP_POOL, Phase.MIGRATE, Phase.UPGRADE_ORIGINAL,
        Phase.RESTORE, Phase.DECOMMISSION), r.phases().stream().map(DemoReport.PhaseTime::phase).toList());
    r.phases().forEach(p -> assertEquals(p.total(), p.done(), p + " not finished"));
    // every workload pod moved off and back, each move one new pod
    assertEquals(2 * workloadPods(), r.podsMoved(), run.output());
    assertEquals(2 * workloadPods(), r.podStarts(), run.output());
    assertEquals(2 * brokers(), r.brokersRotated(), run.output());
    // each broker stopped in a controlled way, came back on the other pool and rejoined every ISR
    assertEquals(2 * brokers(), r.kafka().moves().size(), run.output());
    r.kafka().moves().forEach(m -> {
      assertEquals("stopped", m.how(), "a broker was killed instead of shut down: " + m + "\n" + run.output());
      assertTrue(m.backInIsrMillis() > 0, "broker " + m.broker() + " never seen back in every ISR\n" + run.output());
    });
    assertEquals(r.originalNodes(), r.plannedTempNodes(), "the default scenario's temp pool mirrors the original");
    assertEquals(r.plannedTempNodes(), r.peakTempNodes(), run.output());
    assertEquals(0, r.exitCode(), run.output());
    // the live progress went through every phase, with pods on both pools along the way
    for (Phase phase : List.of(Phase.MIGRATE, Phase.UPGRADE_ORIGINAL, Phase.RESTORE, Phase.DECOMMISSION)) {
      assertTrue(run.output().contains("] " + phase + " "), "no progress line in " + phase + "\n" + run.output());
    }
    assertTrue(run.output().contains(POOL + " 0 pods/"), "the original pool was emptied\n" + run.output());
  }

  @ParameterizedTest(name = "--fail-at {0}")
  @EnumSource(value = Phase.class, names = {"PREPARE", "CREATE_TEMP_POOL", "MIGRATE", "UPGRADE_ORIGINAL",
      "RESTORE", "DECOMMISSION"})
  void aFailureInAnyPhaseLeavesTheClusterSafe(Phase phase) {
    Run run = run(DemoOptions.fast().failingAt(phase));
    DemoReport r = run.report();

    assertNotNull(r.injected(), run.output());
    assertTrue(r.injected().hit(), "the injected failure was never met\n" + run.output());
    assertTrue(r.failure().contains("injected by --fail-at " + phase), r.failure());
    assertLeftSafe(run);
    if (phase == Phase.PREPARE) {
      assertEquals(CycleStatus.FAILED, r.status(), run.output());
      assertNull(r.compensation(), "nothing had changed, so nothing to roll back");
      assertEquals(0, r.podStarts(), "nothing may move when PREPARE fails\n" + run.output());
    } else if (phase == Phase.RESTORE || phase == Phase.DECOMMISSION) {
      // the pool is upgraded: nothing to roll back, the step is tried again and the cycle finishes
      assertEquals(CycleStatus.UPGRADED_WITH_ISSUES, r.status(), run.output());
      assertTrue(r.failure().startsWith(phase + " failed after"), r.failure());
      assertNull(r.compensation(), run.output());
    } else {
      assertEquals(CycleStatus.ROLLED_BACK, r.status(), run.output());
      assertTrue(r.failure().startsWith(phase + " failed and was rolled back"), r.failure());
      assertNotNull(r.compensation(), run.output());
    }
    // the pool is upgraded only once its upgrade went through
    boolean upgraded = phase == Phase.RESTORE || phase == Phase.DECOMMISSION;
    assertEquals(upgraded ? TARGET : OLD_VERSION, r.pools().get(POOL).version(), run.output());
    assertEquals(0, r.exitCode(), run.output());
  }
}
