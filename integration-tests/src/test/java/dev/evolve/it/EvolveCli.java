package dev.evolve.it;

import java.time.Duration;
import java.util.List;
import java.util.Map;

/**
 * The project's own command-line tool, {@code ./evolve ARGS}: the same main class the script
 * execs, run from the test's classpath so that the test never triggers the script's rebuild.
 */
final class EvolveCli {

  private final String temporalAddress;

  EvolveCli(String temporalAddress) {
    this.temporalAddress = temporalAddress;
  }

  record Result(int exitCode, String output) {}

  /** Runs {@code ./evolve ARGS}; fails unless it exits with 0. */
  String run(String... args) {
    Result result = tryRun(args);
    if (result.exitCode() != 0) {
      throw new AssertionError("./evolve " + String.join(" ", args) + " exited with " + result.exitCode() + ":\n"
          + result.output());
    }
    return result.output();
  }

  Result tryRun(String... args) {
    FinishedCommand finished = FinishedCommand.run(ManagedProcess.java("dev.evolve.starter.EvolveCli", List.of(args)),
        Map.of("TEMPORAL_ADDRESS", temporalAddress, "TEMPORAL_NAMESPACE", "default"), true, Duration.ofSeconds(90));
    return new Result(finished.exitCode(), finished.stdout());
  }
}
