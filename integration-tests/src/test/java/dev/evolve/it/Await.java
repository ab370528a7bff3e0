package dev.evolve.it;

import java.time.Duration;
import java.util.Optional;
import java.util.function.Supplier;

/** Polling with a deadline: the processes under test answer in their own time. */
public final class Await {

  private Await() {}

  /** Asks until the answer is present; fails with the description and the last answer seen. */
  public static <T> T until(String what, Duration timeout, Duration every, Supplier<Optional<T>> check) {
    long deadline = System.nanoTime() + timeout.toNanos();
    RuntimeException lastError = null;
    while (true) {
      try {
        Optional<T> answer = check.get();
        if (answer.isPresent()) {
          return answer.get();
        }
        lastError = null;
      } catch (RuntimeException e) {
        lastError = e;
      }
      if (System.nanoTime() > deadline) {
        throw new AssertionError("timed out after " + timeout + " waiting for " + what
            + (lastError == null ? "" : " (last error: " + lastError.getMessage() + ")"), lastError);
      }
      pause(every);
    }
  }

  public static void pause(Duration duration) {
    try {
      Thread.sleep(duration.toMillis());
    } catch (InterruptedException e) {
      Thread.currentThread().interrupt();
      throw new IllegalStateException("interrupted", e);
    }
  }
}
