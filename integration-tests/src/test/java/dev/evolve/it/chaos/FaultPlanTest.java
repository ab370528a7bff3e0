package dev.evolve.it.chaos;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertNotEquals;
import static org.junit.jupiter.api.Assertions.assertTrue;

import java.util.EnumSet;
import java.util.Set;
import java.util.stream.IntStream;
import org.junit.jupiter.api.Test;

/** A seed must give the same plan for a cycle every time, so that a breach replays with --seed. */
class FaultPlanTest {

  @Test
  void aCyclesPlanDependsOnlyOnTheSeedAndItsNumber() {
    assertEquals(FaultPlan.draw(42, 7, 4, 6), FaultPlan.draw(42, 7, 4, 6));
    assertNotEquals(FaultPlan.draw(42, 7, 4, 6), FaultPlan.draw(42, 8, 4, 6));
    assertNotEquals(FaultPlan.draw(42, 7, 4, 6), FaultPlan.draw(43, 7, 4, 6));
  }

  @Test
  void fiftyCyclesDrawEveryKindAndEnoughFaults() {
    Set<FaultKind> drawn = EnumSet.noneOf(FaultKind.class);
    int faults = IntStream.range(0, 50).map(n -> {
      FaultPlan plan = FaultPlan.draw(1, n, 4, 6);
      plan.faults().forEach(f -> drawn.add(f.kind()));
      assertTrue(plan.faults().stream().filter(f -> f.kind() == FaultKind.OPERATOR_CANCEL).count() <= 1);
      assertTrue(plan.faults().stream().filter(f -> f.kind() == FaultKind.GKE_OPERATION_STUCK).count() <= 1);
      return plan.faults().size();
    }).sum();
    assertEquals(EnumSet.allOf(FaultKind.class), drawn);
    assertTrue(faults >= 250, "faults planned in 50 cycles: " + faults);
  }
}
