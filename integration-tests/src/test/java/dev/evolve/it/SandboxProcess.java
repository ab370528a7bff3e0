package dev.evolve.it;

import com.fasterxml.jackson.databind.node.ObjectNode;
import dev.evolve.sandbox.SandboxStatus;
import dev.evolve.sandbox.kafka.KafkaReport;
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
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;

/**
 * {@code ./evolve sandbox --fast} in its own process: the fake GKE and a real Kubernetes control
 * plane (etcd, kube-apiserver, controller-manager, scheduler and kwok, run by scripts/kube.sh as
 * children of the sandbox JVM) outlive any worker the tests kill, and the files it writes tell the
 * tests how to connect and what the cluster holds (status.json, rewritten every half second).
 * Every pod change is logged to {@code NAME-pods.log} beside the sandbox's own log.
 */
public final class SandboxProcess implements AutoCloseable {

  private static final Logger log = LoggerFactory.getLogger(SandboxProcess.class);

  private final String name;
  private final ManagedProcess process;
  private final Path dir;
  /** What the sandbox started (scripts/kube.sh and the control plane it runs): none may outlive it. */
  private final List<ProcessHandle> controlPlane;
  private final PodEventLog podEvents;

  private SandboxProcess(String name, ManagedProcess process, Path dir, List<ProcessHandle> controlPlane,
      PodEventLog podEvents) {
    this.name = name;
    this.process = process;
    this.dir = dir;
    this.controlPlane = controlPlane;
    this.podEvents = podEvents;
  }

  public static SandboxProcess start(String name, String... options) {
    Path dir = TestPaths.logs().resolve(name);
    deleteRecursively(dir);
    List<String> args = new ArrayList<>(List.of("--fast", "--dir", dir.toString()));
    args.addAll(List.of(options));
    // The control plane's state and logs go to the sandbox's temporary folder (about 60 MB); a sandbox
    // killed with SIGKILL cannot remove them, so they stay in DIR/tmp until the next run with this name.
    ManagedProcess process = ManagedProcess.start(name,
        ManagedProcess.java("dev.evolve.sandbox.SandboxMain", args, dir.resolve("tmp")), Map.of());
    try {
      // The control plane starts in about 6 s once its binaries are built (scripts/kube.sh builds them
      // once, about ten minutes on two cores, into ~/.cache/evolve/kube, before the first run).
      process.awaitLogLine(Pattern.compile("^sandbox running:"), Duration.ofSeconds(120));
      List<ProcessHandle> controlPlane = process.descendants().stream()
          .filter(p -> !p.info().command().orElse("").endsWith("/sleep"))
          .toList();
      PodEventLog podEvents = PodEventLog.start(dir.resolve("kubeconfig"), TestPaths.logs().resolve(name + "-pods.log"));
      SandboxProcess sandbox = new SandboxProcess(name, process, dir, controlPlane, podEvents);
      try {
        sandbox.awaitSettled();
      } catch (RuntimeException | Error e) {
        try {
          sandbox.close();
        } catch (AssertionError leftBehind) {
          e.addSuppressed(leftBehind);
        }
        throw e;
      }
      return sandbox;
    } catch (RuntimeException | Error e) {
      process.close();
      throw e;
    }
  }

  /**
   * The cluster starts its pods after the sandbox answers: a cycle (and a "before" snapshot) must
   * wait until every pod is placed and nothing has changed for a couple of status rewrites.
   */
  private void awaitSettled() {
    SandboxStatus[] last = {null};
    long[] sameSince = {0};
    Await.until("the sandbox's pods to be placed and settled", Duration.ofSeconds(60), Duration.ofMillis(250), () -> {
      SandboxStatus now = status();
      // with real brokers, the load starts once every broker serves: then the cluster is whole
      boolean placed = now.pendingPods() == 0 && !now.podsPerPool().isEmpty()
          && (!request().hasNonNull("kafka") || now.kafka() != null);
      boolean unchanged = last[0] != null && now.podsPerPool().equals(last[0].podsPerPool())
          && now.podStarts().equals(last[0].podStarts());
      if (!placed || !unchanged) {
        sameSince[0] = System.nanoTime();
      }
      last[0] = now;
      return System.nanoTime() - sameSince[0] > Duration.ofMillis(1500).toNanos() ? Optional.of(now) : Optional.empty();
    });
  }

  /** Where the sandbox writes its files (kubeconfig, request.json, status.json, control.port). */
  public Path dir() {
    return dir;
  }

  /** The port of {@code --control}, once the sandbox has written it. */
  public int controlPort() {
    return Integer.parseInt(readLines(dir.resolve("control.port")).get(0).trim());
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
  public ObjectNode request() {
    try {
      return (ObjectNode) TemporalCli.JSON.readTree(dir.resolve("request.json").toFile());
    } catch (IOException e) {
      throw new UncheckedIOException(e);
    }
  }

  public SandboxStatus status() {
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

  /**
   * Waits until the consumer has read back everything the producer had acknowledged more than 10 s
   * before (what is still unread after 90 s is lost), and returns the load's figures.
   */
  KafkaReport awaitKafkaReadBack() {
    return Await.until("the consumer to read back every acknowledged message", Duration.ofSeconds(90),
        Duration.ofMillis(500), () -> {
          KafkaReport kafka = status().kafka();
          if (kafka == null) {
            throw new AssertionError("the sandbox reports no Kafka load");
          }
          return kafka.unread() == 0 ? Optional.of(kafka) : Optional.empty();
        });
  }

  /** scripts/kube.sh and the processes it started (etcd, kube-apiserver, ...), as they were at start. */
  List<ProcessHandle> controlPlane() {
    return controlPlane;
  }

  /** SIGKILL for the sandbox JVM: no shutdown hook stops its control plane, scripts/kube.sh must. */
  void kill() {
    podEvents.close();
    process.kill();
  }

  /**
   * Stops the sandbox (SIGTERM: it stops its control plane) and checks that nothing it started is
   * left; what is left is killed, and the check fails.
   */
  @Override
  public void close() {
    podEvents.close();
    process.close();
    List<ProcessHandle> left;
    try {
      left = Await.until(name + "'s control plane to stop", Duration.ofSeconds(10), Duration.ofMillis(100), () -> {
        List<ProcessHandle> alive = alive(controlPlane);
        return alive.isEmpty() ? Optional.of(alive) : Optional.empty();
      });
    } catch (AssertionError timedOut) {
      left = alive(controlPlane);
    }
    if (!left.isEmpty()) {
      String shown = left.stream().map(p -> p.pid() + " " + p.info().command().orElse("?")).toList().toString();
      log.error("{} left {} behind: killing them", name, shown);
      left.forEach(ProcessHandle::destroyForcibly);
      throw new AssertionError(name + " left processes of its control plane behind: " + shown);
    }
  }

  static List<ProcessHandle> alive(List<ProcessHandle> processes) {
    return processes.stream().filter(ProcessHandle::isAlive).toList();
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
