package dev.evolve.workflows;

import dev.evolve.workflows.model.KafkaRotation;
import dev.evolve.workflows.model.UpgradeRequest;
import io.temporal.api.enums.v1.IndexedValueType;
import io.temporal.client.WorkflowClient;
import io.temporal.client.WorkflowOptions;
import io.temporal.client.WorkflowStub;
import io.temporal.testing.TestWorkflowEnvironment;
import io.temporal.worker.Worker;
import java.util.List;
import java.util.Locale;

/**
 * A benchmark, not a test: how many history events one full cycle writes, for several cluster
 * sizes, with short and with long waits. Long waits mean long settle timers and GKE operations
 * that are polled hundreds of times inside their activity (heartbeats, which are not events).
 * The count must not depend on wait length, and must stay under 1,000 for 50 workloads and 6
 * brokers (Temporal warns at 10,240 events and terminates at 51,200).
 *
 * <p>Run: {@code scripts/benchmark-history.sh}
 */
public final class HistoryEventsBenchmark {

  record Case(int workloads, int brokers) {}

  public static void main(String[] args) {
    List<Case> cases = List.of(new Case(5, 3), new Case(50, 3), new Case(200, 3), new Case(50, 6));
    boolean ok = true;
    System.out.println("workloads  brokers  events(short waits)  events(long waits)  same?");
    for (Case c : cases) {
      long shortWaits = events(c, 5, 1);
      long longWaits = events(c, 3600, 300);
      boolean same = shortWaits == longWaits;
      ok &= same;
      System.out.printf(Locale.ROOT, "%9d  %7d  %19d  %18d  %s%n", c.workloads(), c.brokers(), shortWaits, longWaits,
          same ? "yes" : "NO");
      if (c.workloads() == 50 && c.brokers() == 6) {
        boolean under = longWaits < 1000;
        ok &= under;
        System.out.println("  50 workloads + 6 brokers under 1,000 events: " + (under ? "yes" : "NO"));
      }
    }
    System.out.println(ok ? "history size independent of wait length: PASS" : "FAIL");
    System.exit(ok ? 0 : 1);
  }

  private static long events(Case c, long settleSeconds, int heartbeatsPerWait) {
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
      return client.fetchHistory("bench").getEvents().size();
    } finally {
      env.close();
    }
  }
}
