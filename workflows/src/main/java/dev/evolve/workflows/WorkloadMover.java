package dev.evolve.workflows;

import dev.evolve.workflows.activities.FailureTypes;
import dev.evolve.workflows.model.CycleStatus;
import dev.evolve.workflows.model.GateResult;
import dev.evolve.workflows.model.KafkaRotation;
import dev.evolve.workflows.model.KafkaTarget;
import dev.evolve.workflows.model.MoveBatch;
import dev.evolve.workflows.model.MoveBatchReport;
import dev.evolve.workflows.model.MoveBatchResult;
import dev.evolve.workflows.model.MoveMethod;
import dev.evolve.workflows.model.MoveResult;
import dev.evolve.workflows.model.PlannedMove;
import dev.evolve.workflows.model.TouchedWorkload;
import dev.evolve.workflows.model.UpgradeRequest;
import dev.evolve.workflows.model.WorkloadRef;
import io.temporal.failure.ActivityFailure;
import io.temporal.failure.ApplicationFailure;
import io.temporal.workflow.Async;
import io.temporal.workflow.Workflow;
import java.time.Duration;
import java.util.ArrayList;
import java.util.HashSet;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.function.Supplier;

/**
 * Moves workloads between the original pool and the temporary one, and remembers what it has
 * touched so that a rollback moves back exactly that. A workload counts as touched before its move
 * starts: a move that fails half-way has still changed something that must be put back.
 */
final class WorkloadMover {

  /**
   * Change id: a workload its owner deleted during the cycle (NOT_FOUND) is skipped with a note;
   * cycles recorded before failed on it (and a rollback held on it for ever).
   */
  static final String SKIP_DELETED_WORKLOADS = "skip-workloads-deleted-during-cycle";

  /** Workflow change id: a temporary pool too small for the moved pods pauses the cycle. */
  static final String PAUSE_WHEN_TEMP_POOL_TOO_SMALL = "pause-when-temp-pool-too-small";

  /**
   * Change id: a Kafka StatefulSet's brokers move with the active KRaft controller last, asked of
   * Kafka (an activity) each time they are about to move, to the temporary pool and back, so that
   * the controller quorum fails over once per rotation. Cycles recorded before moved them in
   * ordinal order without asking.
   */
  static final String KAFKA_ACTIVE_CONTROLLER_LAST = "kafka-active-controller-last";

  /**
   * Change id: independent workloads move at the same time, up to the request's moveParallelism
   * (default 10), in MIGRATE, RESTORE and the rollback, within {@link MoveRules}. Cycles recorded
   * before moved one workload after the other.
   */
  static final String PARALLEL_MOVES = "parallel-moves";

  /**
   * Change id: a cycle whose moves are too many for one run's history ({@link MoveBatching}: more
   * than 116 Deployments) moves them in batches, each a child workflow ({@link ChildBatches},
   * {@link MoveBatchWorkflow}), in MIGRATE, RESTORE and the rollback. Asked only of such cycles, so
   * smaller ones keep their exact histories; large cycles recorded before moved everything in
   * their own run.
   */
  static final String MOVE_BATCHES = "move-batches-in-child-workflows";

  private final UpgradeRequest request;
  private final CycleControl control;
  private final CycleProgress progress;
  /** Touched workloads, in the order they moved; for pod-by-pod moves, the ordinals touched. */
  private final Map<WorkloadRef, List<Integer>> onTemp = new LinkedHashMap<>();
  private final Map<WorkloadRef, PlannedMove> plannedMoves = new LinkedHashMap<>();
  private final List<String> notes = new ArrayList<>();
  private int podsMoved;
  private MoveRules rules = MoveRules.unknown();
  /** How many moves may run at once; decided at the first batch of moves (1 for cycles recorded before). */
  private Integer parallelism;
  /** Whether moves run side by side now: their progress steps are then reported per move. */
  private boolean inLanes;
  /** Whether this cycle's moves run in child workflows; decided at its first moves (false in a batch). */
  private Boolean batched;
  private final ChildBatches batches;

  WorkloadMover(UpgradeRequest request, CycleControl control, CycleProgress progress) {
    this.request = request;
    this.control = control;
    this.progress = progress;
    this.batches = new ChildBatches(control, progress);
  }

  /**
   * The mover of one batch's child workflow: the cycle's decisions (parallelism, the rules'
   * figures) as the batch carries them, and, moving back, what the cycle knows to be on the
   * temporary pool. A batch never cuts its moves into batches again.
   */
  static WorkloadMover forBatch(MoveBatch batch, CycleControl control, CycleProgress progress) {
    WorkloadMover mover = new WorkloadMover(batch.request(), control, progress);
    mover.batched = false;
    mover.parallelism = batch.parallelism();
    mover.rules = MoveRules.forBatch(batch.workloads(), batch.tempCpuMillisLeft(), batch.tempMemoryBytesLeft());
    Map<WorkloadRef, PlannedMove> planned = new LinkedHashMap<>();
    batch.moves().forEach(m -> planned.put(m.workload(), m));
    for (TouchedWorkload touched : batch.onTemp()) {
      mover.onTemp.put(touched.workload(), new ArrayList<>(touched.ordinals()));
      mover.plannedMoves.put(touched.workload(), planned.get(touched.workload()));
    }
    return mover;
  }

  /** What a batch leaves behind, for its cycle: its result, or the details of its failure. */
  MoveBatchResult batchResult() {
    List<TouchedWorkload> left = onTemp.entrySet().stream()
        .map(e -> new TouchedWorkload(e.getKey(), List.copyOf(e.getValue()))).toList();
    return new MoveBatchResult(left, progress.doneInPhase(), podsMoved, progress.snapshot().brokersRotated(), notes());
  }

  /** A report of the batch running in a child workflow (signal moveBatchReport). */
  void batchReport(MoveBatchReport report) {
    batches.report(report);
  }

  /**
   * Asked once per cycle, at its first moves, and only when the plan is large: small cycles write
   * no marker, so their histories stay exactly as before the change.
   */
  private boolean inBatches(List<PlannedMove> planned) {
    if (batched == null) {
      batched = MoveBatching.needed(planned)
          && Workflow.getVersion(MOVE_BATCHES, Workflow.DEFAULT_VERSION, 1) == 1;
    }
    return batched;
  }

  /** What PREPARE found, for deciding which moves may run side by side. */
  void rules(MoveRules value) {
    rules = value;
  }

  /** Asked once per cycle, at its first batch of moves, so that a recorded history replays its own choice. */
  private int parallelism() {
    if (parallelism == null) {
      parallelism = Workflow.getVersion(PARALLEL_MOVES, Workflow.DEFAULT_VERSION, 1) == Workflow.DEFAULT_VERSION
          ? 1 : request.moveParallelismOrDefault();
    }
    return parallelism;
  }

  /** MIGRATE: moves every planned workload onto the temporary pool, each counted as done when it has moved. */
  void moveAllToTemp(List<PlannedMove> moves, CycleActivities activities) {
    if (moves.isEmpty()) {
      return;
    }
    if (inBatches(moves)) {
      moveInBatches(moves, true, activities);
      return;
    }
    if (parallelism() == 1) {
      // one after the other, exactly as cycles recorded before the change
      for (PlannedMove move : moves) {
        control.safePoint();
        moveToTemp(move, activities);
        progress.itemDone();
      }
      return;
    }
    runSideBySide(moves, true, move -> {
      moveToTemp(move, activities);
      progress.itemDone();
    });
  }

  /**
   * Runs the moves in plan order, each as soon as {@link MoveRules} lets it start beside those in
   * flight, on Temporal's deterministic coroutines (Async, Workflow.await; no Java threads): the
   * commands they issue, and their order, come from the history on replay.
   *
   * <ul>
   *   <li>Pause: a new move starts only after a safe point, so a user's pause starts no new move;
   *       moves in flight finish their current pod and stop at their own next safe point. The
   *       status turns PAUSED only once all of them stand still.
   *   <li>Hold: while one move waits for a human, no new move starts beside it.
   *   <li>Failure: the first failing move stops new moves from starting; the moves in flight run to
   *       their end (none is left running under a rollback of the same workload), then the first
   *       failure is thrown as a sequential move would throw it.
   * </ul>
   *
   * History: each move issues the activities and timers it issues alone; waiting for a free slot
   * is a Workflow.await on workflow state, which writes no event.
   */
  private void runSideBySide(List<PlannedMove> moves, boolean toTemp, java.util.function.Consumer<PlannedMove> move) {
    int limit = parallelism();
    List<PlannedMove> waiting = longestChainsFirst(moves);
    List<PlannedMove> inFlight = new ArrayList<>();
    RuntimeException[] firstFailure = new RuntimeException[1];
    inLanes = true;
    // a pause is in effect once every move in flight, and this loop, stand still
    control.strands(() -> inFlight.size() + 1);
    try {
      startWhileAllowed(waiting, inFlight, limit, toTemp, firstFailure, move);
    } catch (RuntimeException stopped) {
      // the cycle was cancelled (an await or a pause throws): start nothing more
      if (firstFailure[0] == null) {
        firstFailure[0] = stopped;
      }
    } finally {
      // whatever happens, the moves in flight end before anything else (a rollback) starts on them
      control.strands(inFlight::size);
      Workflow.newDetachedCancellationScope(() -> Workflow.await(inFlight::isEmpty)).run();
      control.oneStrand();
      inLanes = false;
    }
    if (firstFailure[0] != null) {
      throw firstFailure[0];
    }
  }

  /**
   * The order in which side-by-side moves are offered a slot: the long chains first (Kafka brokers,
   * then other StatefulSets by pod count), each pod of which waits for the one before, so that the
   * phase is not the chain's length added after everything else; then the plan's order. Longest
   * first is the classic rule for keeping parallel work short (it bounds the phase by the longest
   * chain whenever the short moves fit beside it).
   */
  static List<PlannedMove> longestChainsFirst(List<PlannedMove> moves) {
    List<PlannedMove> ordered = new ArrayList<>(moves);
    ordered.sort(java.util.Comparator.comparingInt(WorkloadMover::chainRank));
    return ordered;
  }

  /** Lower moves first: Kafka, then pod-by-pod StatefulSets with more pods first, then the rest (0). */
  private static int chainRank(PlannedMove move) {
    return switch (move.method()) {
      case KAFKA_BROKERS -> Integer.MIN_VALUE;
      case STATEFULSET_POD_BY_POD -> -1 - (move.ordinals() == null ? 0 : move.ordinals().size());
      default -> 0;
    };
  }

  private void startWhileAllowed(List<PlannedMove> waiting, List<PlannedMove> inFlight, int limit, boolean toTemp,
      RuntimeException[] firstFailure, java.util.function.Consumer<PlannedMove> move) {
    while (true) {
      // a pause wakes this loop too, so that it stands still with the moves in flight
      Workflow.await(() -> firstFailure[0] != null || waiting.isEmpty() || control.pauseRequested()
          || startable(waiting, inFlight, limit, toTemp) != null);
      if (firstFailure[0] != null || waiting.isEmpty()) {
        break;
      }
      control.safePoint();
      PlannedMove next = firstFailure[0] == null ? startable(waiting, inFlight, limit, toTemp) : null;
      if (next == null) {
        continue; // a move ended or failed during the pause: look again
      }
      waiting.remove(next);
      inFlight.add(next);
      String lane = next.workload().toString();
      Async.procedure(() -> {
        try {
          move.accept(next);
        } catch (RuntimeException failure) {
          if (firstFailure[0] == null) {
            firstFailure[0] = failure;
          }
        } finally {
          inFlight.remove(next);
          progress.laneDone(lane);
        }
      });
    }
  }

  /** The first waiting move (plan order) that no rule holds back, or null; none while the cycle is held. */
  private PlannedMove startable(List<PlannedMove> waiting, List<PlannedMove> inFlight, int limit, boolean toTemp) {
    // while one move waits for a human (a hold), the cycle does not widen what is in flight
    if (control.held() || MoveRules.atParallelismLimit(inFlight, limit).isPresent()) {
      return null;
    }
    for (PlannedMove candidate : waiting) {
      if (rules.reasonToWait(candidate, inFlight, limit, onTemp.keySet(), toTemp).isEmpty()) {
        return candidate;
      }
    }
    return null;
  }

  private void step(WorkloadRef ref, String what) {
    if (inLanes) {
      progress.laneStep(ref.toString(), what);
    } else {
      progress.step(what);
    }
  }

  int podsMoved() {
    return podsMoved;
  }

  /** Workloads touched so far, each of which a move back counts as one item done. */
  int workloadsOnTemp() {
    return onTemp.size();
  }

  boolean anythingOnTemp() {
    return !onTemp.isEmpty();
  }

  /** What the moves found worth telling: workloads deleted by their owners during the cycle. */
  List<String> notes() {
    return List.copyOf(notes);
  }

  /** Moves one workload off the original pool onto the temporary pool. */
  void moveToTemp(PlannedMove move, CycleActivities activities) {
    unlessDeleted(move.workload(), "not moved", () -> doMoveToTemp(move, activities));
  }

  private void doMoveToTemp(PlannedMove move, CycleActivities activities) {
    WorkloadRef ref = move.workload();
    plannedMoves.put(ref, move);
    List<Integer> touched = onTemp.computeIfAbsent(ref, r -> new ArrayList<>());
    String temp = request.tempPoolName();
    long timeout = request.moveTimeoutSecondsOrDefault();
    switch (move.method()) {
      case DEPLOYMENT_ROLLOUT -> {
        step(ref, "rolling out " + ref + " onto " + temp);
        count(move.method(), true, untilNotBlocked(() -> activities.kubeMoves().moveDeployment(ref, temp, timeout)));
      }
      case EVICTION -> {
        step(ref, "evicting " + ref + " from " + request.nodePool());
        count(move.method(), true, untilNotBlocked(() -> activities.kubeMoves().evictPods(ref, request.nodePool(), timeout)));
      }
      case STATEFULSET_POD_BY_POD, KAFKA_BROKERS -> {
        List<Integer> ordinals = inMoveOrder(move, move.ordinals(), activities);
        for (int i = 0; i < ordinals.size(); i++) {
          int ordinal = ordinals.get(i);
          if (i > 0) {
            control.safePoint();
          }
          touched.add(ordinal);
          movePod(move, ordinal, i == ordinals.size() - 1, true, activities);
        }
      }
    }
  }

  /** Moves everything touched so far back off the temporary pool, in the order it moved. */
  void moveAllBack(CycleActivities activities) {
    if (onTemp.isEmpty()) {
      return;
    }
    if (Boolean.TRUE.equals(batched)) {
      moveInBatches(onTemp.keySet().stream().map(plannedMoves::get).toList(), false, activities);
      return;
    }
    if (parallelism() > 1) {
      List<PlannedMove> back = onTemp.keySet().stream().map(plannedMoves::get).toList();
      runSideBySide(back, false, move -> {
        moveBack(move.workload(), activities);
        progress.itemDone();
      });
      return;
    }
    for (WorkloadRef ref : new ArrayList<>(onTemp.keySet())) {
      control.safePoint();
      moveBack(ref, activities);
      progress.itemDone();
    }
  }

  /**
   * A large cycle's moves, one batch after the other, each in a child workflow; a user's pause
   * also stops the cycle between two batches. Moving back, each batch takes what is on the
   * temporary pool of its workloads when it starts.
   */
  private void moveInBatches(List<PlannedMove> moves, boolean toTemp, CycleActivities activities) {
    List<List<PlannedMove>> slices = MoveBatching.slices(moves, toTemp ? MoveBatching::events
        : move -> MoveBatching.eventsOf(move.method(), onTemp.get(move.workload()).size()));
    for (int i = 0; i < slices.size(); i++) {
      control.safePoint();
      List<PlannedMove> slice = slices.get(i);
      List<TouchedWorkload> touched = toTemp ? List.of() : slice.stream()
          .filter(m -> onTemp.containsKey(m.workload()))
          .map(m -> new TouchedWorkload(m.workload(), List.copyOf(onTemp.get(m.workload())))).toList();
      MoveBatch batch = new MoveBatch(request, progress.phase(), batches.next(), i + 1, slices.size(), toTemp, slice,
          touched, rules.workloadsOf(slice), rules.tempCpuMillisLeft(onTemp.keySet()),
          rules.tempMemoryBytesLeft(onTemp.keySet()), parallelism(), activities.attempts(), control.workingStatus(),
          control.forBatch());
      batches.run(batch, left -> takeBack(batch, left));
    }
  }

  /** What a batch left on the temporary pool becomes the cycle's own record of it. */
  private void takeBack(MoveBatch batch, MoveBatchResult left) {
    if (batch.toTemp()) {
      Map<WorkloadRef, PlannedMove> planned = new LinkedHashMap<>();
      batch.moves().forEach(m -> planned.put(m.workload(), m));
      for (TouchedWorkload touched : left.onTemp()) {
        plannedMoves.put(touched.workload(), planned.get(touched.workload()));
        onTemp.put(touched.workload(), new ArrayList<>(touched.ordinals()));
      }
    } else {
      Map<WorkloadRef, List<Integer>> still = new LinkedHashMap<>();
      left.onTemp().forEach(t -> still.put(t.workload(), new ArrayList<>(t.ordinals())));
      for (PlannedMove move : batch.moves()) {
        if (still.containsKey(move.workload())) {
          onTemp.put(move.workload(), still.get(move.workload()));
        } else {
          onTemp.remove(move.workload());
        }
      }
    }
    podsMoved += left.podsMoved();
    notes.addAll(left.notes());
  }

  private void moveBack(WorkloadRef ref, CycleActivities activities) {
    unlessDeleted(ref, "nothing to move back", () -> doMoveBack(ref, activities));
  }

  /**
   * Runs one workload's move; if its owner deleted it meanwhile (NOT_FOUND), there is nothing left
   * to move or to put back: forget it with a note instead of failing, or holding a rollback for ever.
   */
  private void unlessDeleted(WorkloadRef ref, String consequence, Runnable move) {
    try {
      move.run();
    } catch (ActivityFailure failure) {
      if (!(failure.getCause() instanceof ApplicationFailure app) || !FailureTypes.NOT_FOUND.equals(app.getType())
          || Workflow.getVersion(SKIP_DELETED_WORKLOADS, Workflow.DEFAULT_VERSION, 1) == Workflow.DEFAULT_VERSION) {
        throw failure;
      }
      String note = ref + " was deleted during the cycle (" + app.getOriginalMessage() + "): " + consequence;
      notes.add(note);
      progress.error(note);
      onTemp.remove(ref);
    }
  }

  private void doMoveBack(WorkloadRef ref, CycleActivities activities) {
    PlannedMove move = plannedMoves.get(ref);
    String temp = request.tempPoolName();
    long timeout = request.moveTimeoutSecondsOrDefault();
    switch (move.method()) {
      case DEPLOYMENT_ROLLOUT -> {
        step(ref, "rolling " + ref + " back onto " + request.nodePool());
        count(move.method(), false, untilNotBlocked(() -> activities.kubeMoves().restoreDeployment(ref, temp, timeout)));
      }
      case EVICTION -> {
        step(ref, "evicting " + ref + " from " + temp);
        count(move.method(), false, untilNotBlocked(() -> activities.kubeMoves().evictPods(ref, temp, timeout)));
      }
      case STATEFULSET_POD_BY_POD, KAFKA_BROKERS -> {
        List<Integer> ordinals = inMoveOrder(move, new ArrayList<>(onTemp.get(ref)), activities);
        for (int i = 0; i < ordinals.size(); i++) {
          if (i > 0) {
            control.safePoint();
          }
          movePod(move, ordinals.get(i), i == ordinals.size() - 1, false, activities);
          onTemp.get(ref).remove(ordinals.get(i));
        }
      }
    }
    onTemp.remove(ref);
  }

  /**
   * Kafka brokers in the order Kafka prefers (the active controller last); other StatefulSets, and
   * a single broker, in the order given. Only a reordering of the same brokers is taken.
   */
  private List<Integer> inMoveOrder(PlannedMove move, List<Integer> ordinals, CycleActivities activities) {
    KafkaRotation kafka = request.kafka();
    if (move.method() != MoveMethod.KAFKA_BROKERS || kafka == null || ordinals.size() < 2
        || Workflow.getVersion(KAFKA_ACTIVE_CONTROLLER_LAST, Workflow.DEFAULT_VERSION, 1) == Workflow.DEFAULT_VERSION) {
      return ordinals;
    }
    int offset = kafka.brokerIdOffsetOrDefault();
    List<Integer> brokers = ordinals.stream().map(o -> o + offset).toList();
    step(move.workload(), "asking Kafka which of brokers " + brokers + " is the active controller");
    List<Integer> order = activities.kafkaReads().brokerMoveOrder(kafka.target(), brokers);
    if (order == null || order.size() != brokers.size() || !new HashSet<>(order).equals(new HashSet<>(brokers))) {
      return ordinals;
    }
    return order.stream().map(b -> b - offset).toList();
  }

  /**
   * One pod of a StatefulSet. For Kafka: gate, move, caught up, then a settle timer before the next
   * broker. None of it is a safe point: a broker is never left half-moved by a pause.
   */
  private void movePod(PlannedMove move, int ordinal, boolean last, boolean toTemp, CycleActivities activities) {
    WorkloadRef ref = move.workload();
    String pod = ref.name() + "-" + ordinal;
    String temp = request.tempPoolName();
    long timeout = request.moveTimeoutSecondsOrDefault();
    KafkaRotation kafka = move.method() == MoveMethod.KAFKA_BROKERS ? request.kafka() : null;
    if (kafka != null) {
      int brokerId = ordinal + kafka.brokerIdOffsetOrDefault();
      step(ref, "broker " + brokerId + " (" + pod + "): waiting until the cluster can spare it");
      passGate(() -> activities.kafka().awaitSafeToMove(kafka.target(), brokerId, kafka.healthGateSecondsOrDefault()),
          "Kafka gate before moving broker " + brokerId);
    }
    step(ref, (toTemp ? "moving " : "moving back ") + pod);
    count(move.method(), toTemp, untilNotBlocked(() -> toTemp
        ? activities.kubeMoves().moveStatefulSetPod(ref, ordinal, temp, timeout)
        : activities.kubeMoves().restoreStatefulSetPod(ref, ordinal, temp, timeout)));
    if (kafka != null) {
      int brokerId = ordinal + kafka.brokerIdOffsetOrDefault();
      KafkaTarget target = kafka.target();
      step(ref, "broker " + brokerId + " (" + pod + "): waiting until it is back in every ISR");
      passGate(() -> activities.kafka().awaitCaughtUp(target, brokerId, kafka.healthGateSecondsOrDefault()),
          "Kafka broker " + brokerId + " did not catch up");
      progress.brokerRotated();
      CycleMetrics.brokerRotated(toTemp);
      long settle = kafka.settleSecondsOrDefault();
      if (!last && settle > 0) {
        String settling = "settling " + settle + "s after broker " + brokerId;
        long until = Workflow.currentTimeMillis() + settle * 1000;
        if (inLanes) {
          progress.laneWaitingUntil(ref.toString(), settling, until);
        } else {
          progress.waitingUntil(settling, until);
        }
        Workflow.sleep(Duration.ofSeconds(settle));
      }
    }
  }

  /** A gate that runs out of budget pauses the cycle for a human; resume asks the gate again. */
  private void passGate(Supplier<GateResult> gate, String what) {
    while (true) {
      GateResult result = gate.get();
      if (result.passed()) {
        return;
      }
      control.holdFor(CycleStatus.PAUSED, HoldCause.KAFKA_GATE, what + ": " + result.reason()
          + " (resume to check again)");
    }
  }

  /**
   * A PodDisruptionBudget that keeps refusing an eviction is a question for a human, not a
   * failure: pause with the budget's name, and try the same move again on resume.
   */
  private MoveResult untilNotBlocked(Supplier<MoveResult> move) {
    while (true) {
      try {
        return move.get();
      } catch (ActivityFailure failure) {
        if (!(failure.getCause() instanceof ApplicationFailure app) || !(FailureTypes.EVICTION_BLOCKED.equals(
            app.getType()) || tooSmallPausesTheCycle(app))) {
          throw failure;
        }
        progress.error(app.getOriginalMessage());
        HoldCause cause = FailureTypes.EVICTION_BLOCKED.equals(app.getType()) ? HoldCause.BUDGET_REFUSED
            : HoldCause.TEMP_POOL_TOO_SMALL;
        control.holdFor(CycleStatus.PAUSED, cause, app.getOriginalMessage() + " (resume to try again)");
      }
    }
  }

  /**
   * A temporary pool too small for the moved pods is fixed by resizing it, not by a rollback
   * that moves everything back: pause with the activity's resize hint, and move again on resume.
   * Cycles recorded before this rule failed here and rolled back.
   */
  private static boolean tooSmallPausesTheCycle(ApplicationFailure app) {
    return FailureTypes.TEMP_POOL_TOO_SMALL.equals(app.getType())
        && Workflow.getVersion(PAUSE_WHEN_TEMP_POOL_TOO_SMALL, Workflow.DEFAULT_VERSION, 1) == 1;
  }

  /**
   * Counts where the pods were moved: here, in the workflow run that moved them (a batch's child
   * workflow for a large cycle; the cycle only adds up the batch's figure, which is not counted again).
   */
  private void count(MoveMethod method, boolean toTemp, MoveResult result) {
    int pods = result == null ? 0 : result.podsMoved();
    podsMoved += pods;
    CycleMetrics.podsMoved(method, toTemp, pods);
  }
}
