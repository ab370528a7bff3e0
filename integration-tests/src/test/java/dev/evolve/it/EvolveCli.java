package dev.evolve.it;

import java.io.IOException;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.List;
import java.util.concurrent.TimeUnit;

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
    List<String> command = ManagedProcess.java("dev.evolve.starter.EvolveCli", List.of(args));
    try {
      Path output = Files.createTempFile("evolve-cli", ".out");
      try {
        ProcessBuilder builder = new ProcessBuilder(command).redirectErrorStream(true).redirectOutput(output.toFile());
        builder.environment().put("TEMPORAL_ADDRESS", temporalAddress);
        builder.environment().put("TEMPORAL_NAMESPACE", "default");
        Process process = builder.start();
        if (!process.waitFor(90, TimeUnit.SECONDS)) {
          process.destroyForcibly();
          throw new AssertionError("./evolve " + String.join(" ", args) + " did not finish in 90 s");
        }
        return new Result(process.exitValue(), Files.readString(output, StandardCharsets.UTF_8));
      } finally {
        Files.deleteIfExists(output);
      }
    } catch (IOException e) {
      throw new IllegalStateException("cannot run " + new ArrayList<>(command), e);
    } catch (InterruptedException e) {
      Thread.currentThread().interrupt();
      throw new IllegalStateException("interrupted", e);
    }
  }
}
