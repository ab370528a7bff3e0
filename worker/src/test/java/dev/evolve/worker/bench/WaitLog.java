package dev.evolve.worker.bench;

import java.io.BufferedWriter;
import java.io.IOException;
import java.io.UncheckedIOException;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.nio.file.StandardOpenOption;
import java.time.Instant;
import java.time.temporal.ChronoUnit;
import java.util.ArrayList;
import java.util.Comparator;
import java.util.HashMap;
import java.util.List;
import java.util.Map;

/**
 * Every deliberate wait of the fake activities, one line each (cycle, activity, when Temporal
 * scheduled the activity, when its wait began and ended, in epoch microseconds), written by the worker and read by the driver once every cycle has ended. It is a
 * file because the two run in separate JVMs, and each line is flushed before the activity
 * answers, so a cycle's waits are all there by the time Temporal records its end. Worker, driver
 * and Temporal share one machine, hence one clock.
 */
final class WaitLog implements AutoCloseable {

  /** The time from scheduled to from is how long the activity queued before a worker slot ran it. */
  record Wait(String cycle, String activity, long scheduledMicros, long fromMicros, long toMicros) {}

  private final BufferedWriter out;

  private WaitLog(BufferedWriter out) {
    this.out = out;
  }

  static WaitLog create(Path file) {
    try {
      return new WaitLog(Files.newBufferedWriter(file, StandardCharsets.UTF_8, StandardOpenOption.CREATE,
          StandardOpenOption.TRUNCATE_EXISTING, StandardOpenOption.WRITE));
    } catch (IOException e) {
      throw new UncheckedIOException("cannot write the wait log " + file, e);
    }
  }

  synchronized void record(String cycle, String activity, Instant scheduled, Instant from, Instant to) {
    try {
      out.write(cycle + "\t" + activity + "\t" + micros(scheduled) + "\t" + micros(from) + "\t" + micros(to) + "\n");
      out.flush();
    } catch (IOException e) {
      throw new UncheckedIOException("cannot write the wait log", e);
    }
  }

  @Override
  public synchronized void close() throws IOException {
    out.close();
  }

  static long micros(Instant instant) {
    return ChronoUnit.MICROS.between(Instant.EPOCH, instant);
  }

  /** The waits of each cycle, by workflow id. */
  static Map<String, List<Wait>> read(Path file) {
    Map<String, List<Wait>> byCycle = new HashMap<>();
    try {
      for (String line : Files.readAllLines(file, StandardCharsets.UTF_8)) {
        String[] f = line.split("\t");
        if (f.length == 5) {
          Wait wait = new Wait(f[0], f[1], Long.parseLong(f[2]), Long.parseLong(f[3]), Long.parseLong(f[4]));
          byCycle.computeIfAbsent(wait.cycle(), c -> new ArrayList<>()).add(wait);
        }
      }
    } catch (IOException e) {
      throw new UncheckedIOException("cannot read the wait log " + file, e);
    }
    return byCycle;
  }

  /**
   * How long at least one of the waits was under way: their union, so that waits side by side
   * (parallel moves) count once, as they delay the cycle once.
   */
  static long unionMicros(List<Wait> waits) {
    List<Wait> sorted = new ArrayList<>(waits);
    sorted.sort(Comparator.comparingLong(Wait::fromMicros));
    long total = 0;
    long start = Long.MIN_VALUE;
    long end = Long.MIN_VALUE;
    for (Wait w : sorted) {
      if (w.fromMicros() > end) {
        total += end - start;
        start = w.fromMicros();
        end = w.toMicros();
      } else {
        end = Math.max(end, w.toMicros());
      }
    }
    return total + (end - start);
  }
}
