package dev.evolve.it;

import java.io.File;
import java.io.IOException;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.time.Duration;
import java.util.List;
import java.util.Map;
import java.util.concurrent.TimeUnit;

/**
 * A command-line tool run to its end, as a user runs it: what it printed and how it exited. Output
 * goes through files rather than pipes, so a chatty command can never block on a full pipe.
 *
 * @param stderr empty when the two streams were merged into stdout
 */
record FinishedCommand(int exitCode, String stdout, String stderr) {

  static FinishedCommand run(List<String> command, Map<String, String> env, boolean mergeStderr, Duration limit) {
    String shown = String.join(" ", command);
    try {
      File out = File.createTempFile("command", ".out");
      File err = File.createTempFile("command", ".err");
      try {
        ProcessBuilder builder = new ProcessBuilder(command).redirectOutput(out);
        if (mergeStderr) {
          builder.redirectErrorStream(true);
        } else {
          builder.redirectError(err);
        }
        builder.environment().putAll(env);
        Process process = builder.start();
        if (!process.waitFor(limit.toMillis(), TimeUnit.MILLISECONDS)) {
          process.destroyForcibly();
          throw new IllegalStateException(shown + " did not finish in " + limit.toSeconds() + " s");
        }
        return new FinishedCommand(process.exitValue(), Files.readString(out.toPath(), StandardCharsets.UTF_8),
            Files.readString(err.toPath(), StandardCharsets.UTF_8));
      } finally {
        out.delete();
        err.delete();
      }
    } catch (IOException e) {
      throw new IllegalStateException("cannot run " + shown, e);
    } catch (InterruptedException e) {
      Thread.currentThread().interrupt();
      throw new IllegalStateException("interrupted", e);
    }
  }
}
