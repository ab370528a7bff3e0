package dev.evolve.sandbox;

import java.time.Duration;
import java.util.function.BooleanSupplier;
import java.util.function.Supplier;

/** Polls a condition of the cluster until it holds or the limit passes. */
final class Await {

  private Await() {}

  static void until(String what, Duration limit, BooleanSupplier condition) {
    until(what, limit, condition, () -> "");
  }

  static void until(String what, Duration limit, BooleanSupplier condition, Supplier<String> state) {
    long deadline = System.currentTimeMillis() + limit.toMillis();
    while (!condition.getAsBoolean()) {
      if (System.currentTimeMillis() > deadline) {
        throw new AssertionError("not within " + limit + ": " + what + " " + state.get());
      }
      try {
        // Each look is a request to a real API server on a shared 2-core machine: not too often.
        Thread.sleep(50);
      } catch (InterruptedException e) {
        Thread.currentThread().interrupt();
        throw new AssertionError(e);
      }
    }
  }
}
