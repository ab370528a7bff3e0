package dev.evolve.workflows;

import dev.evolve.workflows.model.KafkaRotation;
import dev.evolve.workflows.model.UpgradeRequest;
import io.temporal.api.enums.v1.EventType;
import io.temporal.api.enums.v1.IndexedValueType;
import io.temporal.api.history.v1.HistoryEvent;
import io.temporal.client.WorkflowClient;
import io.temporal.client.WorkflowOptions;
import io.temporal.client.WorkflowStub;
import io.temporal.testing.TestWorkflowEnvironment;
import io.temporal.worker.Worker;
import java.util.ArrayDeque;
import java.util.Deque;
import java.util.List;
import java.util.Locale;

/**
 * A benchmark, not a test: how many history events one full cycle writes, for several cluster
 * sizes, with short and with long waits. Long waits mean long settle timers and GKE operations
 * that are polled hundreds of times inside their activity (heartbeats, which are not events).
 * The count must not depend on wait length, must stay under 1,000 for 50 workloads and 6 brokers,
 * and no single workflow run may reach 2,000 events for 1,000 workloads (Temporal warns at 10,240
 * events and terminates at 51,200; a long history also makes every replay slower).
 *
 * <p>A cycle may be more than one run: the cycle's own run and the child workflows it starts (its
 * pool's lock, and the batches of moves of a large cycle). "cycle" is the cycle's own run,
 * "largest" the largest single history among them all, "total" the sum over all of them.
 *
 * <p>Two runs of the same cycle may differ by a few events whatever the waits: moves side by side
 * finish in one workflow task or in several depending on how the machine schedules them (and a
 * batch reports to its cycle when another tenth of its moves is done, so coinciding ends mean
 * fewer reports). "same?" therefore allows 2% (at least 10 events); a count that grew with wait
 * length would grow by hundreds or thousands (a timer or a poll per wait).
 *
 * <p>Run: {@code scripts/benchmark-history.sh}
 */
public final class HistoryEventsBenchmark {

  /** The limit per workflow run that 1,000 workloads must stay under. */
  static final int EVENTS_PER_RUN_LIMIT = 2_000;

  record Case(int workloads, int brokers, int statefulSets) {}

  /** Events of one cycle: how many runs it took, its own run, the largest run, and all of them together. */
  record Events(int runs, long cycle, long largest, long total) {

    boolean sameAs(Events other) {
      return runs == other.runs && close(cycle, other.cycle) && close(largest, other.largest)
          && close(total, other.total);
    }

    private static boolean close(long a, long b) {
      return Math.abs(a - b) <= Math.max(10, Math.max(a, b) / 50);
    }
  }

  public static void main(String[] args) {
    List<Case> cases = List.of(new Case(5, 3, 0), new Case(50, 3, 0), new Case(200, 3, 0), new Case(50, 6, 0),
        new Case(1000, 3, 1));
    boolean ok = true;
    System.out.println("                                     ----- short waits (5 s) -----  ----- long waits (1 h) ------");
    System.out.println("workloads  brokers  statefulsets  runs  cycle  largest run   total  cycle  largest run   total  same?");
    for (Case c : cases) {
      Events shortWaits = events(c, 5, 1);
      Events longWaits = events(c, 3600, 300);
      boolean same = shortWaits.sameAs(longWaits);
      ok &= same;
      System.out.printf(Locale.ROOT, "%9d  %7d  %12d  %4d  %5d  %11d  %6d  %5d  %11d  %6d  %s%n", c.workloads(),
          c.brokers(), c.statefulSets(), longWaits.runs(), shortWaits.cycle(), shortWaits.largest(), shortWaits.total(),
          longWaits.cycle(), longWaits.largest(), longWaits.total(), same ? "yes" : "NO");
      if (c.workloads() == 50 && c.brokers() == 6) {
        boolean under = Math.max(shortWaits.cycle(), longWaits.cycle()) < 1000;
        ok &= under;
        System.out.println("  50 workloads + 6 brokers under 1,000 events: " + (under ? "yes" : "NO"));
      }
      if (c.workloads() == 1000) {
        boolean under = Math.max(shortWaits.largest(), longWaits.largest()) < EVENTS_PER_RUN_LIMIT;
        ok &= under;
        System.out.println("  1,000 workloads under 2,000 events per run: " + (under ? "yes" : "NO"));
      }
    }
    System.out.println(ok ? "history size per run bounded and independent of wait length: PASS" : "FAIL");
    System.exit(ok ? 0 : 1);
  }

  private static Events events(Case c, long settleSeconds, int heartbeatsPerWait) {
    TestWorkflowEnvironment env = TestWorkflowEnvironment.newInstance();
    try {
      CycleSearchAttributes.ALL.forEach(key ->
          env.registerSearchAttribute(key.getName(), IndexedValueType.INDEXED_VALUE_TYPE_KEYWORD));
      Worker worker = env.newWorker(NodePoolUpgradeWorkflow.TASK_QUEUE);
      worker.registerWorkflowImplementationTypes(CycleTestExtension.WORKFLOWS);
      ScriptedCluster cluster = new ScriptedCluster().heartbeatsPerWait(heartbeatsPerWait);
      for (int i = 0; i < c.workloads(); i++) {
        cluster.deployment("apps", "service-" + i, 2);
      }
      for (int i = 0; i < c.statefulSets(); i++) {
        cluster.statefulSet("data", "db-" + i, 3);
      }
      cluster.statefulSet("kafka", "kafka", c.brokers());
      worker.registerActivitiesImplementations(cluster);
      env.start();

      UpgradeRequest request = UpgradeRequest.builder("p", "europe-west1", "prod", ScriptedCluster.POOL,
          ScriptedCluster.CONTROL_PLANE).kafka(new KafkaRotation("kafka", "kafka", null, 0, settleSeconds, 600L)).build();
      WorkflowClient client = env.getWorkflowClient();
      NodePoolUpgradeWorkflow workflow = client.newWorkflowStub(NodePoolUpgradeWorkflow.class,
          WorkflowOptions.newBuilder().setTaskQueue(NodePoolUpgradeWorkflow.TASK_QUEUE).setWorkflowId("bench").build());
      WorkflowClient.start(workflow::run, request);
      WorkflowStub.fromTyped(workflow).getResult(Object.class);
      return runsFrom(client, "bench");
    } finally {
      env.close();
    }
  }

  /** The cycle's run and every child workflow it (or a child of it) started, found in the histories. */
  private static Events runsFrom(WorkflowClient client, String workflowId) {
    Deque<String> toRead = new ArrayDeque<>(List.of(workflowId));
    int runs = 0;
    long cycle = 0;
    long largest = 0;
    long total = 0;
    while (!toRead.isEmpty()) {
      List<HistoryEvent> events = client.fetchHistory(toRead.poll()).getEvents();
      if (runs == 0) {
        cycle = events.size();
      }
      runs++;
      largest = Math.max(largest, events.size());
      total += events.size();
      for (HistoryEvent event : events) {
        if (event.getEventType() == EventType.EVENT_TYPE_START_CHILD_WORKFLOW_EXECUTION_INITIATED) {
          toRead.add(event.getStartChildWorkflowExecutionInitiatedEventAttributes().getWorkflowId());
        }
      }
    }
    return new Events(runs, cycle, largest, total);
  }
}
