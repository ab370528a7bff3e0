package dev.evolve.workflows;

import com.uber.m3.tally.Scope;
import dev.evolve.workflows.model.Blocker;
import dev.evolve.workflows.model.CycleStatus;
import dev.evolve.workflows.model.MoveMethod;
import dev.evolve.workflows.model.Phase;
import io.temporal.workflow.Workflow;
import java.util.List;
import java.util.Locale;
import java.util.Map;

/**
 * The cycle's own metrics, emitted from workflow code through {@link Workflow#getMetricsScope()}:
 * the worker's metrics scope, tagged by the SDK with namespace, task queue and workflow type. The
 * SDK's scope is replay-aware, so a cycle replayed after a worker restart or a cache eviction
 * counts nothing twice; and emitting a metric writes no command, so histories are untouched. One
 * case counts again: a workflow task whose completion the server refuses (an event came in while
 * it ran) runs again, and what its new part emitted is emitted again; so nothing is emitted in the
 * task that completes the workflow while a child of it may end at that moment.
 *
 * <p>Names are Tally names; the worker's Prometheus registry adds {@code _total} to counters and
 * {@code _seconds} to timers (README, "Metrics"). Label values are drawn from enums and blocker
 * codes only, never from names of workloads or free text, so that the series stay few.
 */
public final class CycleMetrics {

  public static final String PHASE_DURATION = "evolve_phase_duration";
  public static final String PODS_MOVED = "evolve_pods_moved";
  public static final String KAFKA_BROKERS_ROTATED = "evolve_kafka_brokers_rotated";
  public static final String HOLDS = "evolve_holds";
  public static final String BLOCKERS = "evolve_blockers";
  public static final String CYCLES_ENDED = "evolve_cycles_ended";

  /** Every counter above, for the worker's checks of its dashboard and README against what it exports. */
  public static final List<String> COUNTERS = List.of(PODS_MOVED, KAFKA_BROKERS_ROTATED, HOLDS, BLOCKERS,
      CYCLES_ENDED);
  public static final List<String> TIMERS = List.of(PHASE_DURATION);

  private CycleMetrics() {}

  /** A phase's clock closed (workflow time, so the figure is the one the progress query shows). */
  static void phaseEnded(Phase phase, long millis) {
    if (phase == Phase.DONE) {
      return;
    }
    scope(Map.of("phase", phase.name())).timer(PHASE_DURATION).record(com.uber.m3.util.Duration.ofMillis(millis));
  }

  static void podsMoved(MoveMethod method, boolean toTemp, int pods) {
    if (pods > 0) {
      scope(Map.of("method", label(method.name()), "direction", direction(toTemp))).counter(PODS_MOVED).inc(pods);
    }
  }

  static void brokerRotated(boolean toTemp) {
    scope(Map.of("direction", direction(toTemp))).counter(KAFKA_BROKERS_ROTATED).inc(1);
  }

  static void hold(CycleStatus kind, HoldCause cause) {
    scope(Map.of("kind", label(kind.name()), "cause", cause.label())).counter(HOLDS).inc(1);
  }

  /** Every blocker PREPARE found, by its stable code (dry runs included: they find them the same way). */
  static void blockersFound(List<Blocker> blockers) {
    for (Blocker blocker : blockers == null ? List.<Blocker>of() : blockers) {
      scope(Map.of("code", blocker.code())).counter(BLOCKERS).inc(1);
    }
  }

  static void cycleEnded(CycleStatus status) {
    scope(Map.of("status", label(status.name()))).counter(CYCLES_ENDED).inc(1);
  }

  private static Scope scope(Map<String, String> tags) {
    return Workflow.getMetricsScope().tagged(tags);
  }

  private static String direction(boolean toTemp) {
    return toTemp ? "to_temp" : "back";
  }

  private static String label(String enumName) {
    return enumName.toLowerCase(Locale.ROOT);
  }
}
