package dev.evolve.it.chaos;

import java.time.Duration;
import java.util.List;

/**
 * What one cycle of the soak did and what it left.
 *
 * @param injected the faults that took effect, with what each did
 * @param skipped the faults that did not (their moment never came, or nothing to hit), with why
 * @param execution how Temporal saw the workflow end (COMPLETED, FAILED, CANCELED, ...)
 * @param status the cycle's own final status (SUCCEEDED, ROLLED_BACK, ...)
 * @param breaches the invariants it broke; empty when it left everything as it should
 */
record CycleRecord(int cycle, String workflowId, FaultPlan plan, List<Injected> injected, List<String> skipped,
    String execution, String status, Duration took, int resumesSent, List<String> breaches) {

  record Injected(PlannedFault fault, String what) {}
}
