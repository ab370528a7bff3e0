package dev.evolve.sandbox.demo;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertTrue;

import dev.evolve.sandbox.SandboxStatus.PoolStatus;
import dev.evolve.sandbox.kafka.KafkaReport;
import dev.evolve.workflows.model.CycleStatus;
import dev.evolve.workflows.model.Phase;
import java.util.List;
import java.util.Map;
import org.junit.jupiter.api.Test;

/** When the demo calls the cluster safe and the run as intended, which decides its exit code. */
class DemoReportTest {

  static final String TARGET = "1.33.5-gke.1201000";
  static final PoolStatus UPGRADED = new PoolStatus(TARGET, "RUNNING", 3);
  static final PoolStatus OLD = new PoolStatus("1.32.9-gke.1100000", "RUNNING", 3);

  static DemoReport report(CycleStatus status, Map<String, PoolStatus> pools, String tempPoolOutcome,
      List<String> disruptions, DemoReport.Injected injected) {
    return report(status, pools, tempPoolOutcome, disruptions, injected, null);
  }

  static DemoReport report(CycleStatus status, Map<String, PoolStatus> pools, String tempPoolOutcome,
      List<String> disruptions, DemoReport.Injected injected, KafkaReport kafka) {
    return new DemoReport("c", "pool", "pool-temp", "1.32.9-gke.1100000", TARGET, "in-process", status, null,
        List.of(), 1000, 3, 3, 3, 20, 20, 6, disruptions, List.of(), pools, Map.of("pool", 10), 0, tempPoolOutcome,
        injected, null, null, kafka, null, List.of());
  }

  static KafkaReport kafka(long lost, double secondsBelowMinIsr) {
    return new KafkaReport("4.3.1", "separate quorum of 3", 3, List.of("orders"), 3, 2, 1000, 1000, 0, 1000 - lost,
        lost, 0, Map.of("orders", secondsBelowMinIsr > 0 ? 1 : 2), Map.of("orders", secondsBelowMinIsr), 100, 0, 600,
        900, 0, List.of(), List.of());
  }

  @Test
  void kafkaThatLostAnAcknowledgedMessageFailsTheRun() {
    DemoReport r = report(CycleStatus.SUCCEEDED, Map.of("pool", UPGRADED), "DELETED", List.of(), null, kafka(1, 0));
    assertTrue(r.asIntended());
    assertFalse(r.clusterSafe());
    assertEquals(1, r.exitCode());
  }

  @Test
  void aPartitionBelowMinIsrFailsTheRunEvenWithNothingLost() {
    DemoReport r = report(CycleStatus.SUCCEEDED, Map.of("pool", UPGRADED), "DELETED", List.of(), null, kafka(0, 0.5));
    assertFalse(r.clusterSafe());
    assertEquals(1, r.exitCode());
    assertEquals(0, report(CycleStatus.SUCCEEDED, Map.of("pool", UPGRADED), "DELETED", List.of(), null,
        kafka(0, 0)).exitCode());
  }

  @Test
  void aTempPoolKeptByPolicyAfterASucceededCycleIsSafe() {
    DemoReport r = report(CycleStatus.SUCCEEDED,
        Map.of("pool", UPGRADED, "pool-temp", new PoolStatus(TARGET, "RUNNING", 0)),
        "SCALED_TO_ZERO (0 nodes, RUNNING)", List.of(), null);
    assertTrue(r.clusterSafe());
    assertEquals(0, r.exitCode());
  }

  @Test
  void aTempPoolLeftAfterARollbackIsALeak() {
    DemoReport r = report(CycleStatus.ROLLED_BACK,
        Map.of("pool", OLD, "pool-temp", new PoolStatus(TARGET, "RUNNING", 3)), "STILL THERE: 3 nodes, RUNNING",
        List.of(), new DemoReport.Injected(Phase.MIGRATE, "the second workload's move fails", true));
    assertFalse(r.clusterSafe());
    assertEquals(1, r.exitCode());
  }

  @Test
  void oneDisruptionFailsTheRunEvenIfTheCycleSucceeded() {
    DemoReport r = report(CycleStatus.SUCCEEDED, Map.of("pool", UPGRADED), "DELETED",
        List.of("shop/Deployment/checkout (shop/checkout): 0 ready of 1 required"), null);
    assertTrue(r.asIntended());
    assertFalse(r.clusterSafe());
    assertEquals(1, r.exitCode());
  }

  @Test
  void anInjectedFailureThatWasNeverMetIsNotWhatWasAskedFor() {
    DemoReport r = report(CycleStatus.SUCCEEDED, Map.of("pool", UPGRADED), "DELETED", List.of(),
        new DemoReport.Injected(Phase.RESTORE, "the second workload's move back fails", false));
    assertTrue(r.clusterSafe());
    assertFalse(r.asIntended());
    assertEquals(1, r.exitCode());
  }

  @Test
  void aSucceededCycleMustLeaveThePoolOnTheTargetVersion() {
    DemoReport r = report(CycleStatus.SUCCEEDED, Map.of("pool", OLD), "DELETED", List.of(), null);
    assertFalse(r.asIntended());
  }
}
