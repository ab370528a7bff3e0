package dev.evolve.starter;

import static org.junit.jupiter.api.Assertions.assertTrue;

import dev.evolve.workflows.model.ApprovalInfo;
import dev.evolve.workflows.model.CycleStatus;
import dev.evolve.workflows.model.HoldInfo;
import dev.evolve.workflows.model.PauseInfo;
import dev.evolve.workflows.model.Phase;
import dev.evolve.workflows.model.Progress;
import java.util.Map;
import org.junit.jupiter.api.Test;

class PrinterTest {

  @Test
  void progressShowsTheHoldAndTheUsersPauseApartAndWhichResumeReleasesWhich() {
    Progress p = new Progress(CycleStatus.PAUSED, Phase.MIGRATE, "evicting batch/Job/nightly", Map.of(),
        "eviction refused by PodDisruptionBudget batch/nightly", null, null, 0, null,
        new PauseInfo("change freeze", "alice", 0L, false),
        new HoldInfo(CycleStatus.PAUSED, "eviction refused by PodDisruptionBudget batch/nightly", 0L),
        new ApprovalInfo("carol", 60_000L, "update"));

    String out = Printer.progress(p, 0L);

    assertTrue(out.contains("held by the cycle (PAUSED) since 1970-01-01T00:00:00Z: eviction refused by "
        + "PodDisruptionBudget batch/nightly  [resume --hold asks again]"), out);
    assertTrue(out.contains("paused by alice since 1970-01-01T00:00:00Z: change freeze (takes effect at the next "
        + "safe point)  [resume --pause releases it]"), out);
    assertTrue(out.contains("approved by carol at 1970-01-01T00:01:00Z (update)"), out);
  }
}
