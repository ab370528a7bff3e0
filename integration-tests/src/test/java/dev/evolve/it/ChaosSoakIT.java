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
   * Two cycles of this seed draw faults in every part: GKE (a transient error, another caller's
   * operation), Kubernetes (kube-apiserver restarted, the controller-manager paused), Temporal (the
   * worker killed, the dev server restarted) and operators (approvals).
   */
  static final long CI_SEED = 5;

  @Test
  void twoCyclesUnderRandomFaultsBreakNoInvariant() {
    ChaosSoak.Settings settings = new ChaosSoak.Settings(CI_SEED, 0, 2,
        TestPaths.root().resolve("integration-tests/src/test/resources/chaos-scenario.yaml"), 3, 4,
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
