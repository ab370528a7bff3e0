package dev.evolve.sandbox.kube;

import java.io.BufferedReader;
import java.io.IOException;
import java.io.InputStreamReader;
import java.io.UncheckedIOException;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.nio.file.StandardCopyOption;
import java.util.List;
import java.util.concurrent.CompletableFuture;
import java.util.concurrent.ExecutionException;
import java.util.concurrent.TimeUnit;
import java.util.concurrent.TimeoutException;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;

/**
 * A real Kubernetes control plane (etcd, kube-apiserver, kube-controller-manager, kube-scheduler,
 * and kwok playing the kubelets), started by {@code scripts/kube.sh up} as one child process.
 * The script builds the pinned binaries the first time (about ten minutes on two cores) and
 * reuses them afterwards. Closing this stops exactly the processes the script started; so does
 * the death of this JVM, which the script watches.
 */
public final class ControlPlane implements AutoCloseable {

  private static final Logger log = LoggerFactory.getLogger(ControlPlane.class);
  private static final String READY = "control plane ready: ";

  private final Process process;
  private final Path dir;
  private final Path kubeconfig;
  private final String description;

  private ControlPlane(Process process, Path dir, Path kubeconfig, String description) {
    this.process = process;
    this.dir = dir;
    this.kubeconfig = kubeconfig;
    this.description = description;
  }

  /**
   * Starts the plane with its state, certificates and logs in {@code dir}, and returns once the
   * API server, controller-manager, scheduler and kwok are healthy.
   *
   * @param startTimeoutSeconds how long to wait, a first build of the binaries included
   */
  public static ControlPlane start(Path dir, long startTimeoutSeconds) {
    Path script = ProjectHome.find().resolve("scripts/kube.sh");
    try {
      Files.createDirectories(dir);
      ProcessBuilder builder = new ProcessBuilder(List.of("bash", script.toString(), "up",
          "--dir", dir.toAbsolutePath().toString(),
          "--parent-pid", String.valueOf(ProcessHandle.current().pid())))
          .redirectError(ProcessBuilder.Redirect.INHERIT);
      Process process = builder.start();
      CompletableFuture<String[]> ready = CompletableFuture.supplyAsync(() -> awaitReady(process));
      String[] lines;
      try {
        lines = ready.get(startTimeoutSeconds, TimeUnit.SECONDS);
      } catch (TimeoutException | ExecutionException | InterruptedException e) {
        process.destroy();
        if (e instanceof InterruptedException) {
          Thread.currentThread().interrupt();
        }
        throw new IllegalStateException("the Kubernetes control plane did not start within " + startTimeoutSeconds
            + " s; see " + dir.resolve("logs"), e);
      }
      ControlPlane plane = new ControlPlane(process, dir, Path.of(lines[0]), lines[1].trim());
      log.info("{} ({})", plane.description, plane.kubeconfig);
      return plane;
    } catch (IOException e) {
      throw new UncheckedIOException("cannot run " + script + ": " + e.getMessage(), e);
    }
  }

  /** Reads the script's output until its ready line and the description after it; drains the rest. */
  private static String[] awaitReady(Process process) {
    BufferedReader out = new BufferedReader(new InputStreamReader(process.getInputStream(), StandardCharsets.UTF_8));
    try {
      String line;
      while ((line = out.readLine()) != null) {
        if (line.startsWith(READY)) {
          String[] result = {line.substring(READY.length()).trim(), out.readLine()};
          Thread drain = new Thread(() -> out.lines().forEach(l -> log.debug("kube.sh: {}", l)), "kube-sh-output");
          drain.setDaemon(true);
          drain.start();
          return result;
        }
      }
      throw new IllegalStateException("scripts/kube.sh up ended before the control plane was ready (exit "
          + process.waitFor() + ")");
    } catch (IOException e) {
      throw new UncheckedIOException(e);
    } catch (InterruptedException e) {
      Thread.currentThread().interrupt();
      throw new IllegalStateException(e);
    }
  }

  /** The admin kubeconfig (client certificate in system:masters). */
  public Path kubeconfig() {
    return kubeconfig;
  }

  /** E.g. "Kubernetes v1.34.4 at https://127.0.0.1:PORT (nodes and pods played by kwok v0.8.0)". */
  public String description() {
    return description;
  }

  /**
   * Asks scripts/kube.sh to kill the API server with SIGKILL and start it again on the same port
   * and etcd after {@code downSeconds} (the chaos soak's fault; the script looks once a second).
   */
  public void restartApiServer(double downSeconds) {
    try {
      Path request = dir.resolve("restart-kube-apiserver");
      Path tmp = dir.resolve("restart-kube-apiserver.tmp");
      Files.writeString(tmp, String.valueOf(downSeconds));
      Files.move(tmp, request, java.nio.file.StandardCopyOption.ATOMIC_MOVE);
    } catch (IOException e) {
      throw new UncheckedIOException(e);
    }
  }

  /**
   * Sends a signal (STOP, CONT, ...) to one of the plane's processes, named as its binary
   * (kube-controller-manager, kube-scheduler, kwok, etcd, kube-apiserver).
   *
   * @return the pids signalled (none when no such process runs)
   */
  public List<Long> signal(String component, String signal) {
    List<Long> pids = process.descendants()
        .filter(p -> p.info().command().orElse("").endsWith("/" + component))
        .map(ProcessHandle::pid)
        .toList();
    for (long pid : pids) {
      try {
        Process kill = new ProcessBuilder("kill", "-" + signal, String.valueOf(pid)).inheritIO().start();
        kill.waitFor(5, TimeUnit.SECONDS);
      } catch (IOException e) {
        throw new UncheckedIOException(e);
      } catch (InterruptedException e) {
        Thread.currentThread().interrupt();
        throw new IllegalStateException(e);
      }
    }
    log.info("sent SIG{} to {} {}", signal, component, pids);
    return pids;
  }

  public Path logs() {
    return dir.resolve("logs");
  }

  /**
   * Copies the components' logs (kube-apiserver, controller-manager, scheduler, etcd, kwok) into
   * {@code to}, for a failure to be read after the plane and its folder are gone.
   *
   * @return how many files were copied
   */
  public int copyLogs(Path to) {
    try (var files = Files.list(logs())) {
      Files.createDirectories(to);
      int copied = 0;
      for (Path file : files.toList()) {
        Files.copy(file, to.resolve(file.getFileName()), StandardCopyOption.REPLACE_EXISTING);
        copied++;
      }
      return copied;
    } catch (IOException e) {
      throw new UncheckedIOException("cannot copy " + logs() + " to " + to + ": " + e.getMessage(), e);
    }
  }

  @Override
  public void close() {
    process.destroy();
    try {
      if (!process.waitFor(30, TimeUnit.SECONDS)) {
        process.destroyForcibly();
        process.waitFor(5, TimeUnit.SECONDS);
      }
    } catch (InterruptedException e) {
      Thread.currentThread().interrupt();
    }
  }
}
