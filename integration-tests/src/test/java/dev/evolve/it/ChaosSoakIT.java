package dev.evolve.it;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertTrue;

import java.time.Duration;
import java.util.List;
import org.junit.jupiter.api.Test;

/**
 * CI's short chaos soak: the same code as scripts/chaos.sh, two cycles of a fixed seed on the
 * chaos scenario (the no-Kafka cluster), so that it stays within about a minute and a half. A long
 * soak is run by hand (README, "The chaos soak").
 */
class ChaosSoakIT {

  /**
   * Three faults a cycle of this seed touch every part: cycle 0 the worker killed with SIGKILL
   * during UPGRADE_ORIGINAL, GKE's upgrade failing half-way (a rollback), a rate limit and an
   * operator's approval; cycle 1 two rate limits and the controller-manager paused (SIGSTOP). Seeds
   * whose faults cost minutes (a worker killed during a read, kube-apiserver restarted) are left to
   * the long soak: CI's budget is about a minute and a half.
   */
  static final long CI_SEED = 2;

  @Test
  void twoCyclesUnderRandomFaultsBreakNoInvariant() {
    ChaosSoak.Settings settings = new ChaosSoak.Settings(CI_SEED, 0, 2,
        TestPaths.root().resolve("integration-tests/src/test/resources/chaos-scenario.yaml"), 3, 3,
        Duration.ofMinutes(3), null);
    SoakReport report;
    try (ChaosSoak soak = ChaosSoak.start(settings)) {
      report = soak.run(c -> System.out.println(SoakReport.line(c)));
    }
    System.out.print(report.table());
    assertEquals(List.of(), report.breaches(), report.table());
    assertEquals(2, report.cycles().size());
    assertTrue(report.faultsInjected() >= 4, report.table());
  }
}
