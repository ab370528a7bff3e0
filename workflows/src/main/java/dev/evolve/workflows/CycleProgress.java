package dev.evolve.workflows;

import dev.evolve.workflows.model.ApprovalInfo;
import dev.evolve.workflows.model.CycleStatus;
import dev.evolve.workflows.model.HoldInfo;
import dev.evolve.workflows.model.PauseInfo;
import dev.evolve.workflows.model.Phase;
import dev.evolve.workflows.model.PhaseProgress;
import dev.evolve.workflows.model.Progress;
import dev.evolve.workflows.model.UpgradePlan;
import io.temporal.workflow.Workflow;
import java.util.EnumMap;
import java.util.EnumSet;
import java.util.LinkedHashMap;
import java.util.Map;
import java.util.Set;
import java.util.function.BiConsumer;

/**
 * What the {@code progress} query reports, kept up to date by the workflow as it goes. Only
 * workflow time is used, so replays rebuild exactly the same state.
 */
final class CycleProgress {

  private static final Set<CycleStatus> ENDED = EnumSet.of(CycleStatus.PLANNED, CycleStatus.NOTHING_TO_DO,
      CycleStatus.SKIPPED_OUTSIDE_WINDOW, CycleStatus.SUCCEEDED, CycleStatus.UPGRADED_WITH_ISSUES,
      CycleStatus.BLOCKED, CycleStatus.ROLLED_BACK, CycleStatus.CANCELLED, CycleStatus.FAILED);

  private final Map<Phase, PhaseProgress> phases = new EnumMap<>(Phase.class);
  private CycleStatus status = CycleStatus.RUNNING;
  private Phase phase = Phase.PREPARE;
  private String step = "starting";
  private String pauseReason;
  private String lastError;
  private UpgradePlan plan;
  private int brokersRotated;
  private Long waitingUntilMillis;
  private PauseInfo userPause;
  private HoldInfo hold;
  private ApprovalInfo approval;
  /** Moves in flight side by side (parallel moves), each with its own step, in the order they started. */
  private final Map<String, String> lanes = new LinkedHashMap<>();
  /** The lane whose timer {@link #waitingUntilMillis} is, when a lane set it. */
  private String waitingLane;
  /** Told each phase's duration when its clock closes (workflow time); nothing by default. */
  private BiConsumer<Phase, Long> phaseClosed = (phase, millis) -> {};

  void onPhaseClosed(BiConsumer<Phase, Long> listener) {
    phaseClosed = listener;
  }

  void enter(Phase next, int total) {
    finishCurrent();
    phase = next;
    brokersRotated = 0;
    phases.put(next, new PhaseProgress(0, total, Workflow.currentTimeMillis(), null));
  }

  /** Closes the running phase's clock; called when the next phase starts or the cycle ends. */
  void finishCurrent() {
    PhaseProgress current = phases.get(phase);
    if (current != null && current.finishedAtMillis() == null) {
      long now = Workflow.currentTimeMillis();
      phases.put(phase, new PhaseProgress(current.done(), current.total(), current.startedAtMillis(), now));
      phaseClosed.accept(phase, now - current.startedAtMillis());
    }
  }

  void itemDone() {
    itemsDone(1);
  }

  /** Several items done at once: what a batch of moves in a child workflow reports. */
  void itemsDone(int count) {
    PhaseProgress current = phases.get(phase);
    if (current != null && count != 0) {
      phases.put(phase, new PhaseProgress(current.done() + count, current.total(), current.startedAtMillis(),
          current.finishedAtMillis()));
    }
  }

  /** Items done so far in the running phase. */
  int doneInPhase() {
    PhaseProgress current = phases.get(phase);
    return current == null ? 0 : current.done();
  }

  void brokerRotated() {
    brokersRotated++;
  }

  void brokersRotated(int count) {
    brokersRotated += count;
  }

  void step(String what) {
    step = what;
    waitingUntilMillis = null;
    waitingLane = null;
  }

  /**
   * The step of one of several moves in flight. The query's step then names every move in flight
   * ("2 moves in flight: ...; ..."), so that none of them is hidden by the one that spoke last;
   * with one move in flight it reads exactly as {@link #step}.
   */
  void laneStep(String lane, String what) {
    lanes.put(lane, what);
    if (lane.equals(waitingLane)) {
      waitingUntilMillis = null;
      waitingLane = null;
    }
    composeLanes();
  }

  void laneWaitingUntil(String lane, String what, long untilMillis) {
    laneStep(lane, what);
    waitingUntilMillis = untilMillis;
    waitingLane = lane;
  }

  /** The move in {@code lane} has ended (done or failed): the step stops naming it. */
  void laneDone(String lane) {
    lanes.remove(lane);
    if (lane.equals(waitingLane)) {
      waitingUntilMillis = null;
      waitingLane = null;
    }
    if (!lanes.isEmpty()) {
      composeLanes();
    }
  }

  private void composeLanes() {
    step = lanes.size() == 1 ? lanes.values().iterator().next()
        : lanes.size() + " moves in flight: " + String.join("; ", lanes.values());
  }

  void waitingUntil(String what, long untilMillis) {
    step = what;
    waitingUntilMillis = untilMillis;
  }

  void status(CycleStatus next, String reason) {
    status = next;
    pauseReason = reason;
  }

  void error(String message) {
    lastError = message;
  }

  /** The user's pause and the cycle's own hold, each as it stands (null when none). */
  void control(PauseInfo pause, HoldInfo currentHold) {
    userPause = pause;
    hold = currentHold;
  }

  void approval(ApprovalInfo value) {
    approval = value;
  }

  boolean hasEnded() {
    return phase == Phase.DONE || ENDED.contains(status);
  }

  /** The status the cycle ended with, or {@code otherwise} when it has not said. */
  CycleStatus endedAs(CycleStatus otherwise) {
    return ENDED.contains(status) ? status : otherwise;
  }

  void plan(UpgradePlan value) {
    plan = value;
  }

  Phase phase() {
    return phase;
  }

  CycleStatus status() {
    return status;
  }

  Map<Phase, PhaseProgress> phases() {
    return new EnumMap<>(phases);
  }

  Progress snapshot() {
    return new Progress(status, phase, step, phases(), pauseReason, lastError, plan, brokersRotated,
        waitingUntilMillis, userPause, hold, approval);
  }
}
