package dev.evolve.workflows;

import dev.evolve.workflows.activities.FailureTypes;
import dev.evolve.workflows.model.ClusterState;
import dev.evolve.workflows.model.CycleStatus;
import dev.evolve.workflows.model.NodeInfo;
import dev.evolve.workflows.model.Phase;
import dev.evolve.workflows.model.PlannedMove;
import dev.evolve.workflows.model.PoolAutoscaling;
import dev.evolve.workflows.model.PoolInventory;
import dev.evolve.workflows.model.PoolState;
import dev.evolve.workflows.model.Progress;
import dev.evolve.workflows.model.TempPoolPolicy;
import dev.evolve.workflows.model.UpgradePlan;
import dev.evolve.workflows.model.UpgradeRequest;
import dev.evolve.workflows.model.UpgradeResult;
import dev.evolve.workflows.plan.Planner;
import dev.evolve.workflows.plan.RequestValidator;
import io.temporal.failure.ActivityFailure;
import io.temporal.failure.ApplicationFailure;
import io.temporal.failure.TemporalFailure;
import io.temporal.workflow.CancellationScope;
import io.temporal.workflow.Workflow;
import java.time.Instant;
import java.util.ArrayList;
import java.util.List;
import java.util.Optional;
import org.slf4j.Logger;

/**
 * The cycle, top to bottom. Deterministic: every read of the world is an activity, every wait is
 * a timer or an await on a signal, so a crash anywhere replays to the same point.
 *
 * <p>It is a saga. Whatever fails or is cancelled after the first change, {@link #compensate}
 * moves the workloads back to the original pool if that pool is healthy and then removes the
 * temporary pool; a pool that still runs workload pods is never deleted, and an unhealthy
 * original pool makes the cycle hold for a human instead of taking capacity away.
 */
public class NodePoolUpgradeWorkflowImpl implements NodePoolUpgradeWorkflow {

  private static final Logger log = Workflow.getLogger(NodePoolUpgradeWorkflowImpl.class);

  /**
   * Workflow change ids (Workflow.getVersion): cycles recorded before a change replay the old
   * path. DECOMMISSION evacuates the temporary pool instead of only listing what runs on it.
   */
  static final String EVACUATE_BEFORE_REMOVING = "evacuate-before-removing-temp-pool";
  /** UPGRADE_ORIGINAL first empties the cordoned original pool the same way. */
  static final String EVACUATE_BEFORE_UPGRADE = "evacuate-before-upgrading-original-pool";

  /**
   * The original pool is taken away from the cluster autoscaler before it is emptied (an
   * autoscaler removes empty nodes, and RESTORE found "0 of 0 nodes") and gets its autoscaling
   * back, exactly, once the workloads are back on it.
   */
  static final String HOLD_ORIGINAL_POOL_SIZE = "hold-original-pool-size";

  private final CycleProgress progress = new CycleProgress();
  private final CycleControl control = new CycleControl(progress);

  private UpgradeRequest request;
  private CycleActivities activities;
  private WorkloadMover mover;
  private UpgradePlan plan;
  /** Set once createTempPool was called: from then on the pool may exist and must be cleaned up. */
  private boolean tempPoolRequested;
  private boolean originalCordoned;
  private String tempPoolOutcome = "NOT_CREATED";
  /** The original pool's autoscaling while the cycle holds its size; null when nothing to put back. */
  private PoolAutoscaling originalAutoscaling;

  @Override
  public UpgradeResult run(UpgradeRequest input) {
    rejectBadInput(input);
    request = input;
    activities = CycleActivities.forCycle(request);
    mover = new WorkloadMover(request, control, progress);
    Workflow.upsertTypedSearchAttributes(
        CycleSearchAttributes.CLUSTER.valueSet(request.cluster()),
        CycleSearchAttributes.POOL.valueSet(request.nodePool()));

    enter(Phase.PREPARE, 2);
    plan = prepare();
    if (request.isDryRun()) {
      return finish(CycleStatus.PLANNED, plan.currentVersion());
    }
    if (plan.isBlocked()) {
      progress.status(CycleStatus.BLOCKED, "blocked: see the plan's blockers");
      throw ApplicationFailure.newNonRetryableFailure(
          "the cycle is blocked, nothing was changed:\n  " + String.join("\n  ",
              plan.blockers().stream().map(Object::toString).toList()),
          FailureTypes.BLOCKED, plan);
    }
    if (plan.alreadyAtTarget()) {
      return finish(CycleStatus.NOTHING_TO_DO, plan.currentVersion());
    }
    if (request.startWindow() != null
        && !request.startWindow().contains(Instant.ofEpochMilli(Workflow.currentTimeMillis()))) {
      return finish(CycleStatus.SKIPPED_OUTSIDE_WINDOW, plan.currentVersion());
    }
    try {
      String version = runChangingPhases();
      return finish(CycleStatus.SUCCEEDED, version);
    } catch (TemporalFailure failure) {
      Phase failedIn = progress.phase();
      if (CancellationScope.current().isCancelRequested()) {
        progress.error("cancelled in " + failedIn);
        Workflow.newDetachedCancellationScope(() -> compensate("the cycle was cancelled in " + failedIn)).run();
        progress.status(CycleStatus.CANCELLED, null);
        throw failure;
      }
      String cause = describe(failure);
      progress.error(failedIn + ": " + cause);
      log.warn("phase {} failed: {}", failedIn, cause);
      Workflow.newDetachedCancellationScope(() -> compensate(failedIn + " failed: " + cause)).run();
      progress.status(CycleStatus.ROLLED_BACK, null);
      throw ApplicationFailure.newNonRetryableFailureWithCause(
          failedIn + " failed and was rolled back (workloads back on " + request.nodePool()
              + ", temporary pool " + tempPoolOutcome.toLowerCase().replace('_', ' ') + "): " + cause,
          "CycleRolledBack", failure);
    }
  }

  private String runChangingPhases() {
    boolean needsTempPool = !plan.moves().isEmpty();
    if (needsTempPool) {
      enter(Phase.CREATE_TEMP_POOL, 1);
      progress.step("creating " + plan.tempPool().name() + " (" + plan.sizing() + ")");
      tempPoolRequested = true;
      activities.gkeOperations().createTempPool(request.clusterRef(), plan.tempPool());
      tempPoolOutcome = "CREATED";
      progress.itemDone();

      enter(Phase.MIGRATE, plan.moves().size());
      progress.step("making " + plan.tempPool().name() + " schedulable, cordoning " + request.nodePool());
      activities.kube().uncordonPool(plan.tempPool().name());
      if (Workflow.getVersion(HOLD_ORIGINAL_POOL_SIZE, Workflow.DEFAULT_VERSION, 1) == 1) {
        progress.step("taking " + request.nodePool() + " away from the cluster autoscaler for the cycle");
        PoolAutoscaling held = activities.gkeOperations().holdPoolSize(request.clusterRef(), request.nodePool());
        originalAutoscaling = held.enabled() ? held : null;
      }
      originalCordoned = true;
      activities.kube().cordonPool(request.nodePool());
      for (PlannedMove move : plan.moves()) {
        control.safePoint();
        mover.moveToTemp(move, activities);
        progress.itemDone();
      }
    }

    control.safePoint();
    if (request.needsApproval()) {
      control.awaitApproval();
    }
    enter(Phase.UPGRADE_ORIGINAL, 1);
    if (needsTempPool && Workflow.getVersion(EVACUATE_BEFORE_UPGRADE, Workflow.DEFAULT_VERSION, 1) == 1) {
      // GKE replaces the pool's nodes under whatever still runs there: pods moved off it that are
      // still terminating, and pods started on it after the inventory, before the cordon.
      progress.step("emptying " + request.nodePool() + ": waiting for terminating pods, evicting late arrivals");
      List<String> stillThere = activities.kubeMoves().evacuatePool(request.nodePool(),
          request.moveTimeoutSecondsOrDefault());
      if (!stillThere.isEmpty()) {
        throw ApplicationFailure.newNonRetryableFailure("refusing to upgrade pool " + request.nodePool()
            + ": it still runs " + stillThere, FailureTypes.UNSAFE);
      }
    }
    progress.step("upgrading " + request.nodePool() + " to " + plan.targetVersion());
    PoolState upgraded = activities.gkeOperations()
        .upgradePool(request.clusterRef(), request.nodePool(), plan.targetVersion());
    progress.itemDone();

    if (needsTempPool) {
      enter(Phase.RESTORE, plan.moves().size());
      waitUntilOriginalHealthy();
      progress.step("cordoning " + plan.tempPool().name() + ", uncordoning " + request.nodePool());
      activities.kube().cordonPool(plan.tempPool().name());
      activities.kube().uncordonPool(request.nodePool());
      originalCordoned = false;
      mover.moveAllBack(activities);
      restoreAutoscaling(activities);

      enter(Phase.DECOMMISSION, 1);
      decommission(request.tempPoolPolicyOrDefault(), activities);
      progress.itemDone();
    }
    return upgraded.version();
  }

  private UpgradePlan prepare() {
    progress.step("reading cluster " + request.cluster() + " from GKE");
    ClusterState cluster = activities.gke().describeCluster(request.clusterRef());
    progress.itemDone();
    progress.step("listing what runs on " + request.nodePool());
    PoolInventory inventory = activities.kube().inventory(request.nodePool(), request.workloadsOrDefault());
    progress.itemDone();
    UpgradePlan made = Planner.plan(request, cluster, inventory);
    progress.plan(made);
    return made;
  }

  /** Applies the temporary pool's policy; never deletes or empties a pool that still runs pods. */
  private void decommission(TempPoolPolicy policy, CycleActivities using) {
    String temp = request.tempPoolName();
    if (policy == TempPoolPolicy.KEEP) {
      progress.step("keeping " + temp + " (cordoned) for the next cycle");
      tempPoolOutcome = "KEPT";
      return;
    }
    List<String> stillThere;
    if (Workflow.getVersion(EVACUATE_BEFORE_REMOVING, Workflow.DEFAULT_VERSION, 1) == Workflow.DEFAULT_VERSION) {
      progress.step("checking that no workload pod runs on " + temp);
      stillThere = using.kube().workloadPodsOnPool(temp);
    } else {
      // On a real cluster the pool is rarely empty at once: pods moved off it may still be
      // terminating, and others may have started pods on it during the cycle.
      progress.step("emptying " + temp + ": waiting for terminating pods, evicting pods started there by others");
      stillThere = using.kubeMoves().evacuatePool(temp, request.moveTimeoutSecondsOrDefault());
    }
    if (!stillThere.isEmpty()) {
      throw ApplicationFailure.newNonRetryableFailure("refusing to " + policy + " pool " + temp
          + ": it still runs " + stillThere, FailureTypes.UNSAFE);
    }
    if (policy == TempPoolPolicy.SCALE_TO_ZERO) {
      progress.step("scaling " + temp + " to zero nodes");
      using.gkeOperations().resizePool(request.clusterRef(), temp, 0);
      tempPoolOutcome = "SCALED_TO_ZERO";
    } else {
      progress.step("deleting " + temp);
      using.gkeOperations().deletePool(request.clusterRef(), temp);
      tempPoolOutcome = "DELETED";
    }
  }

  /**
   * Puts the cluster back the way it was. Each step is retried patiently; a step that still
   * fails, or a cluster in a state where going on would be unsafe, holds the cycle for a human,
   * and {@code resume} tries again from where it stopped.
   */
  private void compensate(String cause) {
    // two steps (move back, remove the temp pool), and the move back counts each workload it brings back
    enter(Phase.COMPENSATE, 2 + mover.workloadsOnTemp());
    control.working(CycleStatus.COMPENSATING);
    CycleActivities patient = CycleActivities.forCompensation(request);
    if (mover.anythingOnTemp() || originalCordoned) {
      untilDone("moving workloads back to " + request.nodePool(), () -> {
        waitUntilOriginalHealthy(patient);
        progress.step("cordoning " + request.tempPoolName() + ", uncordoning " + request.nodePool());
        if (tempPoolRequested) {
          patient.kube().cordonPool(request.tempPoolName());
        }
        patient.kube().uncordonPool(request.nodePool());
        originalCordoned = false;
        mover.moveAllBack(patient);
      });
    }
    if (originalAutoscaling != null) {
      untilDone("putting back the autoscaling of " + request.nodePool(), () -> restoreAutoscaling(patient));
    }
    progress.itemDone();
    if (tempPoolRequested) {
      untilDone("removing " + request.tempPoolName(), () -> decommission(TempPoolPolicy.DELETE, patient));
    }
    progress.itemDone();
    progress.step("rolled back after: " + cause);
  }

  private void restoreAutoscaling(CycleActivities using) {
    if (originalAutoscaling == null) {
      return;
    }
    progress.step("giving " + request.nodePool() + " its autoscaling back");
    using.gkeOperations().restoreAutoscaling(request.clusterRef(), request.nodePool(), originalAutoscaling);
    originalAutoscaling = null;
  }

  private void untilDone(String what, Runnable step) {
    while (true) {
      try {
        step.run();
        return;
      } catch (ActivityFailure | ApplicationFailure failure) {
        String reason = what + " failed: " + describe(failure);
        progress.error(reason);
        control.holdFor(CycleStatus.HELD_FOR_HUMAN, reason + " (fix it, then resume to try again)");
      }
    }
  }

  private void waitUntilOriginalHealthy() {
    waitUntilOriginalHealthy(activities);
  }

  /**
   * Moving workloads onto a pool that GKE reports broken, or whose nodes are not Ready, would
   * trade a working temporary pool for nothing: hold instead, with the reason, until resumed.
   */
  private void waitUntilOriginalHealthy(CycleActivities using) {
    while (true) {
      progress.step("checking that " + request.nodePool() + " is healthy");
      Optional<String> problem = originalPoolProblem(using);
      if (problem.isEmpty()) {
        return;
      }
      progress.error(problem.get());
      control.holdFor(CycleStatus.HELD_FOR_HUMAN, problem.get() + "; workloads stay on "
          + request.tempPoolName() + ", which is kept (repair the pool, then resume)");
    }
  }

  private Optional<String> originalPoolProblem(CycleActivities using) {
    ClusterState cluster = using.gke().describeCluster(request.clusterRef());
    Optional<PoolState> pool = cluster.pool(request.nodePool());
    if (pool.isEmpty()) {
      return Optional.of("pool " + request.nodePool() + " no longer exists");
    }
    if (!pool.get().isRunning()) {
      return Optional.of("pool " + request.nodePool() + " is " + pool.get().status());
    }
    List<NodeInfo> nodes = using.kube().nodes(request.nodePool());
    long notReady = nodes.stream().filter(n -> !n.ready()).count();
    if (nodes.isEmpty() || notReady > 0) {
      return Optional.of("pool " + request.nodePool() + " has " + notReady + " of " + nodes.size()
          + " nodes not Ready");
    }
    return Optional.empty();
  }

  private void enter(Phase phase, int items) {
    progress.enter(phase, items);
    Workflow.upsertTypedSearchAttributes(CycleSearchAttributes.PHASE.valueSet(phase.name()));
  }

  private UpgradeResult finish(CycleStatus status, String version) {
    progress.enter(Phase.DONE, 0);
    progress.finishCurrent();
    progress.status(status, null);
    progress.step(status.name().toLowerCase().replace('_', ' '));
    Workflow.upsertTypedSearchAttributes(CycleSearchAttributes.PHASE.valueSet(Phase.DONE.name()));
    List<String> notes = new ArrayList<>(plan.notes());
    if (status == CycleStatus.SKIPPED_OUTSIDE_WINDOW) {
      notes.add("started outside the maintenance window " + request.startWindow() + "; nothing was changed");
    }
    return new UpgradeResult(status, plan, version, tempPoolOutcome, progress.phases(), mover.podsMoved(), notes);
  }

  private static void rejectBadInput(UpgradeRequest input) {
    List<String> problems = RequestValidator.problems(input);
    if (!problems.isEmpty()) {
      throw ApplicationFailure.newNonRetryableFailure(
          "invalid request, nothing was changed: " + String.join("; ", problems), FailureTypes.INVALID_REQUEST);
    }
  }

  private static String describe(Throwable failure) {
    Throwable cause = failure;
    while (cause.getCause() != null && cause instanceof ActivityFailure) {
      cause = cause.getCause();
    }
    if (cause instanceof ApplicationFailure app) {
      return app.getOriginalMessage() + (app.getType() == null ? "" : " [" + app.getType() + "]");
    }
    return cause.getMessage();
  }

  @Override
  public void pause(String reason) {
    control.requestPause(reason);
  }

  @Override
  public void resume() {
    control.resume();
  }

  @Override
  public void approve(String approvedBy) {
    control.approve();
  }

  @Override
  public Progress progress() {
    return progress.snapshot();
  }
}
