package dev.evolve.sandbox.kafka;

import java.io.IOException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.time.Duration;
import java.util.ArrayList;
import java.util.List;
import java.util.concurrent.TimeUnit;

/**
 * One Kafka JVM (a broker or a controller) started from the Kafka jars on the sandbox's own
 * classpath. It is stopped the way a kubelet stops a container: SIGTERM (Kafka's controlled
 * shutdown runs in its shutdown hook), then SIGKILL when the grace period is over.
 */
final class KafkaProcess {

  /** Small heaps and the client compiler: six brokers and controllers share two cores with the rest. */
  private static final List<String> JVM_OPTIONS = List.of("-Xms64m", "-XX:+UseSerialGC",
      "-XX:TieredStopAtLevel=1", "-XX:-UsePerfData", "-Djava.awt.headless=true");

  private final Process process;

  private KafkaProcess(Process process) {
    this.process = process;
  }

  /** Starts {@code kafka.Kafka CONFIG}, its output appended to {@code log}. */
  static KafkaProcess start(Path config, Path log, Path logbackConfig, String heap) throws IOException {
    Process process = java(logbackConfig, heap, "kafka.Kafka", config.toString())
        .redirectOutput(ProcessBuilder.Redirect.appendTo(log.toFile())).redirectErrorStream(true).start();
    return new KafkaProcess(process);
  }

  /** Runs Kafka's storage tool to format a node's log directory, as {@code kafka-storage.sh format} does. */
  static void format(Path config, String clusterId, Path log, Path logbackConfig) throws IOException,
      InterruptedException {
    Process format = java(logbackConfig, "128m", "kafka.tools.StorageTool", "format", "--ignore-formatted",
        "-t", clusterId, "-c", config.toString())
        .redirectOutput(ProcessBuilder.Redirect.appendTo(log.toFile())).redirectErrorStream(true).start();
    if (!format.waitFor(120, TimeUnit.SECONDS)) {
      format.destroyForcibly();
      throw new IllegalStateException("formatting " + config + " took more than 120 s; see " + log);
    }
    if (format.exitValue() != 0) {
      throw new IllegalStateException("formatting " + config + " failed: " + Files.readString(log));
    }
  }

  long pid() {
    return process.pid();
  }

  boolean isAlive() {
    return process.isAlive();
  }

  Process process() {
    return process;
  }

  /**
   * SIGTERM, then SIGKILL if it has not exited within {@code grace}. Returns whether it stopped on
   * its own (a controlled shutdown) rather than being killed.
   */
  boolean stop(Duration grace) throws InterruptedException {
    process.destroy();
    if (process.waitFor(grace.toMillis(), TimeUnit.MILLISECONDS)) {
      return true;
    }
    kill();
    return false;
  }

  /** SIGKILL: what a lost node does to its broker. */
  void kill() throws InterruptedException {
    process.destroyForcibly();
    process.waitFor(30, TimeUnit.SECONDS);
  }

  private static ProcessBuilder java(Path logbackConfig, String heap, String mainClass, String... args) {
    List<String> command = new ArrayList<>();
    command.add(Path.of(System.getProperty("java.home"), "bin", "java").toString());
    command.add("-Xmx" + heap);
    command.addAll(JVM_OPTIONS);
    command.add("-Dlogback.configurationFile=" + logbackConfig);
    command.add("-cp");
    command.add(System.getProperty("java.class.path"));
    command.add(DiesWithParent.class.getName());
    command.add(mainClass);
    command.addAll(List.of(args));
    return new ProcessBuilder(command);
  }
}
