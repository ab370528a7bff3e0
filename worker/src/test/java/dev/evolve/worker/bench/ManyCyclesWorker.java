package dev.evolve.worker.bench;

import dev.evolve.worker.EvolveWorker;
import dev.evolve.worker.WorkerCapacity;
import dev.evolve.worker.WorkerSettings;
import dev.evolve.workflows.NodePoolUpgradeWorkflow;
import dev.evolve.workflows.activities.GkeActivities;
import dev.evolve.workflows.activities.KafkaActivities;
import dev.evolve.workflows.activities.KubernetesActivities;
import io.temporal.client.WorkflowClient;
import io.temporal.client.WorkflowClientOptions;
import io.temporal.serviceclient.WorkflowServiceStubs;
import io.temporal.serviceclient.WorkflowServiceStubsOptions;
import io.temporal.worker.Worker;
import io.temporal.worker.WorkerFactory;
import java.io.IOException;
import java.io.PrintStream;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.List;
import java.util.Locale;
import java.util.concurrent.CountDownLatch;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;

/**
 * The worker half of the many-cycles benchmark ({@code scripts/benchmark-many-cycles.sh}): one
 * worker JVM, registered exactly as {@code ./evolve worker} registers itself (the same
 * {@link EvolveWorker#register} with the same {@link WorkerCapacity} read from the same environment
 * variables), but with {@link ClusterPerCycle}'s
 * fast fakes instead of GKE, Kubernetes and Kafka. It watches its own heap and, when stopped
 * (SIGTERM), prints the peak heap, the garbage collections and the settings it ran with, and
 * writes them as {@code name=value} lines to {@code --report} for the script to judge.
 *
 * <p>It lives in the worker module's tests because it measures the worker's own registration and
 * settings, with the workflow tests' ScriptedCluster (the workflows module's test-jar) as the fake.
 *
 * <p>Options: {@code --address host:port} (required), {@code --namespace} (default), {@code --wait-log
 * FILE} (required: the fakes' waits, for the driver), {@code --report FILE}.
 */
public final class ManyCyclesWorker {

  private static final Logger log = LoggerFactory.getLogger(ManyCyclesWorker.class);
  private static final double MB = 1024.0 * 1024.0;

  private ManyCyclesWorker() {}

  public static void main(String[] argv) throws Exception {
    BenchArgs args = new BenchArgs(argv);
    HeapWatch heap = new HeapWatch();
    heap.start();
    SdkCounters counters = new SdkCounters();
    WorkflowServiceStubs service = WorkflowServiceStubs.newServiceStubs(WorkflowServiceStubsOptions.newBuilder()
        .setTarget(args.get("address")).setMetricsScope(counters.scope()).build());
    WorkflowClient client = WorkflowClient.newInstance(service,
        WorkflowClientOptions.newBuilder().setNamespace(args.get("namespace", "default")).build());

    WaitLog waits = WaitLog.create(Path.of(args.get("wait-log")));
    ClusterPerCycle fakes = new ClusterPerCycle(FakeLatency.DEFAULT, waits);
    // the same capacity settings (EVOLVE_WORKFLOW_POLLERS and others) as ./evolve worker reads
    WorkerCapacity capacity = WorkerSettings.fromEnvironment(System.getenv()).capacity();
    WorkerFactory factory = WorkerFactory.newInstance(client, capacity.factoryOptions());
    Worker worker = EvolveWorker.register(factory, NodePoolUpgradeWorkflow.TASK_QUEUE, capacity,
        fakes.activities(GkeActivities.class), fakes.activities(KubernetesActivities.class),
        fakes.activities(KafkaActivities.class));
    factory.start();
    String settings = capacity.describe();
    log.info("polling task queue '{}' at {}; fakes wait: {}", worker.getTaskQueue(), args.get("address"),
        FakeLatency.DEFAULT);
    log.info("capacity: {}", settings);

    CountDownLatch stopped = new CountDownLatch(1);
    Path report = Path.of(args.get("report", "many-cycles-worker.report"));
    Runtime.getRuntime().addShutdownHook(new Thread(() -> {
      factory.shutdown();
      HeapWatch.Figures figures = heap.figures();
      heap.stop();
      try {
        waits.close();
      } catch (IOException e) {
        log.warn("closing the wait log: {}", e.getMessage());
      }
      print(System.out, figures, settings, fakes);
      System.out.println("worker: SDK               " + counters.describe());
      write(report, figures, fakes);
      stopped.countDown();
    }, "report-on-stop"));
    stopped.await();
  }

  private static void print(PrintStream out, HeapWatch.Figures f, String settings, ClusterPerCycle fakes) {
    out.printf(Locale.ROOT, "worker: peak heap used    %.1f MB of %.1f MB max (the highest sample or heap before a"
        + " collection)%n", f.peakUsed() / MB, f.maxHeap() / MB);
    out.printf(Locale.ROOT, "worker: heap after GC     at most %.1f MB (in use just after a collection: an upper"
        + " bound on what the worker holds)%n", f.peakAfterGc() / MB);
    out.printf(Locale.ROOT, "worker: heap committed    at most %.1f MB%n", f.peakCommitted() / MB);
    out.printf(Locale.ROOT, "worker: GC                %d collections, %.1f s in all, longest %d ms%n", f.gcCount(),
        f.gcMillis() / 1000.0, f.longestGcMillis());
    out.printf(Locale.ROOT, "worker: CPU               %.1f s in %.1f s of uptime; threads at most %d%n",
        f.cpuSeconds(), f.uptimeSeconds(), f.peakThreads());
    List<String> violations = fakes.violations();
    out.printf(Locale.ROOT, "worker: fakes             %d cycles, %d activity calls, %d safety violations%n",
        fakes.cycles(), fakes.calls(), violations.size());
    violations.stream().limit(10).forEach(v -> out.println("worker:   violation " + v));
    out.println("worker: capacity          " + settings);
    out.flush();
  }

  private static void write(Path report, HeapWatch.Figures f, ClusterPerCycle fakes) {
    String text = String.join("\n",
        "maxHeapBytes=" + f.maxHeap(),
        "peakUsedBytes=" + f.peakUsed(),
        "peakAfterGcBytes=" + f.peakAfterGc(),
        "gcCount=" + f.gcCount(),
        "gcMillis=" + f.gcMillis(),
        "cycles=" + fakes.cycles(),
        "violations=" + fakes.violations().size()) + "\n";
    try {
      Files.writeString(report, text, StandardCharsets.UTF_8);
    } catch (IOException e) {
      log.warn("cannot write {}: {}", report, e.getMessage());
    }
  }
}
