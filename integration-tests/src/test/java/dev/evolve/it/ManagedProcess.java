package dev.evolve.it;

import java.io.IOException;
import java.io.UncheckedIOException;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.time.Duration;
import java.util.List;
import java.util.Map;
import java.util.concurrent.TimeUnit;
import java.util.regex.Matcher;
import java.util.regex.Pattern;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;

/**
 * A process the tests start (dev server, sandbox, worker). Its output goes to a log file under
 * target/it-logs for diagnosis; it dies with the test: on {@link #close()}, and through a
 * shutdown hook if the test JVM goes away first, so no run leaves servers behind.
 */
final class ManagedProcess implements AutoCloseable {

  private static final Logger log = LoggerFactory.getLogger(ManagedProcess.class);

  private final String name;
  private final Process process;
  private final Path logFile;
  private final Thread killOnExit;

  private ManagedProcess(String name, Process process, Path logFile) {
    this.name = name;
    this.process = process;
    this.logFile = logFile;
    this.killOnExit = new Thread(this::destroyNow, "kill " + name);
    Runtime.getRuntime().addShutdownHook(killOnExit);
  }

  static ManagedProcess start(String name, List<String> command, Map<String, String> env) {
    Path logFile = TestPaths.logs().resolve(name + ".log");
    ProcessBuilder builder = new ProcessBuilder(command)
        .directory(TestPaths.root().toFile())
        .redirectErrorStream(true)
        .redirectOutput(ProcessBuilder.Redirect.appendTo(logFile.toFile()));
    builder.environment().putAll(env);
    try {
      Files.createDirectories(logFile.getParent());
      // A fresh file per run: its lines are what awaitLogLine looks for.
      Files.writeString(logFile, "$ " + String.join(" ", command) + "\n", StandardCharsets.UTF_8);
      Process process = builder.start();
      log.info("started {} (pid {}), log {}", name, process.pid(), logFile);
      return new ManagedProcess(name, process, logFile);
    } catch (IOException e) {
      throw new UncheckedIOException("cannot start " + name + ": " + command, e);
    }
  }

  /**
   * A child JVM on the java and classpath running this test. C1 only: these processes start often
   * (a new worker after every kill) and run briefly, so start-up time matters more than peak speed.
   */
  static List<String> java(String mainClass, List<String> args) {
    List<String> command = new java.util.ArrayList<>(List.of(
        Path.of(System.getProperty("java.home"), "bin", "java").toString(),
        "-XX:TieredStopAtLevel=1", "-Xmx512m",
        "-cp", System.getProperty("java.class.path"), mainClass));
    command.addAll(args);
    return command;
  }

  long pid() {
    return process.pid();
  }

  boolean isAlive() {
    return process.isAlive();
  }

  Path logFile() {
    return logFile;
  }

  /** Waits until the log has a line matching the pattern and returns its first group (or the line). */
  String awaitLogLine(Pattern pattern, Duration timeout) {
    long deadline = System.nanoTime() + timeout.toNanos();
    while (System.nanoTime() < deadline) {
      for (String line : logLines()) {
        Matcher m = pattern.matcher(line);
        if (m.find()) {
          return m.groupCount() > 0 ? m.group(1) : line;
        }
      }
      if (!process.isAlive()) {
        throw new IllegalStateException(name + " exited with " + process.exitValue() + " before printing '"
            + pattern + "'; see " + logFile);
      }
      Await.pause(Duration.ofMillis(100));
    }
    throw new IllegalStateException(name + " did not print '" + pattern + "' within " + timeout + "; see " + logFile);
  }

  List<String> logLines() {
    try {
      return Files.readAllLines(logFile, StandardCharsets.UTF_8);
    } catch (IOException e) {
      return List.of();
    }
  }

  /** SIGKILL: no shutdown hook, no graceful worker shutdown, exactly like a crashed machine. */
  void kill() {
    process.destroyForcibly();
    waitFor(Duration.ofSeconds(10));
    log.info("killed {} (pid {})", name, process.pid());
  }

  @Override
  public void close() {
    if (process.isAlive()) {
      process.destroy();
      if (!waitFor(Duration.ofSeconds(10))) {
        destroyNow();
      }
    }
    try {
      Runtime.getRuntime().removeShutdownHook(killOnExit);
    } catch (IllegalStateException shuttingDown) {
      // the hook is running or about to: nothing to remove
    }
  }

  private void destroyNow() {
    process.descendants().forEach(ProcessHandle::destroyForcibly);
    process.destroyForcibly();
  }

  private boolean waitFor(Duration timeout) {
    try {
      return process.waitFor(timeout.toMillis(), TimeUnit.MILLISECONDS);
    } catch (InterruptedException e) {
      Thread.currentThread().interrupt();
      return false;
    }
  }
}
