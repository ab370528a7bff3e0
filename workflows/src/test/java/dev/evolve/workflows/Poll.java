package dev.evolve.workflows;

import java.util.function.Predicate;
import java.util.function.Supplier;

/**
 * Waiting in a test for something a workflow does on its own threads: read it again every 20 ms
 * until it holds, for up to 20 s (the test server does not skip time while a test only polls).
 */
public final class Poll {

  private Poll() {}

  /** Reads until the condition holds, and returns what it read then. */
  public static <T> T until(Supplier<T> read, Predicate<T> condition) {
    long deadline = System.currentTimeMillis() + 20_000;
    T value = read.get();
    while (!condition.test(value)) {
      if (System.currentTimeMillis() > deadline) {
        throw new AssertionError("never matched; last: " + value);
      }
      sleep(20);
      value = read.get();
    }
    return value;
  }

  public static void sleep(long millis) {
    try {
      Thread.sleep(millis);
    } catch (InterruptedException e) {
      Thread.currentThread().interrupt();
    }
  }
}
