package dev.evolve.it;

import java.io.IOException;
import java.io.UncheckedIOException;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.time.Duration;
import java.util.ArrayList;
import java.util.List;
import java.util.Map;
import java.util.concurrent.TimeUnit;
import java.util.regex.Matcher;
import java.util.regex.Pattern;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;

/**
 * A process the tests start (dev server, sandbox, worker). Its output goes to a log file under
 * target/it-logs for diagnosis; it dies with the test, so that no run leaves servers behind: on
 * {@link #close()}; through a shutdown hook if the test JVM exits first (a failed or interrupted
 * run); and, should the test JVM die without running its hooks (SIGKILL), through a watch that
 * each process carries (see {@link #WATCH_TEST_JVM}).
 *
 * <p>A sandbox stops its Kubernetes control plane when it gets SIGTERM, and scripts/kube.sh stops
 * it by itself within seconds of the sandbox dying any other way.
 */
public final class ManagedProcess implements AutoCloseable {

  private static final Logger log = LoggerFactory.getLogger(ManagedProcess.class);

  /** How long a process may take to stop on SIGTERM (a sandbox stops five control-plane processes). */
  private static final Duration GRACE = Duration.ofSeconds(15);

  /**
   * {@code bash -c WATCH_TEST_JVM watch TEST_JVM_PID COMMAND...}: a background subshell checks every
   * second that the test JVM is still there, and when it is gone sends the process SIGTERM (and
   * SIGKILL if it is still there after the grace time); then the shell execs the command. Because
   * of the exec, the process the test holds is the command itself: a SIGKILL of the crash tests
   * hits the worker JVM, not a wrapper. The watch ends with the process, and acts only while it
   * still runs, so that it never signals a process id that the system has handed out again.
   */
  private static final String WATCH_TEST_JVM = """
      test_jvm=$1; shift
      (
        while kill -0 $$ 2>/dev/null; do
          if ! kill -0 "$test_jvm" 2>/dev/null; then
            kill -TERM $$ 2>/dev/null
            for _ in $(seq %d); do kill -0 $$ 2>/dev/null || exit 0; sleep 1; done
            kill -KILL $$ 2>/dev/null
            exit 0
          fi
          sleep 1
        done
      ) </dev/null >/dev/null 2>&1 &
      exec "$@"
      """.formatted(GRACE.toSeconds());

  private final String name;
  private final Process process;
  private final Path logFile;
  private final Thread stopOnExit;

  private ManagedProcess(String name, Process process, Path logFile) {
    this.name = name;
    this.process = process;
    this.logFile = logFile;
    this.stopOnExit = new Thread(this::stop, "stop " + name);
    Runtime.getRuntime().addShutdownHook(stopOnExit);
  }

  public static ManagedProcess start(String name, List<String> command, Map<String, String> env) {
    Path logFile = TestPaths.logs().resolve(name + ".log");
    List<String> watched = new ArrayList<>(List.of("bash", "-c", WATCH_TEST_JVM, "watch",
        String.valueOf(ProcessHandle.current().pid())));
    watched.addAll(command);
    ProcessBuilder builder = new ProcessBuilder(watched)
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
   * No hsperfdata file: a JVM killed with SIGKILL would leave it in /tmp.
   */
  static List<String> java(String mainClass, List<String> args) {
    return java(mainClass, args, TestPaths.tmp());
  }

  /** The same with its own temporary folder (java.io.tmpdir). */
  static List<String> java(String mainClass, List<String> args, Path tmpDir) {
    try {
      Files.createDirectories(tmpDir);
    } catch (IOException e) {
      throw new UncheckedIOException(e);
    }
    List<String> command = new ArrayList<>(List.of(
        Path.of(System.getProperty("java.home"), "bin", "java").toString(),
        "-XX:TieredStopAtLevel=1", "-XX:-UsePerfData", "-Xmx512m", "-Djava.io.tmpdir=" + tmpDir,
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

  /** The processes this one started, and theirs (a sandbox's scripts/kube.sh and control plane). */
  List<ProcessHandle> descendants() {
    return process.descendants().toList();
  }

  /** Waits until the log has a line matching the pattern and returns its first group (or the line). */
  public String awaitLogLine(Pattern pattern, Duration timeout) {
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
    stop();
    try {
      Runtime.getRuntime().removeShutdownHook(stopOnExit);
    } catch (IllegalStateException shuttingDown) {
      // the hook is running or about to: nothing to remove
    }
  }

  /**
   * SIGTERM, so that a sandbox stops its control plane and removes its files; SIGKILL for the
   * process and everything it started if it has not ended within the grace time. The shutdown
   * hook does the same: the hooks run side by side, so a failed run still ends within the grace time.
   */
  private void stop() {
    if (!process.isAlive()) {
      return;
    }
    process.destroy();
    if (!waitFor(GRACE)) {
      log.warn("{} (pid {}) did not stop within {} s of SIGTERM: killing it and what it started", name,
          process.pid(), GRACE.toSeconds());
      // Descendants first: once the process is gone they are no longer found as its descendants.
      process.descendants().forEach(ProcessHandle::destroyForcibly);
      process.destroyForcibly();
      waitFor(Duration.ofSeconds(5));
    }
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
