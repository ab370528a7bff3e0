package dev.evolve.workflows;

import static dev.evolve.workflows.NodePoolUpgradeWorkflowTest.request;
import static dev.evolve.workflows.NodePoolUpgradeWorkflowTest.result;
import static dev.evolve.workflows.NodePoolUpgradeWorkflowTest.start;
import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertNotEquals;

import dev.evolve.workflows.model.CycleStatus;
import dev.evolve.workflows.model.PoolInventory;
import dev.evolve.workflows.model.UpgradeResult;
import io.temporal.api.common.v1.Payloads;
import io.temporal.api.enums.v1.EventType;
import io.temporal.api.history.v1.History;
import io.temporal.api.history.v1.HistoryEvent;
import io.temporal.client.WorkflowStub;
import io.temporal.common.WorkflowExecutionHistory;
import io.temporal.common.converter.DataConverter;
import io.temporal.common.converter.DefaultDataConverter;
import io.temporal.testing.TestWorkflowEnvironment;
import io.temporal.testing.TestWorkflowExtension;
import io.temporal.testing.WorkflowReplayer;
import io.temporal.worker.Worker;
import java.util.HashSet;
import java.util.Set;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.extension.RegisterExtension;

/**
 * The plan is computed once and recorded in the history, so a worker running a changed Planner
 * (other blockers, sizing or order) replays a cycle in flight on the plan it started with.
 */
class PlanInHistoryTest {

  @RegisterExtension
  static final TestWorkflowExtension testWorkflow = CycleTestExtension.create();

  @Test
  void aCycleReplaysOnItsRecordedPlanWhenThePlannerWouldNowPlanDifferently(TestWorkflowEnvironment env,
      Worker worker) throws Exception {
    NodePoolUpgradeWorkflow workflow = start(env, ScriptedCluster.standard(), worker, request());
    UpgradeResult finished = result(workflow);
    assertEquals(CycleStatus.SUCCEEDED, finished.status());
    String id = WorkflowStub.fromTyped(workflow).getExecution().getWorkflowId();
    WorkflowExecutionHistory recorded = env.getWorkflowClient().fetchHistory(id);

    // The planner's input as recorded, minus one workload: planning again from it now gives
    // another plan (one move fewer), which is what a changed Planner does to a cycle in flight.
    WorkflowExecutionHistory changed = withInventoryOneWorkloadShort(recorded);
    assertNotEquals(recorded.getEvents(), changed.getEvents());

    WorkflowReplayer.replayWorkflowExecution(changed, NodePoolUpgradeWorkflowImpl.class);
  }

  static WorkflowExecutionHistory withInventoryOneWorkloadShort(WorkflowExecutionHistory history) {
    DataConverter json = DefaultDataConverter.STANDARD_INSTANCE;
    Set<Long> inventoryScheduled = new HashSet<>();
    History.Builder edited = History.newBuilder();
    for (HistoryEvent event : history.getEvents()) {
      if (event.getEventType() == EventType.EVENT_TYPE_ACTIVITY_TASK_SCHEDULED
          && event.getActivityTaskScheduledEventAttributes().getActivityType().getName().equals("KubeInventory")) {
        inventoryScheduled.add(event.getEventId());
      }
      if (event.getEventType() == EventType.EVENT_TYPE_ACTIVITY_TASK_COMPLETED
          && inventoryScheduled.contains(event.getActivityTaskCompletedEventAttributes().getScheduledEventId())) {
        PoolInventory inventory = json.fromPayloads(0, java.util.Optional.of(
            event.getActivityTaskCompletedEventAttributes().getResult()), PoolInventory.class, PoolInventory.class);
        PoolInventory shorter = new PoolInventory(inventory.pool(), inventory.nodes(),
            inventory.workloads().subList(1, inventory.workloads().size()), inventory.daemonSetCpuMillisPerNode(),
            inventory.daemonSetMemoryBytesPerNode());
        Payloads result = json.toPayloads(shorter).orElseThrow();
        event = event.toBuilder().setActivityTaskCompletedEventAttributes(
            event.getActivityTaskCompletedEventAttributes().toBuilder().setResult(result)).build();
      }
      edited.addEvents(event);
    }
    return new WorkflowExecutionHistory(edited.build(), history.getWorkflowExecution().getWorkflowId());
  }
}
