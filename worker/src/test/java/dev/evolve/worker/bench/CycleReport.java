package dev.evolve.worker.bench;

import java.util.ArrayList;
import java.util.List;
import java.util.Locale;
import java.util.function.ToLongFunction;

/**
 * The driver's figures over every cycle that SUCCEEDED. Per cycle, from Temporal's records and the
 * worker's {@link WaitLog}:
 *
 * <ul>
 *   <li><b>wall</b> = close time minus start time, as Temporal recorded them;
 *   <li><b>fake waits</b> = the union of the intervals in which one of the cycle's fake activities
 *       was in the wait {@link FakeLatency} prescribes (moves side by side count once);
 *   <li><b>overhead</b> = wall minus fake waits: everything but the fakes' waits (waiting for the
 *       worker to take the cycle up, workflow tasks, server round trips, activity queueing, GC);
 *   <li>split into <b>waiting to be taken up</b> (start to the worker picking up the cycle's first
 *       workflow task) and <b>overhead under way</b> (the rest).
 * </ul>
 */
final class CycleReport {

  /** One cycle that SUCCEEDED; times in epoch microseconds. */
  record Cycle(String id, long start, long takenUp, long close, List<WaitLog.Wait> waits) {

    long wall() {
      return close - start;
    }

    long waited() {
      return WaitLog.unionMicros(waits);
    }

    long overhead() {
      return wall() - waited();
    }

    long waitingToBeTakenUp() {
      return Math.max(0, takenUp - start);
    }

    long overheadUnderWay() {
      return overhead() - waitingToBeTakenUp();
    }
  }

  private final List<Cycle> cycles = new ArrayList<>();
  private final TaskLatencies tasks = new TaskLatencies();

  void add(Cycle cycle) {
    cycles.add(cycle);
  }

  TaskLatencies tasks() {
    return tasks;
  }

  int completed() {
    return cycles.size();
  }

  /** The overhead's median and 99th percentile in microseconds, for the summary line. */
  Distribution overhead() {
    return of(Cycle::overhead);
  }

  void print() {
    int n = cycles.size();
    if (n == 0) {
      return;
    }
    long calls = cycles.stream().mapToLong(c -> c.waits().size()).sum();
    long firstStart = cycles.stream().mapToLong(Cycle::start).min().orElse(0);
    long lastClose = cycles.stream().mapToLong(Cycle::close).max().orElse(0);
    double total = (lastClose - firstStart) / 1e6;
    List<Long> queuedCalls = new ArrayList<>();
    cycles.forEach(c -> c.waits().forEach(w -> queuedCalls.add(Math.max(0, w.fromMicros() - w.scheduledMicros()))));

    System.out.println("cycle wall     " + of(Cycle::wall).describe() + "   (Temporal's close time minus start time)");
    System.out.println("fake waits     " + of(Cycle::waited).describe() + "   (" + calls / n + " activity calls a cycle: "
        + FakeLatency.DEFAULT + "; union per cycle)");
    System.out.println("overhead       " + overhead().describe() + "   (wall minus fake waits)");
    System.out.println("  waiting      " + of(Cycle::waitingToBeTakenUp).describe()
        + "   (start to the worker picking up the cycle's first workflow task)");
    System.out.println("  under way    " + of(Cycle::overheadUnderWay).describe() + "   (the rest: "
        + String.format(Locale.ROOT, "%.0f ms", of(Cycle::overheadUnderWay).percentile(50) / 1e3 / (calls / (double) n))
        + " per activity call at p50)");
    System.out.printf(Locale.ROOT, "in flight      at most %d cycles at once in the worker (from picking up the first"
        + " workflow task to the end)%n", tasks.peakInFlight());
    System.out.printf(Locale.ROOT, "workflow tasks %d a cycle: queued p50 %s p99 %s, ran p50 %s p99 %s; %d timed out, %d"
        + " failed%n", tasks.queued.size() / n, ms(tasks.queued, 50), ms(tasks.queued, 99), ms(tasks.ran, 50),
        ms(tasks.ran, 99), tasks.timedOut, tasks.failed);
    System.out.printf(Locale.ROOT, "activity tasks queued p50 %s p99 %s   (scheduled to started by the worker)%n",
        ms(queuedCalls, 50), ms(queuedCalls, 99));
    System.out.printf(Locale.ROOT, "total          %.1f s from the first start to the last close: %.0f cycles/min, %.0f"
        + " activity calls/s%n", total, n / total * 60, calls / total);
  }

  private Distribution of(ToLongFunction<Cycle> figure) {
    return new Distribution(cycles.stream().mapToLong(figure).toArray());
  }

  private static String ms(List<Long> micros, double p) {
    long value = new Distribution(micros.stream().mapToLong(Long::longValue).toArray()).percentile(p);
    return String.format(Locale.ROOT, "%.0f ms", value / 1e3);
  }
}
