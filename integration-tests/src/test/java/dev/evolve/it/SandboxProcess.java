package dev.evolve.it;

import com.fasterxml.jackson.databind.node.ObjectNode;
import dev.evolve.sandbox.SandboxStatus;
import java.io.IOException;
import java.io.UncheckedIOException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.time.Duration;
import java.util.ArrayList;
import java.util.Comparator;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.Optional;
import java.util.regex.Pattern;
import java.util.stream.Stream;

/**
 * {@code ./evolve sandbox --fast} in its own process: the fake GKE and the simulated cluster
 * outlive any worker the tests kill, and the files it writes tell the tests how to connect and
 * what the cluster holds (status.json, rewritten every half second).
 */
final class SandboxProcess implements AutoCloseable {

  private final ManagedProcess process;
  private final Path dir;

  private SandboxProcess(ManagedProcess process, Path dir) {
    this.process = process;
    this.dir = dir;
  }

  static SandboxProcess start(String name, String... options) {
    Path dir = TestPaths.logs().resolve(name);
    deleteRecursively(dir);
    List<String> args = new ArrayList<>(List.of("--fast", "--dir", dir.toString()));
    args.addAll(List.of(options));
    ManagedProcess process = ManagedProcess.start(name,
        ManagedProcess.java("dev.evolve.sandbox.SandboxMain", args), Map.of());
    process.awaitLogLine(Pattern.compile("^sandbox running:"), Duration.ofSeconds(60));
    SandboxProcess sandbox = new SandboxProcess(process, dir);
    sandbox.awaitSettled();
    return sandbox;
  }

  /**
   * The simulated cluster starts its pods after it answers: a cycle (and a "before" snapshot) must
   * wait until every pod is placed and nothing has changed for a couple of status rewrites.
   */
  private void awaitSettled() {
    SandboxStatus[] last = {null};
    long[] sameSince = {0};
    Await.until("the sandbox's pods to be placed and settled", Duration.ofSeconds(60), Duration.ofMillis(250), () -> {
      SandboxStatus now = status();
      boolean placed = now.pendingPods() == 0 && !now.podsPerPool().isEmpty();
      boolean unchanged = last[0] != null && now.podsPerPool().equals(last[0].podsPerPool())
          && now.podStarts().equals(last[0].podStarts());
      if (!placed || !unchanged) {
        sameSince[0] = System.nanoTime();
      }
      last[0] = now;
      return System.nanoTime() - sameSince[0] > Duration.ofMillis(1500).toNanos() ? Optional.of(now) : Optional.empty();
    });
  }

  /** EVOLVE_GKE_ENDPOINT, KUBECONFIG, ... from the worker.env the sandbox wrote. */
  Map<String, String> workerEnvironment() {
    Map<String, String> env = new LinkedHashMap<>();
    for (String line : readLines(dir.resolve("worker.env"))) {
      if (line.startsWith("export ") && line.contains("=")) {
        String assignment = line.substring("export ".length());
        env.put(assignment.substring(0, assignment.indexOf('=')), assignment.substring(assignment.indexOf('=') + 1));
      }
    }
    return env;
  }

  /** The cycle request for this sandbox's cluster, as the sandbox wrote it. */
  ObjectNode request() {
    try {
      return (ObjectNode) TemporalCli.JSON.readTree(dir.resolve("request.json").toFile());
    } catch (IOException e) {
      throw new UncheckedIOException(e);
    }
  }

  SandboxStatus status() {
    try {
      return TemporalCli.JSON.readValue(dir.resolve("status.json").toFile(), SandboxStatus.class);
    } catch (IOException e) {
      throw new UncheckedIOException("cannot read " + dir.resolve("status.json"), e);
    }
  }

  SandboxStatus awaitStatus(String what, java.util.function.Predicate<SandboxStatus> condition) {
    return Await.until(what, Duration.ofSeconds(60), Duration.ofMillis(100), () -> {
      SandboxStatus status = status();
      return condition.test(status) ? Optional.of(status) : Optional.empty();
    });
  }

  @Override
  public void close() {
    process.close();
  }

  private static List<String> readLines(Path file) {
    try {
      return Files.readAllLines(file);
    } catch (IOException e) {
      throw new UncheckedIOException(e);
    }
  }

  private static void deleteRecursively(Path dir) {
    if (!Files.exists(dir)) {
      return;
    }
    try (Stream<Path> paths = Files.walk(dir)) {
      paths.sorted(Comparator.reverseOrder()).forEach(p -> p.toFile().delete());
    } catch (IOException e) {
      throw new UncheckedIOException(e);
    }
  }
}
