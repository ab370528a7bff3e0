package dev.evolve.workflows.fleet;

import dev.evolve.workflows.model.CycleReport;
import io.temporal.workflow.QueryMethod;
import io.temporal.workflow.SignalMethod;
import io.temporal.workflow.WorkflowInterface;
import io.temporal.workflow.WorkflowMethod;

/**
 * Many node pools upgraded in waves (see {@link FleetRequest}), each by its own cycle, a child
 * workflow. Started as workflow type {@value #TYPE}, from {@code ./evolve fleet start}, the
 * Temporal CLI or UI, or a Schedule.
 */
@WorkflowInterface
public interface FleetUpgradeWorkflow {

  String TYPE = "FleetUpgrade";

  /** Error type of a fleet that stopped because a cycle failed. */
  String STOPPED = "FleetStopped";

  /** Error type of a fleet request that was refused before any cycle started. */
  String INVALID = "InvalidFleetRequest";

  @WorkflowMethod(name = TYPE)
  FleetResult run(FleetRequest request);

  /** Starts no further cycle and pauses the running ones at their next safe point. */
  @SignalMethod(name = "pause", description = "Start no further cycle and pause the running ones at their next safe point. Input: the reason.")
  void pause(String reason);

  /** Resumes the cycles the fleet paused, and the waves. */
  @SignalMethod(name = "resume", description = "Resume the cycles the fleet paused, and the waves. No input.")
  void resume();

  /** A cycle of the fleet tells where it stands; not for users. */
  @SignalMethod(name = CycleReport.SIGNAL, description = "Internal: a cycle of the fleet reports where it stands. Not for users.")
  void cycleReport(CycleReport report);

  @QueryMethod(name = "progress", description = "Every pool of the fleet: its wave, status, phase, what it waits on, how it ended.")
  FleetProgress progress();
}
