package dev.evolve.worker.bench;

import java.util.Arrays;
import java.util.Locale;

/** Percentiles of a set of durations (microseconds), by nearest rank: p99 of 200 is the 198th smallest. */
final class Distribution {

  private final long[] sorted;

  Distribution(long[] values) {
    sorted = values.clone();
    Arrays.sort(sorted);
  }

  long percentile(double p) {
    if (sorted.length == 0) {
      return 0;
    }
    int rank = (int) Math.ceil(p / 100.0 * sorted.length);
    return sorted[Math.max(0, Math.min(sorted.length - 1, rank - 1))];
  }

  long max() {
    return sorted.length == 0 ? 0 : sorted[sorted.length - 1];
  }

  /** "p50 1.23 s  p99 4.56 s  max 7.89 s" */
  String describe() {
    return String.format(Locale.ROOT, "p50 %s  p99 %s  max %s", seconds(percentile(50)), seconds(percentile(99)),
        seconds(max()));
  }

  static String seconds(long micros) {
    return String.format(Locale.ROOT, "%.2f s", micros / 1e6);
  }
}
