package dev.evolve.activities;

import io.temporal.activity.Activity;
import java.util.List;
import java.util.Map;

/**
 * What the activities see of disruption, counted through the running activity's metrics scope
 * (the worker's registry, tagged by the SDK with the activity type). A worker sees the cluster
 * only through its own calls, so it counts what those calls answered, not what a watcher of every
 * pod would see: README, "Metrics", says exactly what each kind means.
 */
public final class ActivityMetrics {

  public static final String DISRUPTIONS_SEEN = "evolve_disruptions_seen";
  public static final List<String> COUNTERS = List.of(DISRUPTIONS_SEEN);

  /** The Eviction API answered 429: the workload had no disruption to spare under its budget. */
  public static final String EVICTION_REFUSED_BY_BUDGET = "eviction_refused_by_budget";
  /** A Kafka gate read a partition with fewer live in-sync replicas than min.insync.replicas. */
  public static final String KAFKA_PARTITION_BELOW_MIN_ISR = "kafka_partition_below_min_isr";

  private ActivityMetrics() {}

  /** Called on an activity's thread only: the scope is the running activity's. */
  public static void disruptionSeen(String kind) {
    Activity.getExecutionContext().getMetricsScope().tagged(Map.of("kind", kind)).counter(DISRUPTIONS_SEEN).inc(1);
  }
}
