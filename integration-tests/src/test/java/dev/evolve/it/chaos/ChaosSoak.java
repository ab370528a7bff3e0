package dev.evolve.it.chaos;

import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.node.ObjectNode;
import dev.evolve.it.Await;
import dev.evolve.it.CycleClient;
import dev.evolve.it.ManagedProcess;
import dev.evolve.it.SandboxProcess;
import dev.evolve.it.TestPaths;
import dev.evolve.it.WorkerProcess;
import dev.evolve.sandbox.SandboxStatus;
import dev.evolve.workflows.model.Phase;
import io.fabric8.kubernetes.client.Config;
import io.fabric8.kubernetes.client.KubernetesClient;
import io.fabric8.kubernetes.client.KubernetesClientBuilder;
import io.fabric8.kubernetes.client.utils.Serialization;
import java.io.IOException;
import java.io.UncheckedIOException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.time.Duration;
import java.util.ArrayList;
import java.util.Arrays;
import java.util.Iterator;
import java.util.List;
import java.util.Map;
import java.util.Optional;
import java.util.Set;
import java.util.function.Consumer;
import java.util.stream.Collectors;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;

/**
 * The chaos soak (issue 13): many cycles in a row on one sandbox, each under faults drawn from a
 * seed in every part (the fake GKE, the real control plane, Temporal, operators), with the
 * invariants checked after each cycle and the soak stopped at the first breach. Between cycles the
 * pool is set back to its old version in place, so that the next cycle has an upgrade to do.
 *
 * <p>Everything it starts (the dev server on a database file, the sandbox with its control plane,
 * the worker) is a {@link ManagedProcess}: stopped on {@link #close()}, on Ctrl-C and if this JVM
 * dies; the faults in force are cleared before the processes stop.
 */
final class ChaosSoak implements AutoCloseable {

  private static final Logger log = LoggerFactory.getLogger(ChaosSoak.class);
  private static final List<String> TRACKED_PHASES = Arrays.stream(Phase.values())
      .filter(p -> p != Phase.DONE).map(Enum::name).toList();
  /**
   * A cycle that took longer keeps its history even without a breach: the median cycle takes
   * about 45 s, and a phase that stood still for a minute is worth explaining once the run is over.
   */
  private static final Duration SLOW_CYCLE = Duration.ofSeconds(120);

  /**
   * @param seed every cycle's plan comes from it and the cycle's number
   * @param firstCycle the number of the first cycle (a replay of cycle N starts at N)
   * @param cycles how many cycles to run
   * @param scenario the sandbox's cluster
   * @param minFaults fewest faults drawn per cycle
   * @param maxFaults most faults drawn per cycle (an approval comes on top in cycles that need one)
   * @param cycleTimeout a cycle still running after this is a breach
   * @param budget no new cycle starts once the soak has run this long (null: no limit)
   */
  record Settings(long seed, int firstCycle, int cycles, Path scenario, int minFaults, int maxFaults,
      Duration cycleTimeout, Duration budget) {}

  private final Settings settings;
  private final ChaosTemporalServer temporal;
  private final SandboxProcess sandbox;
  private final WorkerProcess worker;
  private final CycleClient cycles;
  private final KubernetesClient kube;
  private final SandboxControlClient control;
  private final FaultInjector injector;
  private final CycleInvariants invariants;
  private final SandboxStatus initial;
  private final List<FaultInjector.Active> active = new ArrayList<>();

  private ChaosSoak(Settings settings, ChaosTemporalServer temporal, SandboxProcess sandbox, WorkerProcess worker) {
    this.settings = settings;
    this.temporal = temporal;
    this.sandbox = sandbox;
    this.worker = worker;
    this.cycles = new CycleClient(temporal.address());
    this.kube = client(sandbox.dir().resolve("kubeconfig"));
    this.control = new SandboxControlClient(sandbox.controlPort());
    this.injector = new FaultInjector(control, kube, worker, temporal, cycles);
    ObjectNode request = sandbox.request();
    String pool = request.path("nodePool").asText();
    this.initial = sandbox.status();
    this.invariants = new CycleInvariants(pool, initial.pools().get(pool).version(),
        request.path("targetVersion").asText());
  }

  /** The cluster the soak runs on unless told otherwise: no Kafka brokers, so a cycle takes about a minute. */
  static final Path CHAOS_SCENARIO = TestPaths.root().resolve("integration-tests/src/test/resources/chaos-scenario.yaml");

  /** Runs a whole soak, printing a line for each cycle as it ends and the table at the end. */
  static SoakReport runPrinting(Settings settings) {
    SoakReport report;
    try (ChaosSoak soak = start(settings)) {
      report = soak.run(c -> System.out.println(SoakReport.line(c)));
    }
    System.out.print(report.table());
    return report;
  }

  static ChaosSoak start(Settings settings) {
    ChaosTemporalServer temporal = ChaosTemporalServer.start(TestPaths.logs().resolve("chaos-temporal.db"));
    SandboxProcess sandbox = null;
    try {
      // GKE operations of about half a second per node: long enough for a fault to land mid-operation
      sandbox = SandboxProcess.start("chaos-sandbox", "--scenario", settings.scenario().toString(),
          "--settle-seconds", "1", "--gke-node-seconds", "0.5", "--control");
      WorkerProcess worker = WorkerProcess.start("chaos-worker", temporal.address(), sandbox);
      return new ChaosSoak(settings, temporal, sandbox, worker);
    } catch (RuntimeException | Error e) {
      if (sandbox != null) {
        sandbox.close();
      }
      temporal.close();
      throw e;
    }
  }

  /** Runs the cycles, stopping after the first one that breaks an invariant; {@code each} sees every cycle. */
  SoakReport run(Consumer<CycleRecord> each) {
    SoakReport report = new SoakReport(settings.seed());
    long start = System.nanoTime();
    for (int n = settings.firstCycle(); n < settings.firstCycle() + settings.cycles(); n++) {
      if (settings.budget() != null && System.nanoTime() - start > settings.budget().toNanos()) {
        log.info("time budget of {} used: no cycle after {}", settings.budget(), n - 1);
        break;
      }
      CycleRecord record = runCycle(n);
      report.add(record);
      each.accept(record);
      if (!record.breaches().isEmpty()) {
        break;
      }
    }
    return report;
  }

  private CycleRecord runCycle(int n) {
    FaultPlan plan = FaultPlan.draw(settings.seed(), n, settings.minFaults(), settings.maxFaults());
    log.info("cycle {}: plan {} (requireApproval {})", n, plan.faults(), plan.requireApproval());
    String pool = invariants.pool();
    setBackAndSettle(pool);
    SandboxStatus before = sandbox.status();
    SchedulingSnapshot schedulingBefore = SchedulingSnapshot.take(kube);
    ObjectNode request = sandbox.request();
    request.put("targetVersion", invariants.targetVersion());
    // an activity that died with its worker is retried after 6 s instead of a minute
    request.put("heartbeatTimeoutSeconds", 6);
    request.put("requireApproval", plan.requireApproval());
    String id = "chaos-" + settings.seed() + "-" + n;
    long started = System.nanoTime();
    cycles.start(id, request);

    List<PlannedFault> pending = new ArrayList<>(plan.faults());
    List<CycleRecord.Injected> injected = new ArrayList<>();
    List<String> skipped = new ArrayList<>();
    long[] reachedAt = new long[TRACKED_PHASES.size()];
    Arrays.fill(reachedAt, -1);
    // the cycle is in PREPARE from its start: faults armed there (the next create failing) are in place
    // before its first GKE call, not from the first answer to the progress query
    reachedAt[0] = started;
    JsonNode progress = null;
    String lastSeen = "";
    String execution = "RUNNING";
    int mostPools = 1;
    long lastNudge = 0;
    int resumes = 0;
    boolean cancelled = false;
    List<String> breaches = new ArrayList<>();
    while (true) {
      long now = System.nanoTime();
      if (now - started > settings.cycleTimeout().toNanos()) {
        breaches.add("still running after " + settings.cycleTimeout().toSeconds() + " s: " + progress);
        break;
      }
      Optional<String> closed = cycles.executionStatus(id).filter(s -> !s.equals("RUNNING"));
      if (closed.isPresent()) {
        execution = closed.get();
        break;
      }
      Optional<JsonNode> answer = cycles.progress(id);
      if (answer.isPresent()) {
        progress = answer.get();
        String seen = progress.path("phase").asText() + " " + progress.path("status").asText()
            + (progress.hasNonNull("hold") ? " hold: " + progress.path("hold").path("reason").asText() : "");
        if (!seen.equals(lastSeen)) {
          log.info("cycle {}: {}", n, seen);
          lastSeen = seen;
        }
        int at = TRACKED_PHASES.indexOf(progress.path("phase").asText());
        for (int i = 0; i <= at; i++) {
          if (reachedAt[i] < 0) {
            reachedAt[i] = now;
          }
        }
      }
      try {
        mostPools = Math.max(mostPools, sandbox.status().pools().size());
      } catch (RuntimeException unreadable) {
        // rewritten every half second; the next read gets it
      }
      for (Iterator<FaultInjector.Active> it = active.iterator(); it.hasNext(); ) {
        FaultInjector.Active a = it.next();
        if (a.due(now)) {
          injector.clear(a);
          it.remove();
        }
      }
      for (Iterator<PlannedFault> it = pending.iterator(); it.hasNext(); ) {
        PlannedFault f = it.next();
        long armed = reachedAt[TRACKED_PHASES.indexOf(f.phase().name())];
        if (armed < 0 || now - armed < Duration.ofMillis(f.afterMillis()).toNanos()) {
          continue;
        }
        it.remove();
        try {
          FaultInjector.Started s = injector.start(f, id);
          if (s.injected()) {
            injected.add(new CycleRecord.Injected(f, s.what()));
            s.active().ifPresent(active::add);
            cancelled |= f.kind() == FaultKind.OPERATOR_CANCEL;
            log.info("cycle {}: injected {}: {}", n, f, s.what());
          } else {
            skipped.add(f + ": " + s.what());
          }
        } catch (RuntimeException e) {
          log.warn("cycle {}: could not inject {}", n, f, e);
          skipped.add(f + ": could not inject: " + e.getMessage());
        }
      }
      if (progress != null && now - lastNudge > Duration.ofSeconds(3).toNanos()) {
        String nudge = operatorFollowUp(id, progress, pending);
        if (nudge != null) {
          lastNudge = now;
          resumes += nudge.equals("resume") ? 1 : 0;
        }
      }
      Await.pause(Duration.ofMillis(250));
    }
    clearAll();
    pending.forEach(f -> skipped.add(f + ": its moment never came"));
    JsonNode finalProgress = Await.until("the final progress of " + id, Duration.ofSeconds(60), Duration.ofMillis(500),
        () -> cycles.progress(id));
    Duration took = Duration.ofNanos(System.nanoTime() - started);
    SandboxStatus after = settled(pool, Duration.ofSeconds(60));
    Set<String> nodeVersions = kube.nodes().withLabel("cloud.google.com/gke-nodepool", pool).list().getItems().stream()
        .map(node -> node.getStatus().getNodeInfo().getKubeletVersion()).collect(Collectors.toSet());
    breaches.addAll(invariants.check(execution, finalProgress, cancelled, before, after, schedulingBefore,
        SchedulingSnapshot.take(kube), mostPools, nodeVersions));
    if (!breaches.isEmpty()) {
      saveEvidence(id);
    } else if (took.compareTo(SLOW_CYCLE) > 0) {
      Path history = TestPaths.logs().resolve(id + "-slow-history.json");
      temporal.cli().saveHistory(id, history);
      log.info("cycle {} took {} s, longer than {} s: its history is in {}", n, took.toSeconds(),
          SLOW_CYCLE.toSeconds(), history);
    }
    return new CycleRecord(n, id, plan, injected, skipped, execution, finalProgress.path("status").asText(), took,
        resumes, breaches);
  }

  /**
   * What a breach leaves to read once everything is stopped: the cycle's history, the cluster as
   * it stands (nodes with their conditions and taints, pods, node leases, events) and the control
   * plane's logs, kwok's included, next to the soak's other logs.
   */
  private void saveEvidence(String id) {
    Path logs = TestPaths.logs();
    temporal.cli().saveHistory(id, logs.resolve(id + "-history.json"));
    try {
      String cluster = String.join("---\n",
          Serialization.asYaml(kube.nodes().list()),
          Serialization.asYaml(kube.pods().inAnyNamespace().list()),
          Serialization.asYaml(kube.leases().inNamespace("kube-node-lease").list()),
          Serialization.asYaml(kube.v1().events().inAnyNamespace().list()));
      Files.writeString(logs.resolve(id + "-cluster.yaml"), cluster);
      control.send("/kube/save-logs", Map.of("to", logs.resolve(id + "-control-plane").toString()));
    } catch (IOException | RuntimeException e) {
      log.warn("could not save the cluster's state after the breach of {}: {}", id, e.toString());
    }
  }

  /**
   * What an operator on call does for a cycle that waits on people once the faults have cleared:
   * approves one that waits for approval (when the plan's approval is not still to come), resumes
   * a hold, and takes back a pause nobody is going to release.
   *
   * @return the signal sent, or null
   */
  private String operatorFollowUp(String id, JsonNode progress, List<PlannedFault> pending) {
    String status = progress.path("status").asText();
    boolean approvalToCome = pending.stream().anyMatch(f -> f.kind() == FaultKind.OPERATOR_APPROVE);
    boolean pauseInForce = active.stream().anyMatch(a -> a.fault().kind() == FaultKind.OPERATOR_PAUSE);
    try {
      if (status.equals("WAITING_FOR_APPROVAL") && !approvalToCome) {
        cycles.signal(id, "approve", "chaos-soak-on-call");
        return "approve";
      }
      boolean held = progress.hasNonNull("hold") && active.isEmpty();
      boolean forgottenPause = progress.hasNonNull("userPause") && !pauseInForce;
      if (held || forgottenPause) {
        log.info("{}: resuming ({})", id, held ? "hold: " + progress.path("hold").path("reason").asText()
            : "pause no one will take back");
        cycles.signal(id, "resume");
        return "resume";
      }
    } catch (RuntimeException e) {
      log.debug("{}: follow-up not sent: {}", id, e.toString());
    }
    return null;
  }

  private void clearAll() {
    for (FaultInjector.Active a : active) {
      try {
        injector.clear(a);
      } catch (RuntimeException | AssertionError e) {
        log.warn("could not clear {}: {}", a.fault(), e.toString());
      }
    }
    active.clear();
    control.send("/gke/clear");
  }

  /** The pool back on its old version (in place), and the cluster quiet before the next cycle. */
  private void setBackAndSettle(String pool) {
    control.send("/gke/clear");
    // another caller's operation may outlast the cycle: the next one would be BLOCKED by it in PREPARE
    control.send("/gke/await-idle", Map.of("seconds", "20"));
    if (!sandbox.status().pools().get(pool).version().equals(invariants.originalVersion())) {
      control.send("/gke/set-version", Map.of("pool", pool, "version", invariants.originalVersion()));
    }
    settled(pool, Duration.ofSeconds(60));
  }

  /**
   * Waits until the temporary pool is gone, no pod is pending and nothing has changed for 1.5 s,
   * and returns that status; after {@code timeout}, returns what there is (the invariants say what is wrong).
   */
  private SandboxStatus settled(String pool, Duration timeout) {
    SandboxStatus[] last = {null};
    long[] sameSince = {System.nanoTime()};
    try {
      return Await.until("the cluster to settle", timeout, Duration.ofMillis(250), () -> {
        SandboxStatus now = sandbox.status();
        boolean quiet = now.pools().keySet().equals(Set.of(pool)) && now.pendingPods() == 0
            && now.podsPerPool().equals(initial.podsPerPool());
        boolean unchanged = last[0] != null && now.podsPerPool().equals(last[0].podsPerPool())
            && now.podStarts().equals(last[0].podStarts()) && now.pools().equals(last[0].pools());
        if (!quiet || !unchanged) {
          sameSince[0] = System.nanoTime();
        }
        last[0] = now;
        return System.nanoTime() - sameSince[0] > Duration.ofMillis(1500).toNanos() ? Optional.of(now) : Optional.empty();
      });
    } catch (AssertionError notSettled) {
      log.warn("the cluster did not settle within {}: {}", timeout, sandbox.status());
      return sandbox.status();
    }
  }

  private static KubernetesClient client(Path kubeconfig) {
    try {
      return new KubernetesClientBuilder()
          .withConfig(Config.fromKubeconfig(null, Files.readString(kubeconfig), kubeconfig.toString())).build();
    } catch (IOException e) {
      throw new UncheckedIOException(e);
    }
  }

  /** Clears what is in force, then stops the worker, the sandbox (and its control plane) and the dev server. */
  @Override
  public synchronized void close() {
    try {
      clearAll();
    } catch (RuntimeException e) {
      log.warn("could not clear the faults: {}", e.toString());
    }
    kube.close();
    cycles.close();
    try {
      worker.close();
    } finally {
      try {
        sandbox.close();
      } finally {
        temporal.close();
      }
    }
  }
}
