package dev.evolve.workflows;

import dev.evolve.workflows.model.MoveMethod;
import dev.evolve.workflows.model.PlannedMove;
import java.util.ArrayList;
import java.util.List;

/**
 * When a cycle's moves run in child workflows, and how they are cut into batches (change id
 * {@code move-batches-in-child-workflows}). Every move writes history events: an activity is three
 * (scheduled, started, completed) and usually a workflow task of three more, so 1,000 Deployments
 * moved there and back are some 12,000 events in one run. Temporal keeps a run's whole history and
 * replays it on every worker restart; the project keeps every run under 2,000 events.
 *
 * <p>The figures below are estimates that err on the large side (every activity is counted with a
 * workflow task of its own, which moves running side by side often share). They decide nothing a
 * recorded history depends on without a change id: the cycle asks Workflow.getVersion only once a
 * plan is over {@link #INLINE_LIMIT}, so smaller cycles keep their exact histories.
 *
 * <p>Pure and deterministic: it reads the plan only.
 */
final class MoveBatching {

  /** One activity: scheduled, started, completed, and the workflow task that takes its result. */
  static final int EVENTS_PER_ACTIVITY = 6;
  /**
   * One Kafka broker: the gate before, the move, the caught-up gate (an activity each) and the
   * settle timer (started, fired and its workflow task).
   */
  static final int EVENTS_PER_BROKER = 3 * EVENTS_PER_ACTIVITY + 5;

  /**
   * Above this many events for one direction's moves, the moves run in child workflows. A cycle
   * moves everything twice (there and back) beside some 150 events of its own, so a cycle below
   * it stays under about 1,550 events in one run; 100 Deployments are 600.
   */
  static final int INLINE_LIMIT = 700;

  /**
   * The most estimated events one batch (one child workflow) is given: about 150 Deployments. What
   * is left below 2,000 is for what no plan can count: holds and resumes, retried moves, pauses,
   * the reports to the cycle.
   */
  static final int BATCH_BUDGET = 900;

  private MoveBatching() {}

  /** Estimated events of one move in one direction. */
  static int events(PlannedMove move) {
    int pods = move.ordinals() == null ? 0 : move.ordinals().size();
    return eventsOf(move.method(), pods);
  }

  /** Estimated events of moving a workload whose {@code pods} pods (pod-by-pod moves) are to move. */
  static int eventsOf(MoveMethod method, int pods) {
    return switch (method) {
      case DEPLOYMENT_ROLLOUT, EVICTION -> EVENTS_PER_ACTIVITY;
      case STATEFULSET_POD_BY_POD -> EVENTS_PER_ACTIVITY * Math.max(1, pods);
      // the brokers' move order is asked of Kafka first
      case KAFKA_BROKERS -> EVENTS_PER_ACTIVITY + EVENTS_PER_BROKER * Math.max(1, pods);
    };
  }

  static int events(List<PlannedMove> moves) {
    return moves.stream().mapToInt(MoveBatching::events).sum();
  }

  /** Whether the plan's moves are too many for the cycle's own run. */
  static boolean needed(List<PlannedMove> moves) {
    return events(moves) > INLINE_LIMIT;
  }

  /**
   * Cuts {@code moves} into consecutive batches, in order, each under {@link #BATCH_BUDGET}
   * estimated events; a single move over the budget (a StatefulSet of more than 150 pods) is a
   * batch alone: one workload's pods move one after the other inside one move.
   *
   * @param eventsOf the estimate of each move (moving back, only the pods touched move)
   */
  static <T> List<List<T>> slices(List<T> moves, java.util.function.ToIntFunction<T> eventsOf) {
    List<List<T>> slices = new ArrayList<>();
    List<T> current = new ArrayList<>();
    int events = 0;
    for (T move : moves) {
      int cost = eventsOf.applyAsInt(move);
      if (!current.isEmpty() && events + cost > BATCH_BUDGET) {
        slices.add(current);
        current = new ArrayList<>();
        events = 0;
      }
      current.add(move);
      events += cost;
    }
    if (!current.isEmpty()) {
      slices.add(current);
    }
    return slices;
  }
}
