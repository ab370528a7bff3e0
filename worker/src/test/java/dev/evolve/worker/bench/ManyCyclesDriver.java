package dev.evolve.worker.bench;

import com.google.protobuf.Timestamp;
import dev.evolve.workflows.NodePoolUpgradeWorkflow;
import dev.evolve.workflows.ScriptedCluster;
import dev.evolve.workflows.model.CycleStatus;
import dev.evolve.workflows.model.KafkaRotation;
import dev.evolve.workflows.model.PoolKey;
import dev.evolve.workflows.model.UpgradeRequest;
import dev.evolve.workflows.model.UpgradeResult;
import io.temporal.api.common.v1.WorkflowExecution;
import io.temporal.api.workflow.v1.WorkflowExecutionInfo;
import io.temporal.api.workflowservice.v1.DescribeWorkflowExecutionRequest;
import io.temporal.client.WorkflowClient;
import io.temporal.client.WorkflowClientOptions;
import io.temporal.client.WorkflowOptions;
import io.temporal.client.WorkflowStub;
import io.temporal.serviceclient.WorkflowServiceStubs;
import io.temporal.serviceclient.WorkflowServiceStubsOptions;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.List;
import java.util.Locale;
import java.util.Map;
import java.util.concurrent.CompletableFuture;
import java.util.concurrent.ExecutorService;
import java.util.concurrent.Executors;
import java.util.concurrent.TimeUnit;
import java.util.concurrent.TimeoutException;

/**
 * The driver half of the many-cycles benchmark ({@code scripts/benchmark-many-cycles.sh}): starts N
 * cycles at once through a WorkflowClient, each on a pool of its own (cluster {@code cluster-NNN},
 * pool default-pool, its three Kafka brokers behind the gates, no settle timer), waits for all of
 * them, and prints how many completed and how long they took.
 *
 * <p>A cycle's <b>overhead</b> is its wall time as Temporal recorded it (close minus start) minus
 * the union of its fake activities' deliberate waits ({@link FakeLatency}, read from the worker's
 * {@link WaitLog}); {@link CycleReport} says how it is split.
 *
 * <p>Options: {@code --address host:port} (required), {@code --wait-log FILE} (required),
 * {@code --cycles N} (200), {@code --timeout-seconds S} (900), {@code --namespace} (default),
 * {@code --report FILE} (the summary as {@code name=value} lines, for the script).
 * Exits 0 when every cycle ended SUCCEEDED, 1 otherwise.
 */
public final class ManyCyclesDriver {

  private ManyCyclesDriver() {}

  /** One cycle the driver started, and how it ended. */
  record Cycle(String id, CompletableFuture<UpgradeResult> result) {}

  public static void main(String[] argv) throws Exception {
    BenchArgs args = new BenchArgs(argv);
    int n = args.getInt("cycles", 200);
    int timeoutSeconds = args.getInt("timeout-seconds", 900);
    String namespace = args.get("namespace", "default");
    WorkflowServiceStubs service = WorkflowServiceStubs.newServiceStubs(
        WorkflowServiceStubsOptions.newBuilder().setTarget(args.get("address")).build());
    WorkflowClient client = WorkflowClient.newInstance(service,
        WorkflowClientOptions.newBuilder().setNamespace(namespace).build());

    long startedAt = System.nanoTime();
    List<Cycle> cycles = startAll(client, n);
    double startSeconds = (System.nanoTime() - startedAt) / 1e9;
    System.out.printf(Locale.ROOT, "driver: %d cycles started in %.1f s (clusters cluster-000.., pool %s, 3 Deployments,"
        + " a Job, 3 Kafka brokers each)%n", n, startSeconds, ScriptedCluster.POOL);

    try {
      CompletableFuture.allOf(cycles.stream().map(Cycle::result).toArray(CompletableFuture[]::new))
          .get(timeoutSeconds, TimeUnit.SECONDS);
    } catch (TimeoutException e) {
      System.out.printf("driver: not all cycles ended within %d s%n", timeoutSeconds);
    } catch (java.util.concurrent.ExecutionException e) {
      // some cycle failed: counted below, one by one
    }
    boolean ok = report(client, namespace, cycles, n, Path.of(args.get("wait-log")), Path.of(args.get("report",
        "many-cycles-driver.report")));
    service.shutdown();
    System.exit(ok ? 0 : 1);
  }

  private static List<Cycle> startAll(WorkflowClient client, int n) throws InterruptedException {
    List<Cycle> cycles = new ArrayList<>();
    // a few threads so that all N are under way within a second, not one RPC after the other
    ExecutorService starters = Executors.newFixedThreadPool(8);
    List<CompletableFuture<Cycle>> started = new ArrayList<>();
    for (int i = 0; i < n; i++) {
      UpgradeRequest request = request(i);
      started.add(CompletableFuture.supplyAsync(() -> start(client, request), starters));
    }
    for (CompletableFuture<Cycle> cycle : started) {
      cycles.add(cycle.join());
    }
    starters.shutdown();
    starters.awaitTermination(10, TimeUnit.SECONDS);
    return cycles;
  }

  static UpgradeRequest request(int i) {
    return UpgradeRequest.builder("bench", "europe-west1", String.format(Locale.ROOT, "cluster-%03d", i),
            ScriptedCluster.POOL, ScriptedCluster.CONTROL_PLANE)
        // the brokers' gates run, but no settle timer: a timer would only add its own length
        .kafka(new KafkaRotation("kafka", "kafka", null, 0, 0L, 600L))
        .build();
  }

  private static Cycle start(WorkflowClient client, UpgradeRequest request) {
    String id = PoolKey.of(request).cycleId();
    NodePoolUpgradeWorkflow workflow = client.newWorkflowStub(NodePoolUpgradeWorkflow.class,
        WorkflowOptions.newBuilder().setTaskQueue(NodePoolUpgradeWorkflow.TASK_QUEUE).setWorkflowId(id).build());
    WorkflowClient.start(workflow::run, request);
    return new Cycle(id, WorkflowStub.fromTyped(workflow).getResultAsync(UpgradeResult.class));
  }

  private static boolean report(WorkflowClient client, String namespace, List<Cycle> cycles, int n, Path waitLog,
      Path reportFile) throws java.io.IOException {
    Map<String, List<WaitLog.Wait>> waits = WaitLog.read(waitLog);
    CycleReport report = new CycleReport();
    List<String> failures = new ArrayList<>();
    int unfinished = 0;
    for (Cycle cycle : cycles) {
      if (!cycle.result().isDone()) {
        unfinished++;
        failures.add(cycle.id() + ": still running");
        continue;
      }
      UpgradeResult result;
      try {
        result = cycle.result().join();
      } catch (RuntimeException e) {
        failures.add(cycle.id() + ": " + rootMessage(e));
        continue;
      }
      if (result.status() != CycleStatus.SUCCEEDED) {
        failures.add(cycle.id() + ": ended " + result.status());
        continue;
      }
      WorkflowExecutionInfo info = describe(client, namespace, cycle.id());
      long takenUp = report.tasks().add(client.fetchHistory(cycle.id()).getEvents());
      report.add(new CycleReport.Cycle(cycle.id(), micros(info.getStartTime()), takenUp, micros(info.getCloseTime()),
          waits.getOrDefault(cycle.id(), List.of())));
    }

    int completed = report.completed();
    System.out.printf(Locale.ROOT, "completed      %d of %d SUCCEEDED, %d failed, %d unfinished%n", completed, n,
        n - completed - unfinished, unfinished);
    failures.stream().limit(10).forEach(f -> System.out.println("  " + f));
    report.print();
    Distribution overhead = report.overhead();
    Files.writeString(reportFile, "completed=" + completed + "\ncycles=" + n
        + "\noverheadP50Micros=" + overhead.percentile(50) + "\noverheadP99Micros=" + overhead.percentile(99) + "\n");
    return completed == n;
  }

  private static WorkflowExecutionInfo describe(WorkflowClient client, String namespace, String id) {
    return client.getWorkflowServiceStubs().blockingStub().describeWorkflowExecution(
        DescribeWorkflowExecutionRequest.newBuilder().setNamespace(namespace)
            .setExecution(WorkflowExecution.newBuilder().setWorkflowId(id)).build())
        .getWorkflowExecutionInfo();
  }

  private static Distribution of(List<Long> values) {
    return new Distribution(values.stream().mapToLong(Long::longValue).toArray());
  }

  private static long micros(Timestamp t) {
    return t.getSeconds() * 1_000_000L + t.getNanos() / 1000;
  }

  private static String rootMessage(Throwable e) {
    Throwable cause = e;
    while (cause.getCause() != null) {
      cause = cause.getCause();
    }
    return cause.getMessage();
  }
}
