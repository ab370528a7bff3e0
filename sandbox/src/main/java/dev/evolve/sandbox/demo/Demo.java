package dev.evolve.sandbox.demo;

import com.google.cloud.container.v1.ClusterManagerClient;
import dev.evolve.activities.gke.GkeActivitiesImpl;
import dev.evolve.activities.gke.KubernetesPoolNodes;
import dev.evolve.activities.gke.GkeClients;
import dev.evolve.activities.kube.KubeClients;
import dev.evolve.activities.kube.KubernetesActivitiesImpl;
import dev.evolve.activities.kafka.KafkaActivitiesImpl;
import dev.evolve.activities.kafka.KafkaClientConfig;
import dev.evolve.sandbox.PodStart;
import dev.evolve.sandbox.Sandbox;
import dev.evolve.sandbox.SandboxStatus;
import dev.evolve.sandbox.kafka.KafkaLoad;
import dev.evolve.sandbox.kafka.KafkaReport;
import dev.evolve.sandbox.observe.Objects;
import dev.evolve.worker.EvolveWorker;
import dev.evolve.workflows.NodePoolUpgradeWorkflow;
import dev.evolve.workflows.model.CycleStatus;
import dev.evolve.workflows.model.Phase;
import dev.evolve.workflows.model.PhaseProgress;
import dev.evolve.workflows.model.Progress;
import dev.evolve.workflows.model.UpgradeRequest;
import dev.evolve.workflows.model.UpgradeResult;
import io.fabric8.kubernetes.api.model.Pod;
import io.fabric8.kubernetes.client.KubernetesClient;
import io.temporal.client.WorkflowClient;
import io.temporal.client.WorkflowOptions;
import io.temporal.client.WorkflowStub;
import io.temporal.failure.ApplicationFailure;
import java.io.IOException;
import java.io.PrintStream;
import java.io.UncheckedIOException;
import java.time.Duration;
import java.util.ArrayList;
import java.util.HashSet;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.Properties;
import java.util.Set;
import java.util.concurrent.CompletableFuture;
import java.util.concurrent.ExecutionException;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;

/**
 * One evolutionary backup cycle on the sandbox, start to finish: the real Kubernetes control plane and the
 * fake GKE, Temporal (in-process unless a server is given), a worker registered exactly as
 * {@code ./evolve worker} registers it, the cycle started as the starter starts it, live
 * progress while it runs, and a report of what happened. {@code ./evolve demo} prints the
 * report; the end-to-end tests assert on it.
 */
public final class Demo {

  private static final Logger log = LoggerFactory.getLogger(Demo.class);

  private final DemoOptions options;
  private final Sandbox sandbox;
  private final TemporalBackend temporal;
  private final PrintStream out;
  private final EnterKey enter;
  private final String pool;
  private final String tempPool;
  private long startedAt;

  private Demo(DemoOptions options, Sandbox sandbox, TemporalBackend temporal, PrintStream out) {
    this.options = options;
    this.sandbox = sandbox;
    this.temporal = temporal;
    this.out = out;
    this.enter = options.enter() == null ? EnterKey.none() : EnterKey.listen(options.enter());
    this.pool = sandbox.poolToUpgrade();
    this.tempPool = sandbox.request(options.policy(), 0).tempPoolName();
  }

  /** Runs the whole demo; everything it started is stopped when it returns. */
  public static DemoReport run(DemoOptions options, PrintStream out) {
    return run(options, out, (sandbox, report) -> { });
  }

  /**
   * Runs the whole demo, then {@code afterCycle} on the same sandbox before it is stopped: the
   * benchmarks measure other ways of emptying the pool on the very cluster the cycle ran on.
   */
  public static DemoReport run(DemoOptions options, PrintStream out,
      java.util.function.BiConsumer<Sandbox, DemoReport> afterCycle) {
    try (Sandbox sandbox = Sandbox.start(options.scenario(), options.sandbox());
         ClusterManagerClient gkeClient = GkeClients.create(sandbox.gke().endpoint());
         KubernetesClient kubeClient = KubeClients.withoutClientRetries(sandbox.cluster().config());
         TemporalBackend temporal = options.temporalAddress() == null ? TemporalBackend.inProcess()
             : TemporalBackend.remote(options.temporalAddress(), options.namespace())) {
      DemoReport report = new Demo(options, sandbox, temporal, out).cycle(gkeClient, kubeClient);
      afterCycle.accept(sandbox, report);
      return report;
    } catch (IOException e) {
      throw new UncheckedIOException("cannot connect to the fake GKE: " + e.getMessage(), e);
    }
  }

  private DemoReport cycle(ClusterManagerClient gkeClient, KubernetesClient kubeClient) {
    long waitingSince = System.currentTimeMillis();
    awaitEveryPodReady();
    log.info("every workload pod Ready after {} ms; {}", System.currentTimeMillis() - waitingSince,
        temporal.description());
    // The producer runs from before the cycle starts until every pod is back and Ready after it.
    KafkaLoad load = startLoad();
    try {
      return cycle(gkeClient, kubeClient, load);
    } finally {
      if (load != null) {
        load.close();
      }
    }
  }

  private KafkaLoad startLoad() {
    if (sandbox.cluster().kafka().isEmpty()) {
      return null;
    }
    try {
      return KafkaLoad.start(sandbox.cluster().kafka().get());
    } catch (Exception e) {
      throw new IllegalStateException("cannot start the Kafka load: " + e.getMessage(), e);
    }
  }

  private DemoReport cycle(ClusterManagerClient gkeClient, KubernetesClient kubeClient, KafkaLoad load) {
    SandboxStatus before = SandboxStatus.of(sandbox);
    out.printf("sandbox: %s%n", sandbox.cluster().description());
    out.printf("sandbox: cluster %s, pool %s at %s with %s; %s%n", sandbox.scenario().cluster().name(), pool,
        before.pools().get(pool).version(), LiveProgress.pods(before, pool), temporal.description());

    FailureInjection injection = options.failAt() == null ? FailureInjection.none()
        : FailureInjection.at(options.failAt(), sandbox.gke());
    if (options.failAt() != null) {
      out.println("--fail-at " + options.failAt() + ": " + injection.description());
    }
    // The same registration as ./evolve worker, on the same implementations; only the clients
    // point at the sandbox, and the poll intervals suit it.
    EvolveWorker.register(temporal.workers(), temporal.taskQueue(),
        new GkeActivitiesImpl(gkeClient, options.pace().activityPoll(), new KubernetesPoolNodes(kubeClient)),
        injection.wrap(new KubernetesActivitiesImpl(kubeClient, options.pace().activityPoll(), Duration.ofSeconds(30))),
        new KafkaActivitiesImpl(new KafkaClientConfig(null, new Properties()),
            max(options.pace().activityPoll(), Duration.ofMillis(250))));
    temporal.workers().start();

    UpgradeRequest request = sandbox.request(options.policy(), options.pace().settleSeconds());
    NodePoolUpgradeWorkflow workflow = temporal.client().newWorkflowStub(NodePoolUpgradeWorkflow.class,
        WorkflowOptions.newBuilder().setTaskQueue(temporal.taskQueue())
            .setWorkflowId("evolve-demo-" + request.cluster() + "-" + pool + "-" + System.currentTimeMillis())
            .build());
    Set<String> podsBefore = podStartUids();
    startedAt = System.currentTimeMillis();
    WorkflowClient.start(workflow::run, request);
    WorkflowStub stub = WorkflowStub.fromTyped(workflow);
    out.printf("started workflow %s (type %s, task queue %s)%n", stub.getExecution().getWorkflowId(),
        NodePoolUpgradeWorkflow.TYPE, temporal.taskQueue());

    Watch watch = watch(workflow, stub.getResultAsync(UpgradeResult.class));
    long totalMillis = System.currentTimeMillis() - startedAt;
    if (watch.heldReason != null) {
      // The demo's sandbox dies with this process: a hold for a human cannot be answered here.
      stub.terminate("the demo ends here: held for a human: " + watch.heldReason);
    }
    Outcome outcome = outcome(watch);
    Progress last = finalProgress(workflow, watch.last);
    awaitEveryPodReady();
    KafkaReport kafka = load == null ? null : finish(load);
    return report(request, outcome, last, watch, injection, podsBefore, totalMillis, kafka);
  }

  /** Stops producing and gives the consumer time to read back everything acknowledged. */
  private KafkaReport finish(KafkaLoad load) {
    try {
      return load.finish(Duration.ofSeconds(60), sandbox.cluster().brokerEvents());
    } catch (InterruptedException e) {
      Thread.currentThread().interrupt();
      throw new IllegalStateException("interrupted while reading back the Kafka load", e);
    }
  }

  private static Duration max(Duration a, Duration b) {
    return a.compareTo(b) >= 0 ? a : b;
  }

  /** What the demo saw while the cycle ran. */
  private static final class Watch {
    final CompletableFuture<UpgradeResult> result;
    Progress last;
    String heldReason;
    int peakTempNodes;
    DemoReport.PauseCheck pause;

    Watch(CompletableFuture<UpgradeResult> result) {
      this.result = result;
    }
  }

  private Watch watch(NodePoolUpgradeWorkflow workflow, CompletableFuture<UpgradeResult> result) {
    Watch watch = new Watch(result);
    String lastLine = null;
    boolean pauseSent = false;
    while (!result.isDone()) {
      Progress progress = query(workflow);
      if (progress != null) {
        watch.last = progress;
      }
      SandboxStatus cluster = SandboxStatus.of(sandbox);
      SandboxStatus.PoolStatus temp = cluster.pools().get(tempPool);
      watch.peakTempNodes = Math.max(watch.peakTempNodes, temp == null ? 0 : temp.nodes());
      String line = LiveProgress.line(watch.last, cluster, pool, tempPool, System.currentTimeMillis());
      if (!line.equals(lastLine)) {
        out.printf("[%6.1fs] %s%n", (System.currentTimeMillis() - startedAt) / 1000.0, line);
        lastLine = line;
      }
      if (progress != null && options.pauseAt() != null && !pauseSent && progress.phase() == options.pauseAt()) {
        pauseSent = true;
        watch.pause = pauseAndResume(workflow, result);
      }
      if (progress != null && progress.status() == CycleStatus.HELD_FOR_HUMAN) {
        watch.heldReason = progress.pauseReason();
        out.println("held for a human: " + progress.pauseReason());
        break;
      }
      sleep(options.pace().progressPoll());
    }
    return watch;
  }

  /**
   * Sends the pause signal, waits for the cycle to reach a safe point, then watches the cluster
   * for the pause's length (or until Enter): no pod may start, none may change pools, the phase
   * may not advance. Then resumes.
   */
  private DemoReport.PauseCheck pauseAndResume(NodePoolUpgradeWorkflow workflow,
      CompletableFuture<UpgradeResult> result) {
    String reason = "--pause-at " + options.pauseAt();
    out.println("pausing (" + reason + "): the cycle holds at its next safe point, never in the middle of a move");
    workflow.pause(reason);
    Progress paused = null;
    while (!result.isDone()) {
      Progress progress = query(workflow);
      if (progress != null && progress.status() == CycleStatus.PAUSED) {
        paused = progress;
        break;
      }
      sleep(options.pace().progressPoll());
    }
    if (paused == null) {
      return new DemoReport.PauseCheck(null, reason, 0, 0, false, false, false);
    }
    long heldFrom = System.currentTimeMillis();
    Set<String> startsBefore = podStartUids();
    Map<String, Integer> podsBefore = SandboxStatus.of(sandbox).podsPerPool();
    out.printf("paused in %s (%s): nothing should move for %ds; Enter resumes now%n", paused.phase(),
        paused.pauseReason(), options.pauseFor().toSeconds());
    enter.clear();
    boolean byEnter = false;
    long endAt = heldFrom + options.pauseFor().toMillis();
    while (System.currentTimeMillis() < endAt) {
      long left = endAt - System.currentTimeMillis();
      if (enter.pressedWithin(Duration.ofMillis(Math.min(1000, left)))) {
        byEnter = true;
        break;
      }
      int started = podStartUids().size() - startsBefore.size();
      SandboxStatus now = SandboxStatus.of(sandbox);
      out.printf("  paused: resuming in %ds; %d pod starts, %s, %s%n",
          Math.max(0, (endAt - System.currentTimeMillis() + 999) / 1000), started,
          LiveProgress.pods(now, pool), LiveProgress.pods(now, tempPool));
    }
    Progress after = query(workflow);
    Set<String> startsDuring = podStartUids();
    startsDuring.removeAll(startsBefore);
    boolean podsUnchanged = podsBefore.equals(SandboxStatus.of(sandbox).podsPerPool());
    boolean phaseUnchanged = after != null && after.phase() == paused.phase() && after.status() == CycleStatus.PAUSED
        && doneIn(after) == doneIn(paused);
    long held = System.currentTimeMillis() - heldFrom;
    workflow.resume();
    out.printf("resumed after %s: %d pod starts while paused, phase %s, pods per pool %s%n",
        Summary.seconds(held), startsDuring.size(), phaseUnchanged ? "unchanged" : "CHANGED",
        podsUnchanged ? "unchanged" : "CHANGED");
    return new DemoReport.PauseCheck(paused.phase(), reason, held, startsDuring.size(), phaseUnchanged,
        podsUnchanged, byEnter);
  }

  private static int doneIn(Progress progress) {
    PhaseProgress phase = progress.phases().get(progress.phase());
    return phase == null ? 0 : phase.done();
  }

  /** The workflow's result, or its failure in words. */
  private record Outcome(UpgradeResult result, String failure) {}

  private static Outcome outcome(Watch watch) {
    try {
      return new Outcome(watch.result.get(), null);
    } catch (ExecutionException e) {
      return new Outcome(null, describe(e.getCause()));
    } catch (InterruptedException e) {
      Thread.currentThread().interrupt();
      return new Outcome(null, "interrupted");
    }
  }

  /** The innermost application failure's message: the one a person can act on. */
  private static String describe(Throwable failure) {
    String message = failure.getMessage();
    for (Throwable t = failure; t != null; t = t.getCause()) {
      if (t instanceof ApplicationFailure app) {
        return app.getOriginalMessage();
      }
      message = t.getMessage();
    }
    return message;
  }

  private Progress finalProgress(NodePoolUpgradeWorkflow workflow, Progress last) {
    Progress progress = query(workflow);
    return progress != null ? progress : last;
  }

  private DemoReport report(UpgradeRequest request, Outcome outcome, Progress last, Watch watch,
      FailureInjection injection, Set<String> podsBefore, long totalMillis, KafkaReport kafka) {
    SandboxStatus end = SandboxStatus.of(sandbox);
    CycleStatus status = outcome.result() != null ? outcome.result().status() : failedStatus(last, watch);
    List<DemoReport.PhaseTime> phases = new ArrayList<>();
    if (last != null && last.phases() != null) {
      last.phases().forEach((phase, p) -> {
        if (phase != Phase.DONE && p.startedAtMillis() != null) {
          phases.add(new DemoReport.PhaseTime(phase, durationOf(p, totalMillis), p.done(), p.total()));
        }
      });
    }
    var plan = last == null ? null : last.plan();
    Map<String, PodStart> startsDuring = new LinkedHashMap<>();
    sandbox.cluster().podStartLog().stream()
        .filter(s -> !podsBefore.contains(s.uid()) && !s.workload().contains("/DaemonSet/"))
        .forEach(s -> startsDuring.putIfAbsent(s.uid(), s));
    startsDuring.values().forEach(s -> log.info("pod start during the cycle: {}", s));
    // Counted from the cluster, not from the progress query: a broker moved just before a phase
    // ends would slip between two queries.
    String brokers = request.kafka() == null ? null
        : request.kafka().namespace() + "/StatefulSet/" + request.kafka().statefulSet();
    int brokerStarts = (int) startsDuring.values().stream().filter(s -> s.workload().equals(brokers)).count();
    String compensation = null;
    if (last != null && last.phases() != null && last.phases().containsKey(Phase.COMPENSATE)) {
      compensation = "ran for " + Summary.seconds(durationOf(last.phases().get(Phase.COMPENSATE), totalMillis))
          + ": workloads now " + end.podsPerPool() + "; " + last.step();
    }
    // After the upgrade a failure no longer fails the cycle: it finishes forward and the result's
    // notes say what failed ("RESTORE failed after ... was upgraded: ...").
    String failure = outcome.failure() != null || outcome.result() == null ? outcome.failure()
        : outcome.result().notes().stream().filter(n -> n.contains("--fail-at")).findFirst().orElse(null);
    DemoReport.Injected injected = injection.phase() == null ? null : new DemoReport.Injected(injection.phase(),
        injection.description(), failure != null && failure.contains("--fail-at")
            && namesPhase(failure, injection.phase()));
    return new DemoReport(request.cluster(), pool, tempPool,
        sandbox.scenario().pools().get(0).version(), request.targetVersion(), temporal.description(), status,
        watch.heldReason != null ? "held for a human: " + watch.heldReason : failure, phases, totalMillis,
        plan == null ? 0 : plan.originalNodes(),
        plan == null || plan.tempPool() == null ? 0 : plan.tempPool().totalNodes(), watch.peakTempNodes,
        outcome.result() == null ? -1 : outcome.result().podsMoved(), startsDuring.size(), brokerStarts,
        end.disruptions(),
        sandbox.cluster().podsLostWithNodes(), end.pools(), end.podsPerPool(), podsNotReady(),
        tempPoolOutcome(outcome, end, watch), injected, compensation, watch.pause, kafka, plan,
        outcome.result() == null ? List.of() : outcome.result().notes());
  }

  /** A rolled-back cycle ends in ROLLED_BACK; one that failed before changing anything says FAILED. */
  private static CycleStatus failedStatus(Progress last, Watch watch) {
    if (watch.heldReason != null) {
      return CycleStatus.HELD_FOR_HUMAN;
    }
    if (last != null && (last.status() == CycleStatus.ROLLED_BACK || last.status() == CycleStatus.BLOCKED
        || last.status() == CycleStatus.CANCELLED)) {
      return last.status();
    }
    return CycleStatus.FAILED;
  }

  /** The workflow's failure names its phase first ("MIGRATE failed ..."), except in PREPARE. */
  private static boolean namesPhase(String failure, Phase phase) {
    return phase == Phase.PREPARE || failure.startsWith(phase + " failed");
  }

  /** A phase still running when the cycle ended counts until the end. */
  private long durationOf(PhaseProgress phase, long totalMillis) {
    long until = phase.finishedAtMillis() != null ? phase.finishedAtMillis() : startedAt + totalMillis;
    return until - phase.startedAtMillis();
  }

  private String tempPoolOutcome(Outcome outcome, SandboxStatus end, Watch watch) {
    SandboxStatus.PoolStatus temp = end.pools().get(tempPool);
    if (outcome.result() != null) {
      return outcome.result().tempPool() + (temp == null ? "" : " (" + temp.nodes() + " nodes, " + temp.status() + ")");
    }
    if (temp != null) {
      return "STILL THERE: " + temp.nodes() + " nodes, " + temp.status();
    }
    return watch.peakTempNodes > 0 ? "DELETED by the rollback" : "NOT_CREATED";
  }

  private int podsNotReady() {
    return (int) workloadPods().stream().filter(p -> p.getSpec().getNodeName() == null || !Objects.isReady(p))
        .count();
  }

  /** Pods that run or are about to: not DaemonSet pods, not pods stopping or finished. */
  private List<Pod> workloadPods() {
    return sandbox.cluster().client().pods().inAnyNamespace().list().getItems().stream()
        .filter(p -> Objects.isActive(p) && !Objects.isDaemonSetPod(p)).toList();
  }

  /**
   * Waits until every pod the scenario's Deployments and StatefulSets ask for exists, runs and is
   * Ready: before the cycle (a plan made while pods still start would be blocked by them) and after.
   */
  private void awaitEveryPodReady() {
    int expected = sandbox.scenario().workloads().stream()
        .filter(w -> w.kind().equals("Deployment") || w.kind().equals("StatefulSet"))
        .mapToInt(w -> w.replicas() == null ? 1 : w.replicas()).sum();
    long deadline = System.currentTimeMillis() + options.pace().clusterReadyLimit().toMillis();
    while (System.currentTimeMillis() < deadline) {
      if (workloadPods().size() >= expected && podsNotReady() == 0) {
        return;
      }
      sleep(options.pace().progressPoll());
    }
    log.warn("not every workload pod is Ready after {}", options.pace().clusterReadyLimit());
  }

  private Set<String> podStartUids() {
    Set<String> uids = new HashSet<>();
    for (PodStart start : sandbox.cluster().podStartLog()) {
      if (!start.workload().contains("/DaemonSet/")) {
        uids.add(start.uid());
      }
    }
    return uids;
  }

  /** The progress query, or null when it cannot be answered right now (e.g. the workflow just closed). */
  private static Progress query(NodePoolUpgradeWorkflow workflow) {
    try {
      return workflow.progress();
    } catch (RuntimeException e) {
      log.debug("progress query not answered: {}", e.toString());
      return null;
    }
  }

  private static void sleep(Duration duration) {
    try {
      Thread.sleep(duration.toMillis());
    } catch (InterruptedException e) {
      Thread.currentThread().interrupt();
      throw new IllegalStateException("interrupted", e);
    }
  }
}
