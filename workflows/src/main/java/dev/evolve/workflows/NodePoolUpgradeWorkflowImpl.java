package dev.evolve.workflows;

import dev.evolve.workflows.activities.FailureTypes;
import dev.evolve.workflows.model.ApprovalInfo;
import dev.evolve.workflows.model.ApproveRequest;
import dev.evolve.workflows.model.ClusterState;
import dev.evolve.workflows.model.ControlAnswer;
import dev.evolve.workflows.model.CycleStatus;
import dev.evolve.workflows.model.MoveBatchReport;
import dev.evolve.workflows.model.NodeInfo;
import dev.evolve.workflows.model.PauseRequest;
import dev.evolve.workflows.model.Phase;
import dev.evolve.workflows.model.PoolAutoscaling;
import dev.evolve.workflows.model.PoolInventory;
import dev.evolve.workflows.model.PoolKey;
import dev.evolve.workflows.model.PoolState;
import dev.evolve.workflows.model.Progress;
import dev.evolve.workflows.model.ResumeRequest;
import dev.evolve.workflows.model.TempPoolPolicy;
import dev.evolve.workflows.model.TempPoolState;
import dev.evolve.workflows.model.UpgradePlan;
import dev.evolve.workflows.model.UpgradeRequest;
import dev.evolve.workflows.model.UpgradeResult;
import dev.evolve.workflows.plan.Planner;
import dev.evolve.workflows.plan.TerraformHint;
import dev.evolve.workflows.plan.RequestValidator;
import io.temporal.api.enums.v1.ParentClosePolicy;
import io.temporal.api.enums.v1.WorkflowIdReusePolicy;
import io.temporal.client.WorkflowExecutionAlreadyStarted;
import io.temporal.failure.ActivityFailure;
import io.temporal.failure.ApplicationFailure;
import io.temporal.failure.ChildWorkflowFailure;
import io.temporal.failure.TemporalFailure;
import io.temporal.workflow.Async;
import io.temporal.workflow.CancellationScope;
import io.temporal.workflow.ChildWorkflowOptions;
import io.temporal.workflow.Workflow;
import java.time.Duration;
import java.time.Instant;
import java.util.ArrayList;
import java.util.List;
import java.util.Optional;
import org.slf4j.Logger;

/**
 * The cycle, top to bottom. Deterministic: every read of the world is an activity, every wait is
 * a timer or an await on a signal, so a crash anywhere replays to the same point.
 *
 * <p>It is a saga until the original pool is upgraded. Whatever fails or is cancelled after the
 * first change and before that, {@link #compensate} moves the workloads back to the original pool
 * if that pool is healthy and then removes the temporary pool; a pool that still runs workload
 * pods is never deleted, and an unhealthy original pool makes the cycle hold for a human instead
 * of taking capacity away. Once the upgrade went through there is nothing to roll back: RESTORE
 * and DECOMMISSION {@linkplain #finishForward finish forward}, retrying and then holding for a
 * human, and the cycle ends UPGRADED_WITH_ISSUES with notes saying what happened.
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
  /** After a successful upgrade, a failing RESTORE or DECOMMISSION is retried and held, not rolled back. */
  static final String FINISH_FORWARD = "finish-forward-after-upgrade";
  /** RESTORE and compensation uncordon the original pool before cordoning the temporary one. */
  static final String UNCORDON_ORIGINAL_FIRST = "uncordon-original-before-cordoning-temp";
  /** A cycle that ends in failure sets EvolvePhase to DONE (it stayed at PREPARE or COMPENSATE). */
  static final String PHASE_DONE_ON_FAILURE = "phase-done-on-failure";
  /**
   * A cycle with nothing to move cordons and empties its pool before GKE replaces the nodes, and
   * uncordons it after: the pool was empty at the inventory, not since.
   */
  static final String CORDON_EMPTY_POOL = "cordon-empty-pool-before-upgrade";

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
  private boolean originalCordoned;
  private TempPoolState tempPool = TempPoolState.NOT_CREATED;
  /** What went wrong after the upgrade and how it was got past: the result's notes. */
  private final List<String> issues = new ArrayList<>();
  /** The original pool's autoscaling while the cycle holds its size; null when nothing to put back. */
  private PoolAutoscaling originalAutoscaling;

  /**
   * Before anything else, the cycle takes its pool's lock ({@link PoolLockWorkflow}); a second
   * cycle on the same pool, whatever its workflow id, refuses with POOL_IN_ANOTHER_CYCLE.
   */
  static final String ONE_CYCLE_PER_POOL = "one-cycle-per-pool";

  /**
   * The plan is recorded in the history (a side-effect marker) instead of being computed again on
   * every replay. Cycles recorded before replay the plan from Planner as it is now.
   */
  static final String PLAN_IN_HISTORY = "plan-in-history";

  /** How long a refused cycle waits for the lock to name the cycle holding the pool. */
  private static final Duration ASK_HOLDER_FOR = Duration.ofSeconds(30);

  /** The lock this cycle holds on its pool; null when it holds none (dry run, older cycles). */
  private PoolLockWorkflow poolLock;
  /** The holder named by the lock that refused this cycle. */
  private String poolHeldBy;

  @Override
  public UpgradeResult run(UpgradeRequest input) {
    rejectBadInput(input);
    request = input;
    ReportsToParent.startIfChild(progress);
    // a dry run changes nothing and may read a pool while a cycle works on it
    if (!request.isDryRun() && Workflow.getVersion(ONE_CYCLE_PER_POOL, Workflow.DEFAULT_VERSION, 1) == 1) {
      takePoolLock();
    }
    UpgradeResult result;
    try {
      result = cycle();
    } catch (TemporalFailure failure) {
      // a failure that came before the cycle said how it ended (the lock, say) counts as FAILED
      CycleMetrics.cycleEnded(progress.endedAs(CycleStatus.FAILED));
      releasePoolLock();
      throw failure;
    }
    // counted before the lock is released: the lock's end races the cycle's completion, and a
    // completion the server refuses runs its workflow task again, metrics and all
    CycleMetrics.cycleEnded(result.status());
    releasePoolLock();
    return result;
  }

  private void takePoolLock() {
    PoolKey pool = PoolKey.of(request);
    String self = Workflow.getInfo().getWorkflowId();
    PoolLockWorkflow lock = Workflow.newChildWorkflowStub(PoolLockWorkflow.class, ChildWorkflowOptions.newBuilder()
        .setWorkflowId(pool.lockId())
        // however the cycle ends, even terminated by hand, the server ends its lock with it
        .setParentClosePolicy(ParentClosePolicy.PARENT_CLOSE_POLICY_TERMINATE)
        .setWorkflowIdReusePolicy(WorkflowIdReusePolicy.WORKFLOW_ID_REUSE_POLICY_ALLOW_DUPLICATE)
        .build());
    Async.procedure(lock::hold, self);
    try {
      Workflow.getWorkflowExecution(lock).get();
    } catch (ChildWorkflowFailure failure) {
      if (!(failure.getCause() instanceof WorkflowExecutionAlreadyStarted)) {
        throw failure;
      }
      refuseBusyPool(pool, self);
    }
    poolLock = lock;
  }

  /** Nothing was read or changed: ask the lock who holds the pool, and fail naming it. */
  private void refuseBusyPool(PoolKey pool, String self) {
    try {
      Workflow.newExternalWorkflowStub(PoolLockWorkflow.class, pool.lockId()).whoHolds(self);
      Workflow.await(ASK_HOLDER_FOR, () -> poolHeldBy != null);
    } catch (TemporalFailure lockJustEnded) {
      // the holder let go in between: the refusal still stands, only without its name
    }
    String holder = poolHeldBy != null ? "cycle " + poolHeldBy : "another cycle (lock " + pool.lockId() + ")";
    String message = pool + " is already being upgraded by " + holder + "; nothing was read or changed";
    progress.error(message);
    progress.status(CycleStatus.FAILED, message);
    throw ApplicationFailure.newNonRetryableFailure(message, FailureTypes.POOL_IN_ANOTHER_CYCLE, poolHeldBy);
  }

  /** Lets the next cycle of this pool start at once (parent-close TERMINATE is the backstop). */
  private void releasePoolLock() {
    if (poolLock == null) {
      return;
    }
    PoolLockWorkflow lock = poolLock;
    poolLock = null;
    Workflow.newDetachedCancellationScope(() -> lock.release()).run();
  }

  @Override
  public void poolHeldBy(String holderWorkflowId) {
    poolHeldBy = holderWorkflowId;
  }

  @Override
  public void moveBatchReport(MoveBatchReport report) {
    if (mover != null) {
      mover.batchReport(report);
    }
  }

  private UpgradeResult cycle() {
    activities = CycleActivities.forCycle(request);
    mover = new WorkloadMover(request, control, progress);
    // only the cycle times its phases: a batch's child workflow runs a slice of one of them
    progress.onPhaseClosed(CycleMetrics::phaseEnded);
    Workflow.upsertTypedSearchAttributes(
        CycleSearchAttributes.CLUSTER.valueSet(request.cluster()),
        CycleSearchAttributes.POOL.valueSet(request.nodePool()));

    enter(Phase.PREPARE, 2);
    try {
      plan = prepare();
    } catch (TemporalFailure failure) {
      // nothing was changed: nothing to roll back, but the query must not say RUNNING for ever
      boolean cancelled = CancellationScope.current().isCancelRequested();
      progress.error("PREPARE: " + describe(failure));
      progress.status(cancelled ? CycleStatus.CANCELLED : CycleStatus.FAILED, null);
      Workflow.newDetachedCancellationScope(this::endedWithoutResult).run();
      throw failure;
    }
    CycleMetrics.blockersFound(plan.blockers());
    if (request.isDryRun()) {
      return finish(CycleStatus.PLANNED, plan.currentVersion());
    }
    if (plan.isBlocked()) {
      progress.status(CycleStatus.BLOCKED, "blocked: see the plan's blockers");
      endedWithoutResult();
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
      return finish(issues.isEmpty() ? CycleStatus.SUCCEEDED : CycleStatus.UPGRADED_WITH_ISSUES, version);
    } catch (TemporalFailure failure) {
      Phase failedIn = progress.phase();
      if (CancellationScope.current().isCancelRequested()) {
        progress.error("cancelled in " + failedIn);
        Workflow.newDetachedCancellationScope(() -> compensate("the cycle was cancelled in " + failedIn)).run();
        progress.status(CycleStatus.CANCELLED, null);
        Workflow.newDetachedCancellationScope(this::endedWithoutResult).run();
        throw failure;
      }
      String cause = describe(failure);
      progress.error(failedIn + ": " + cause);
      log.warn("phase {} failed: {}", failedIn, cause);
      Workflow.newDetachedCancellationScope(() -> compensate(failedIn + " failed: " + cause)).run();
      progress.status(CycleStatus.ROLLED_BACK, null);
      endedWithoutResult();
      List<String> notes = mover.notes();
      throw ApplicationFailure.newNonRetryableFailureWithCause(
          failedIn + " failed and was rolled back (workloads back on " + request.nodePool()
              + ", temporary pool " + tempPool.name().toLowerCase().replace('_', ' ') + "): " + cause
              + (notes.isEmpty() ? "" : "; notes: " + String.join("; ", notes)),
          FailureTypes.CYCLE_ROLLED_BACK, failure);
    }
  }

  /** The cycle ends in a failure: the phase (query and EvolvePhase) says so instead of where it stopped. */
  private void endedWithoutResult() {
    progress.enter(Phase.DONE, 0);
    progress.finishCurrent();
    if (Workflow.getVersion(PHASE_DONE_ON_FAILURE, Workflow.DEFAULT_VERSION, 1) == 1) {
      Workflow.upsertTypedSearchAttributes(CycleSearchAttributes.PHASE.valueSet(Phase.DONE.name()));
    }
  }

  private String runChangingPhases() {
    boolean needsTempPool = !plan.moves().isEmpty();
    if (needsTempPool) {
      enter(Phase.CREATE_TEMP_POOL, 1);
      progress.step("creating " + plan.tempPool().name() + " (" + plan.sizing() + ")");
      tempPool = TempPoolState.REQUESTED;
      activities.gkeOperations().createTempPool(request.clusterRef(), plan.tempPool());
      tempPool = TempPoolState.CREATED;
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
      mover.moveAllToTemp(plan.moves(), activities);
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
      evacuateOriginalPool();
    }
    boolean emptyPoolCordoned = !needsTempPool && Workflow.getVersion(CORDON_EMPTY_POOL, Workflow.DEFAULT_VERSION, 1) == 1;
    if (emptyPoolCordoned) {
      // Nothing had pods on the pool at the inventory, but nothing kept pods off it since: a
      // Deployment scaling up, a Job starting. GKE would drain them under its own rules (a budget
      // is forced after an hour); here they leave through the Eviction API, within their budgets.
      progress.step("cordoning " + request.nodePool() + " and evicting what started on it since the inventory");
      originalCordoned = true;
      activities.kube().cordonPool(request.nodePool());
      evacuateOriginalPool();
    }
    progress.step("upgrading " + request.nodePool() + " to " + plan.targetVersion());
    PoolState upgraded = activities.gkeOperations()
        .upgradePool(request.clusterRef(), request.nodePool(), plan.targetVersion());
    progress.itemDone();
    if (emptyPoolCordoned) {
      progress.step("making " + request.nodePool() + " schedulable again");
      activities.kube().uncordonPool(request.nodePool());
      originalCordoned = false;
    }

    if (needsTempPool) {
      if (Workflow.getVersion(FINISH_FORWARD, Workflow.DEFAULT_VERSION, 1) == 1) {
        finishForward();
      } else {
        enter(Phase.RESTORE, plan.moves().size());
        restore(activities);
        enter(Phase.DECOMMISSION, 1);
        decommission(request.tempPoolPolicyOrDefault(), activities);
        progress.itemDone();
      }
    }
    return upgraded.version();
  }

  /**
   * RESTORE and DECOMMISSION once the original pool is upgraded. Rolling back now would only
   * repeat the same moves and the same removal, so a failing step is tried again instead: once at
   * once with patient retries, then after a hold for a human, as often as someone resumes.
   */
  private void finishForward() {
    enter(Phase.RESTORE, plan.moves().size());
    untilDoneForward(Phase.RESTORE, this::restore);
    enter(Phase.DECOMMISSION, 1);
    untilDoneForward(Phase.DECOMMISSION, using -> decommission(request.tempPoolPolicyOrDefault(), using));
    progress.itemDone();
  }

  private void untilDoneForward(Phase phase, java.util.function.Consumer<CycleActivities> step) {
    CycleActivities using = activities;
    for (int attempt = 1; ; attempt++) {
      try {
        step.accept(using);
        return;
      } catch (ActivityFailure | ApplicationFailure failure) {
        if (CancellationScope.current().isCancelRequested()) {
          throw failure;
        }
        String reason = phase + " failed after " + request.nodePool() + " was upgraded: " + describe(failure);
        progress.error(reason);
        log.warn("{} (attempt {})", reason, attempt);
        using = CycleActivities.forCompensation(request);
        if (attempt == 1) {
          issues.add(reason + "; tried again");
        } else {
          issues.add(reason + "; held for a human until resumed");
          control.holdFor(CycleStatus.HELD_FOR_HUMAN, HoldCause.STEP_FAILED_AFTER_UPGRADE, reason
              + "; the pool is upgraded and nothing will be rolled back (fix it, then resume to try again)");
        }
      }
    }
  }

  /** Moves everything back onto the upgraded pool, once it is healthy. */
  private void restore(CycleActivities using) {
    waitUntilOriginalHealthy(using);
    makeOriginalSchedulable(using, true);
    mover.moveAllBack(using);
    restoreAutoscaling(using);
  }

  /**
   * The original pool takes pods again and the temporary pool stops taking them. Uncordoning
   * first means both take pods for a moment, never neither: with neither, a pod that its owner
   * restarts in between (a crash, a rollout) would stay Pending.
   */
  private void makeOriginalSchedulable(CycleActivities using, boolean tempMayExist) {
    String temp = request.tempPoolName();
    if (Workflow.getVersion(UNCORDON_ORIGINAL_FIRST, Workflow.DEFAULT_VERSION, 1) == 1) {
      progress.step("uncordoning " + request.nodePool() + (tempMayExist ? ", then cordoning " + temp : ""));
      using.kube().uncordonPool(request.nodePool());
      originalCordoned = false;
      if (tempMayExist) {
        using.kube().cordonPool(temp);
      }
    } else {
      progress.step("cordoning " + temp + ", uncordoning " + request.nodePool());
      if (tempMayExist) {
        using.kube().cordonPool(temp);
      }
      using.kube().uncordonPool(request.nodePool());
      originalCordoned = false;
    }
  }

  private UpgradePlan prepare() {
    progress.step("reading cluster " + request.cluster() + " from GKE");
    ClusterState cluster = activities.gke().describeCluster(request.clusterRef());
    progress.itemDone();
    progress.step("listing what runs on " + request.nodePool());
    PoolInventory inventory = activities.kube().inventory(request.nodePool(), request.workloadsOrDefault());
    progress.itemDone();
    UpgradePlan made;
    if (Workflow.getVersion(PLAN_IN_HISTORY, Workflow.DEFAULT_VERSION, 1) == 1) {
      // Recorded as a marker: a replay takes the plan the cycle started with, so a worker with a
      // changed Planner (blockers, sizing, order) carries on cycles in flight instead of failing them.
      // Planner is a pure function, so a side effect is enough: no activity to register or retry.
      made = Workflow.sideEffect(UpgradePlan.class, () -> Planner.plan(request, cluster, inventory));
    } else {
      made = Planner.plan(request, cluster, inventory);
    }
    progress.plan(made);
    // the inventory is an activity's recorded result: a replay decides the same moves side by side
    mover.rules(MoveRules.of(made, inventory));
    return made;
  }

  /** Applies the temporary pool's policy; never deletes or empties a pool that still runs pods. */
  private void decommission(TempPoolPolicy policy, CycleActivities using) {
    String temp = request.tempPoolName();
    if (policy == TempPoolPolicy.KEEP) {
      progress.step("keeping " + temp + " (cordoned) for the next cycle");
      tempPool = TempPoolState.KEPT;
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
      tempPool = TempPoolState.SCALED_TO_ZERO;
    } else {
      progress.step("deleting " + temp);
      using.gkeOperations().deletePool(request.clusterRef(), temp);
      tempPool = TempPoolState.DELETED;
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
        makeOriginalSchedulable(patient, tempPool.wasRequested());
        mover.moveAllBack(patient);
      });
    }
    if (originalAutoscaling != null) {
      untilDone("putting back the autoscaling of " + request.nodePool(), () -> restoreAutoscaling(patient));
    }
    progress.itemDone();
    if (tempPool.wasRequested()) {
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
        control.holdFor(CycleStatus.HELD_FOR_HUMAN, HoldCause.ROLLBACK_STEP_FAILED,
            reason + " (fix it, then resume to try again)");
      }
    }
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
      control.holdFor(CycleStatus.HELD_FOR_HUMAN, HoldCause.ORIGINAL_POOL_UNHEALTHY, problem.get()
          + "; workloads stay on "
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

  /**
   * Empties the cordoned original pool before GKE replaces its nodes: waits for pods still
   * terminating, evicts those that arrived since, and refuses the upgrade over anything left.
   */
  private void evacuateOriginalPool() {
    List<String> stillThere = activities.kubeMoves().evacuatePool(request.nodePool(),
        request.moveTimeoutSecondsOrDefault());
    if (!stillThere.isEmpty()) {
      throw ApplicationFailure.newNonRetryableFailure("refusing to upgrade pool " + request.nodePool()
          + ": it still runs " + stillThere, FailureTypes.UNSAFE);
    }
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
    notes.addAll(mover.notes());
    notes.addAll(issues);
    if (status == CycleStatus.SUCCEEDED || status == CycleStatus.UPGRADED_WITH_ISSUES) {
      TerraformHint.afterUpgrade(plan, version, request.tempPoolName()).ifPresent(notes::add);
    }
    ApprovalInfo approval = control.approval();
    if (approval != null) {
      notes.add("approved by " + approval.approvedBy() + " at " + Instant.ofEpochMilli(approval.approvedAtMillis()));
    }
    return new UpgradeResult(status, plan, version, tempPool.name(), progress.phases(), mover.podsMoved(), notes,
        approval);
  }

  private static void rejectBadInput(UpgradeRequest input) {
    List<String> problems = RequestValidator.problems(input);
    if (!problems.isEmpty()) {
      throw ApplicationFailure.newNonRetryableFailure(
          "invalid request, nothing was changed: " + String.join("; ", problems), FailureTypes.INVALID_REQUEST);
    }
  }

  /** A failure in words: the activity's own message and type rather than Temporal's wrapping. */
  static String describe(Throwable failure) {
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
    control.requestPause(reason, null);
  }

  @Override
  public void resume() {
    control.resume(null, null);
  }

  @Override
  public void approve(String approvedBy) {
    control.approve(approvedBy, "signal");
  }

  @Override
  public ControlAnswer pauseCycle(PauseRequest pause) {
    return control.requestPause(pause == null ? null : pause.reason(), pause == null ? null : pause.by());
  }

  @Override
  public void validatePause(PauseRequest pause) {
    control.pauseRefusal().ifPresent(NodePoolUpgradeWorkflowImpl::refuse);
  }

  @Override
  public ControlAnswer resumeCycle(ResumeRequest resume) {
    return control.resume(resume == null ? null : resume.target(), resume == null ? null : resume.by());
  }

  @Override
  public void validateResume(ResumeRequest resume) {
    control.resumeRefusal(resume == null ? null : resume.target()).ifPresent(NodePoolUpgradeWorkflowImpl::refuse);
  }

  @Override
  public ControlAnswer approveCycle(ApproveRequest approval) {
    return control.approve(approval == null ? null : approval.by(), "update");
  }

  @Override
  public void validateApprove(ApproveRequest approval) {
    if (request == null) {
      refuse("the cycle has not started yet: try again in a moment");
    }
    control.approvalRefusal(request.needsApproval()).ifPresent(NodePoolUpgradeWorkflowImpl::refuse);
  }

  /** A validator's refusal: the update is rejected before it reaches the history, with this reason. */
  private static void refuse(String why) {
    throw new IllegalStateException(why);
  }

  @Override
  public Progress progress() {
    return progress.snapshot();
  }
}
