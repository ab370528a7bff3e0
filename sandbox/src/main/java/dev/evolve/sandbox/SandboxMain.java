package dev.evolve.sandbox;

import com.fasterxml.jackson.annotation.JsonInclude;
import com.fasterxml.jackson.databind.ObjectMapper;
import com.fasterxml.jackson.databind.SerializationFeature;
import dev.evolve.fakegke.FakeGke;
import dev.evolve.workflows.model.TempPoolPolicy;
import java.nio.file.Files;
import java.nio.file.Path;
import java.nio.file.StandardCopyOption;
import java.time.Duration;
import java.util.concurrent.Callable;
import java.util.concurrent.CountDownLatch;
import java.util.concurrent.Executors;
import java.util.concurrent.ScheduledExecutorService;
import java.util.concurrent.TimeUnit;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;
import picocli.CommandLine;
import picocli.CommandLine.Command;
import picocli.CommandLine.Option;

/**
 * {@code ./evolve sandbox}: the fake GKE and a real Kubernetes control plane as a long-lived local
 * process. A worker started separately drives it (and can be killed and restarted while the
 * sandbox keeps its state); the files it writes say how to connect and what the cluster holds.
 */
@Command(name = "evolve sandbox", mixinStandardHelpOptions = true,
    description = "Runs the fake GKE and a real Kubernetes control plane (kwok nodes) until stopped (Ctrl-C).")
public final class SandboxMain implements Callable<Integer> {

  private static final Logger log = LoggerFactory.getLogger(SandboxMain.class);
  static final ObjectMapper JSON = new ObjectMapper()
      .setSerializationInclusion(JsonInclude.Include.NON_NULL)
      .enable(SerializationFeature.INDENT_OUTPUT);

  @Option(names = "--scenario", paramLabel = "FILE", description = "cluster description (JSON or YAML); default: the built-in one")
  Path scenarioFile;

  @Option(names = "--dir", paramLabel = "DIR", defaultValue = ".sandbox",
      description = "where kubeconfig, request.json, worker.env and status.json are written (default: ${DEFAULT-VALUE})")
  Path dir;

  @Option(names = "--project", paramLabel = "ID",
      description = "the GKE project the fake GKE answers for (default: the scenario's); two sandboxes driven by one "
          + "Temporal need different ones, since a pool is in at most one cycle at a time")
  String project;

  @Option(names = "--gke-port", defaultValue = "0", description = "fake GKE port (default: any free one)")
  int gkePort;

  @Option(names = "--fast", description = "test pace: pod start-ups and grace periods 5 times, GKE operations 10 times faster than the demo's")
  boolean fast;

  @Option(names = "--gke-node-seconds", paramLabel = "SECONDS",
      description = "how long the fake GKE takes per node of an operation (default: the pace's); "
          + "slower operations leave time to watch, or to kill a worker, mid-operation")
  Double gkeNodeSeconds;

  @Option(names = "--settle-seconds", defaultValue = "5", description = "settle time between brokers in request.json")
  long settleSeconds;

  @Option(names = "--control", description = "serve fault commands on a loopback HTTP port, written to DIR/control.port "
      + "(the chaos soak's; see SandboxControl)")
  boolean control;

  public static void main(String[] args) {
    System.exit(new CommandLine(new SandboxMain()).execute(args));
  }

  @Override
  public Integer call() throws Exception {
    Scenario scenario = scenarioFile == null ? Scenario.defaultScenario() : Scenario.load(scenarioFile);
    if (project != null) {
      scenario = scenario.inProject(project);
    }
    Sandbox.Settings settings = (fast ? Sandbox.Settings.fast() : Sandbox.Settings.demo()).withGkePort(gkePort);
    if (gkeNodeSeconds != null) {
      settings = new Sandbox.Settings(settings.cluster(), new FakeGke.Durations(settings.gke().pending(),
          Duration.ofMillis(Math.round(gkeNodeSeconds * 1000))), settings.gkePort());
    }
    Sandbox sandbox = Sandbox.start(scenario, settings);
    Files.createDirectories(dir);
    Path kubeconfig = sandbox.cluster().writeKubeconfig(dir.resolve("kubeconfig")).toAbsolutePath();
    Path request = dir.resolve("request.json").toAbsolutePath();
    JSON.writeValue(request.toFile(), sandbox.request(TempPoolPolicy.DELETE, settleSeconds));
    Path env = dir.resolve("worker.env").toAbsolutePath();
    Files.writeString(env, """
        export EVOLVE_GKE_ENDPOINT=%s
        export KUBECONFIG=%s
        export EVOLVE_GKE_POLL_SECONDS=1
        %s""".formatted(sandbox.gke().endpoint(), kubeconfig, sandbox.cluster().kafka()
        .map(k -> "export EVOLVE_KAFKA_BOOTSTRAP_SERVERS=" + k.bootstrap() + "\n").orElse("")));
    LoadOnBrokers load = new LoadOnBrokers(sandbox);
    SandboxControl controlPort = control ? SandboxControl.start(sandbox, dir.resolve("control.port")) : null;

    Path status = dir.resolve("status.json").toAbsolutePath();
    ScheduledExecutorService writer = Executors.newSingleThreadScheduledExecutor(r -> {
      Thread t = new Thread(r, "sandbox-status");
      t.setDaemon(true);
      return t;
    });
    writer.scheduleWithFixedDelay(() -> writeStatus(sandbox, load, status), 0, 500, TimeUnit.MILLISECONDS);

    CountDownLatch stopped = new CountDownLatch(1);
    Runtime.getRuntime().addShutdownHook(new Thread(() -> {
      writer.shutdownNow();
      if (controlPort != null) {
        controlPort.close();
      }
      load.close();
      sandbox.close();
      stopped.countDown();
    }));
    System.out.printf("""
        sandbox running: cluster %s/%s/%s, pool %s
          GKE endpoint   %s   (plaintext gRPC, the fake ClusterManager)
          Kubernetes     %s
          Kafka          %s
          kubeconfig     %s
          cycle request  %s
          status         %s   (rewritten every 0.5 s)
        start a worker against it:
          source %s && ./evolve worker
        then a cycle:
          ./evolve start --file %s
        Ctrl-C stops the sandbox.
        """, scenario.cluster().project(), scenario.cluster().location(), scenario.cluster().name(),
        sandbox.poolToUpgrade(), sandbox.gke().endpoint(), sandbox.cluster().description(),
        sandbox.cluster().kafka().map(k -> k.bootstrap() + "   (real brokers, under load once they serve)")
            .orElse("none in this scenario"), kubeconfig, request,
        status, env, request);
    System.out.flush();
    stopped.await();
    return 0;
  }

  /** Written to a temporary file and moved, so a reader never sees half a snapshot. */
  private static void writeStatus(Sandbox sandbox, LoadOnBrokers load, Path status) {
    try {
      Path tmp = status.resolveSibling(status.getFileName() + ".tmp");
      JSON.writeValue(tmp.toFile(), SandboxStatus.of(sandbox).withKafka(load.report()));
      Files.move(tmp, status, StandardCopyOption.REPLACE_EXISTING, StandardCopyOption.ATOMIC_MOVE);
    } catch (Exception e) {
      log.warn("cannot write {}: {}", status, e.toString());
    }
  }
}
