package dev.evolve.workflows.fleet;

import dev.evolve.workflows.NodePoolUpgradeWorkflow;
import dev.evolve.workflows.model.CycleReport;
import dev.evolve.workflows.model.UpgradeResult;
import io.temporal.api.enums.v1.ParentClosePolicy;
import io.temporal.api.enums.v1.WorkflowIdReusePolicy;
import io.temporal.failure.ApplicationFailure;
import io.temporal.failure.CanceledFailure;
import io.temporal.failure.TemporalFailure;
import io.temporal.workflow.Async;
import io.temporal.workflow.CancellationScope;
import io.temporal.workflow.ChildWorkflowCancellationType;
import io.temporal.workflow.ChildWorkflowOptions;
import io.temporal.workflow.Promise;
import io.temporal.workflow.Workflow;
import java.time.Duration;
import java.util.ArrayList;
import java.util.List;
import java.util.stream.Collectors;
import org.slf4j.Logger;

/**
 * Runs the waves one after the other. A wave starts all its cycles at once and waits for every
 * one of them to end: a cycle half-way is never abandoned, and the cycles of a wave with a
 * failure still finish (or roll back) on their own terms. Only then is the next wave started, if
 * every cycle ended well; otherwise the fleet stops and says which cycle failed and which pools
 * were never started.
 *
 * <p>Pause and resume are fleet-wide: a second coroutine forwards them to the running cycles, and
 * the waves do not go on while the fleet is paused. Cancelling the fleet cancels its running
 * cycles, which roll back; the fleet waits for them before it ends.
 */
public class FleetUpgradeWorkflowImpl implements FleetUpgradeWorkflow {

  private static final Logger log = Workflow.getLogger(FleetUpgradeWorkflowImpl.class);

  private final List<PoolCycle> cycles = new ArrayList<>();
  private final List<List<PoolCycle>> waves = new ArrayList<>();
  private int wave;
  private Long soakUntilMillis;
  private String pauseReason;
  private String stoppedBecause;
  private FleetStatus ended;
  /** The running wave's cycles, each as a promise that completes when the cycle has ended, well or not. */
  private final List<Promise<Void>> inFlight = new ArrayList<>();

  @Override
  public FleetResult run(FleetRequest request) {
    List<String> problems = FleetRequestValidator.problems(request);
    if (!problems.isEmpty()) {
      throw ApplicationFailure.newNonRetryableFailure("invalid fleet request, no cycle was started:\n  - "
          + String.join("\n  - ", problems), INVALID);
    }
    lineUp(request);
    Workflow.newDetachedCancellationScope(() -> Async.procedure(this::forwardPauseAndResume)).run();
    try {
      for (int i = 0; i < waves.size(); i++) {
        if (i == 1 && request.soakSecondsOrDefault() > 0) {
          soak(Duration.ofSeconds(request.soakSecondsOrDefault()));
        }
        Workflow.await(() -> pauseReason == null);
        wave = i + 1;
        runWave(waves.get(i));
        if (CancellationScope.current().isCancelRequested()) {
          // the wave's cycles were cancelled with the fleet and have rolled back: that is no failure of theirs
          throw new CanceledFailure("the fleet was cancelled during wave " + wave);
        }
        List<PoolCycle> failed = waves.get(i).stream().filter(PoolCycle::hasFailed).toList();
        if (!failed.isEmpty()) {
          throw stop(failed);
        }
      }
    } catch (CanceledFailure cancelled) {
      ended = FleetStatus.CANCELLED;
      // the running cycles were asked to cancel with the fleet: let their rollbacks finish
      Workflow.newDetachedCancellationScope(() -> Promise.allOf(inFlight).get()).run();
      throw cancelled;
    }
    ended = FleetStatus.SUCCEEDED;
    log.info("fleet done: {} pools in {} waves", cycles.size(), waves.size());
    return new FleetResult(ended, null, poolProgress());
  }

  /** Every pool's cycle, in order, with the wave, workflow id and task queue it gets. */
  private void lineUp(FleetRequest request) {
    String fleetId = Workflow.getInfo().getWorkflowId();
    String ownQueue = Workflow.getInfo().getTaskQueue();
    List<List<FleetPool>> plannedWaves = request.waves();
    for (int i = 0; i < plannedWaves.size(); i++) {
      List<PoolCycle> members = new ArrayList<>();
      for (FleetPool pool : plannedWaves.get(i)) {
        String queue = pool.taskQueue() != null ? pool.taskQueue()
            : request.taskQueue() != null ? request.taskQueue() : ownQueue;
        PoolCycle cycle = new PoolCycle(pool, request.requestFor(pool), i + 1, fleetId + "/" + pool.path(), queue);
        members.add(cycle);
        cycles.add(cycle);
      }
      waves.add(members);
    }
  }

  private void soak(Duration soak) {
    soakUntilMillis = Workflow.currentTimeMillis() + soak.toMillis();
    log.info("canary wave done; soaking for {}", soak);
    Workflow.sleep(soak);
    soakUntilMillis = null;
  }

  private void runWave(List<PoolCycle> members) {
    inFlight.clear();
    for (PoolCycle cycle : members) {
      NodePoolUpgradeWorkflow child = Workflow.newChildWorkflowStub(NodePoolUpgradeWorkflow.class,
          ChildWorkflowOptions.newBuilder()
              .setWorkflowId(cycle.workflowId)
              .setTaskQueue(cycle.taskQueue)
              // a fleet terminated by hand still lets its running cycles roll back instead of stopping them dead
              .setParentClosePolicy(ParentClosePolicy.PARENT_CLOSE_POLICY_REQUEST_CANCEL)
              .setCancellationType(ChildWorkflowCancellationType.WAIT_CANCELLATION_COMPLETED)
              .setWorkflowIdReusePolicy(WorkflowIdReusePolicy.WORKFLOW_ID_REUSE_POLICY_ALLOW_DUPLICATE)
              .build());
      cycle.started(Workflow.currentTimeMillis());
      log.info("wave {}: starting cycle {} on task queue {}", cycle.wave, cycle.workflowId, cycle.taskQueue);
      Promise<UpgradeResult> result = Async.function(child::run, cycle.request);
      inFlight.add(result.handle((done, failure) -> {
        if (failure != null) {
          cycle.failed(failure, Workflow.currentTimeMillis());
        } else {
          cycle.ended(done, Workflow.currentTimeMillis());
        }
        return null;
      }));
    }
    Promise.allOf(inFlight).get();
  }

  private ApplicationFailure stop(List<PoolCycle> failed) {
    List<String> notStarted = cycles.stream().filter(c -> !c.isRunning() && !c.hasEnded())
        .map(c -> c.pool.path()).toList();
    stoppedBecause = (wave == 1 ? "the canary wave" : "wave " + wave) + " failed: "
        + failed.stream().map(c -> c.pool.path() + " ended " + c.progress().status() + " (" + c.outcome() + ")")
            .collect(Collectors.joining("; "))
        + (notStarted.isEmpty() ? "" : "; not started: " + String.join(", ", notStarted));
    ended = FleetStatus.STOPPED;
    log.warn("fleet stopped: {}", stoppedBecause);
    return ApplicationFailure.newNonRetryableFailure(stoppedBecause, STOPPED,
        new FleetResult(ended, stoppedBecause, poolProgress()));
  }

  /**
   * Sends the fleet's pause to every running cycle, and takes it back on resume. A cycle that
   * holds itself keeps the fleet's pause until its hold is released (a resume would release the
   * hold first: that is for a human who has looked at it), then gets the resume.
   */
  private void forwardPauseAndResume() {
    while (true) {
      Workflow.await(() -> cycles.stream().anyMatch(this::needsForwarding));
      for (PoolCycle cycle : cycles) {
        if (!needsForwarding(cycle)) {
          continue;
        }
        NodePoolUpgradeWorkflow running = Workflow.newExternalWorkflowStub(NodePoolUpgradeWorkflow.class,
            cycle.workflowId);
        boolean pausing = pauseReason != null;
        cycle.pausedByFleet = pausing;
        try {
          if (pausing) {
            running.pause("fleet " + Workflow.getInfo().getWorkflowId() + " paused: " + pauseReason);
          } else {
            running.resume();
          }
        } catch (TemporalFailure endedMeanwhile) {
          log.info("cycle {} could not be {}: {}", cycle.workflowId, pausing ? "paused" : "resumed",
              endedMeanwhile.getMessage());
        }
      }
    }
  }

  private boolean needsForwarding(PoolCycle cycle) {
    if (!cycle.isRunning()) {
      return false;
    }
    if (pauseReason != null) {
      return !cycle.pausedByFleet;
    }
    return cycle.pausedByFleet && !cycle.isHeld();
  }

  @Override
  public void pause(String reason) {
    pauseReason = reason == null || reason.isBlank() ? "paused by a user" : reason;
  }

  @Override
  public void resume() {
    pauseReason = null;
  }

  @Override
  public void cycleReport(CycleReport report) {
    cycles.stream().filter(c -> c.workflowId.equals(report.workflowId())).findFirst()
        .ifPresent(c -> c.report(report));
  }

  @Override
  public FleetProgress progress() {
    return new FleetProgress(status(), wave, waves.size(), soakUntilMillis, pauseReason, stoppedBecause,
        poolProgress());
  }

  private FleetStatus status() {
    if (ended != null) {
      return ended;
    }
    if (pauseReason != null) {
      return FleetStatus.PAUSED;
    }
    if (cycles.stream().anyMatch(PoolCycle::isHeld)) {
      return FleetStatus.WAITING_ON_CYCLE;
    }
    return soakUntilMillis != null ? FleetStatus.SOAKING : FleetStatus.RUNNING;
  }

  private List<FleetPoolProgress> poolProgress() {
    return cycles.stream().map(PoolCycle::progress).toList();
  }
}
