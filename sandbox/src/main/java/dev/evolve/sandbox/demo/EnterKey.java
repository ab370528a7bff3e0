package dev.evolve.sandbox.demo;

import java.io.BufferedReader;
import java.io.IOException;
import java.io.InputStream;
import java.io.InputStreamReader;
import java.nio.charset.StandardCharsets;
import java.time.Duration;
import java.util.concurrent.Semaphore;
import java.util.concurrent.TimeUnit;

/**
 * Enter on the terminal, for ending a pause early. A daemon thread reads lines; input that is
 * not a terminal (a pipe, /dev/null) simply never presses it. Lines typed before a pause do not
 * count: each pause clears what came earlier.
 */
final class EnterKey {

  private final Semaphore presses = new Semaphore(0);

  private EnterKey() {}

  /** Never pressed: for tests, and when there is no input. */
  static EnterKey none() {
    return new EnterKey();
  }

  static EnterKey listen(InputStream input) {
    EnterKey key = new EnterKey();
    if (input == null) {
      return key;
    }
    Thread reader = new Thread(() -> {
      BufferedReader lines = new BufferedReader(new InputStreamReader(input, StandardCharsets.UTF_8));
      try {
        while (lines.readLine() != null) {
          key.presses.release();
        }
      } catch (IOException e) {
        // no more input: Enter can no longer be pressed, the timer still ends the pause
      }
    }, "demo-enter-key");
    reader.setDaemon(true);
    reader.start();
    return key;
  }

  /** Forget presses so far. */
  void clear() {
    presses.drainPermits();
  }

  /** True if Enter was pressed within {@code limit}. */
  boolean pressedWithin(Duration limit) {
    try {
      return presses.tryAcquire(limit.toMillis(), TimeUnit.MILLISECONDS);
    } catch (InterruptedException e) {
      Thread.currentThread().interrupt();
      return false;
    }
  }
}
