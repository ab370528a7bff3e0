package dev.evolve.worker.bench;

import io.temporal.api.enums.v1.EventType;
import io.temporal.api.history.v1.HistoryEvent;
import java.util.ArrayList;
import java.util.HashMap;
import java.util.List;
import java.util.Map;
import java.util.TreeMap;

/**
 * Where the cycles' overhead goes, read from their histories: how long each workflow task waited
 * for the worker to pick it up (scheduled to started) and how long the worker took to complete it
 * (started to completed). A cycle advances one step per workflow task; its first one waits on the
 * shared task queue, every later one on the worker's own (sticky) queue.
 */
final class TaskLatencies {

  final List<Long> queued = new ArrayList<>();
  final List<Long> ran = new ArrayList<>();
  final List<Long> firstQueued = new ArrayList<>();
  /** Workflow tasks the server took back (not picked up from the sticky queue in time, or not completed in time). */
  int timedOut;
  /** Workflow tasks the worker failed, e.g. the SDK's deadlock detector (workflow code held its thread over 1 s). */
  int failed;
  /** Each cycle's first workflow task picked up (+1) and its end (-1), for {@link #peakInFlight}. */
  private final TreeMap<Long, Integer> inFlightChanges = new TreeMap<>();

  /** Adds one cycle's history; returns when the worker picked up its first workflow task (epoch micros), or -1. */
  long add(List<HistoryEvent> events) {
    Map<Long, Long> scheduledAt = new HashMap<>();
    Map<Long, Long> startedAt = new HashMap<>();
    long takenUp = -1;
    for (HistoryEvent event : events) {
      long micros = event.getEventTime().getSeconds() * 1_000_000L + event.getEventTime().getNanos() / 1000;
      switch (event.getEventType()) {
        case EVENT_TYPE_WORKFLOW_TASK_SCHEDULED -> scheduledAt.put(event.getEventId(), micros);
        case EVENT_TYPE_WORKFLOW_TASK_STARTED -> {
          startedAt.put(event.getEventId(), micros);
          Long scheduled = scheduledAt.get(event.getWorkflowTaskStartedEventAttributes().getScheduledEventId());
          if (scheduled != null) {
            queued.add(micros - scheduled);
          }
          if (takenUp < 0) {
            takenUp = micros;
            firstQueued.add(scheduled == null ? 0 : micros - scheduled);
            inFlightChanges.merge(micros, 1, Integer::sum);
          }
        }
        case EVENT_TYPE_WORKFLOW_TASK_COMPLETED -> {
          Long started = startedAt.get(event.getWorkflowTaskCompletedEventAttributes().getStartedEventId());
          if (started != null) {
            ran.add(micros - started);
          }
        }
        case EVENT_TYPE_WORKFLOW_TASK_TIMED_OUT -> timedOut++;
        case EVENT_TYPE_WORKFLOW_TASK_FAILED -> failed++;
        case EVENT_TYPE_WORKFLOW_EXECUTION_COMPLETED, EVENT_TYPE_WORKFLOW_EXECUTION_FAILED -> {
          if (takenUp >= 0) {
            inFlightChanges.merge(micros, -1, Integer::sum);
          }
        }
        default -> { }
      }
    }
    return takenUp;
  }

  /**
   * The most cycles the worker had under way at once: from when it picked up a cycle's first
   * workflow task to the cycle's end. A cycle whose first task still waits on the task queue is
   * started, but costs the worker nothing yet.
   */
  int peakInFlight() {
    int now = 0;
    int peak = 0;
    for (int change : inFlightChanges.values()) {
      now += change;
      peak = Math.max(peak, now);
    }
    return peak;
  }
}
