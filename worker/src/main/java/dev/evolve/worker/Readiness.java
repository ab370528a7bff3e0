package dev.evolve.worker;

import java.util.Optional;

/** What {@code /readyz} asks: empty when the worker is ready, else why not, for the probe's body. */
@FunctionalInterface
public interface Readiness {

  Optional<String> notReadyBecause();

  /** Before the worker factory exists: connecting to Temporal, building the clients. */
  static Readiness startingUp() {
    return () -> Optional.of("starting up: the worker is not polling yet");
  }
}
