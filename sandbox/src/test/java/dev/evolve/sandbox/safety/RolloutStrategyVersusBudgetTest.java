package dev.evolve.sandbox.safety;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertNotNull;
import static org.junit.jupiter.api.Assertions.assertTrue;

import dev.evolve.sandbox.Scenario;
import dev.evolve.sandbox.Scenario.Budget;
import dev.evolve.sandbox.Scenario.WorkloadSpec;
import dev.evolve.sandbox.demo.Demo;
import dev.evolve.sandbox.demo.DemoOptions;
import dev.evolve.sandbox.demo.DemoReport;
import dev.evolve.sandbox.demo.Summary;
import dev.evolve.workflows.model.CycleStatus;
import java.io.ByteArrayOutputStream;
import java.io.PrintStream;
import java.nio.charset.StandardCharsets;
import java.util.List;
import java.util.Map;
import org.junit.jupiter.api.Test;

/**
 * A Deployment's own rollout strategy may take more pods down than its PodDisruptionBudget allows:
 * the Deployment controller does not consult budgets. On the real control plane, a cycle must
 * still never break a budget: it moves such Deployments in a budget-safe way, or blocks in PREPARE
 * with a named reason and changes nothing.
 */
class RolloutStrategyVersusBudgetTest {

  static final Scenario BASE = Scenario.defaultScenario();

  static WorkloadSpec deployment(String name, int replicas, String maxSurge, String maxUnavailable, Budget pdb) {
    return new WorkloadSpec("Deployment", "shop", name, replicas, "100m", "128Mi", 2.0, null, maxSurge,
        maxUnavailable, null, null, null, null, null, pdb, null);
  }

  static Scenario withWorkloads(List<WorkloadSpec> workloads) {
    return new Scenario(BASE.cluster(), BASE.pools(), workloads, BASE.seed());
  }

  record Run(DemoReport report, String output) {}

  static Run run(Scenario scenario) {
    ByteArrayOutputStream bytes = new ByteArrayOutputStream();
    PrintStream out = new PrintStream(bytes, true, StandardCharsets.UTF_8);
    DemoReport report = Demo.run(DemoOptions.fast().withScenario(scenario), out);
    Summary.print(report, out);
    return new Run(report, bytes.toString(StandardCharsets.UTF_8));
  }

  /**
   * Strategies that allow unavailability (maxUnavailable 1, and the default 25%/25%) under budgets
   * that allow none: each rollout alone would take a Ready pod down before its replacement is up.
   */
  @Test
  void deploymentsWhoseStrategyAllowsMoreThanTheirBudgetMoveWithoutDisruption() {
    Run run = run(withWorkloads(List.of(
        deployment("surge-and-unavailable", 3, "1", "1", new Budget("3", null)),
        deployment("default-strategy", 4, null, null, new Budget(null, "0")),
        deployment("half-unavailable", 4, "25%", "50%", new Budget("100%", null)))));
    DemoReport r = run.report();

    assertEquals(CycleStatus.SUCCEEDED, r.status(), run.output());
    assertEquals(List.of(), r.disruptions(), run.output());
    assertEquals(Map.of(r.pool(), 11), r.podsPerPool(), run.output());
    assertEquals(0, r.podsNotReady(), run.output());
  }

  /**
   * maxSurge 0 forbids a new pod before an old one stops, and the budget forbids stopping one:
   * no move can honour both, so the cycle must refuse before it changes anything.
   */
  @Test
  void aDeploymentThatMayNotSurgeUnderABudgetAtZeroBlocksThePlan() {
    Run run = run(withWorkloads(List.of(
        deployment("no-surge", 3, "0", "1", new Budget("3", null)))));
    DemoReport r = run.report();

    assertEquals(CycleStatus.BLOCKED, r.status(), run.output());
    assertNotNull(r.failure(), run.output());
    assertTrue(r.failure().contains("shop/Deployment/no-surge"), run.output());
    assertTrue(r.failure().contains("PDB_AT_ZERO") || r.failure().contains("allows 0 disruptions"), run.output());
    assertEquals(List.of(), r.disruptions(), run.output());
    assertEquals(List.of(r.pool()), List.copyOf(r.pools().keySet()), "no temporary pool\n" + run.output());
    assertEquals(BASE.pools().get(0).version(), r.pools().get(r.pool()).version(), run.output());
  }
}
