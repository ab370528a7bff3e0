package dev.evolve.workflows;

import static dev.evolve.workflows.NodePoolUpgradeWorkflowTest.request;
import static dev.evolve.workflows.NodePoolUpgradeWorkflowTest.start;
import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertTrue;

import dev.evolve.workflows.activities.FailureTypes;
import dev.evolve.workflows.model.CycleStatus;
import io.temporal.api.enums.v1.EventType;
import io.temporal.api.history.v1.ActivityTaskScheduledEventAttributes;
import io.temporal.api.history.v1.HistoryEvent;
import io.temporal.client.WorkflowClient;
import io.temporal.client.WorkflowStub;
import io.temporal.failure.ApplicationFailure;
import io.temporal.testing.TestWorkflowEnvironment;
import io.temporal.testing.TestWorkflowExtension;
import io.temporal.worker.Worker;
import java.time.Duration;
import java.util.ArrayList;
import java.util.List;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.extension.RegisterExtension;

/**
 * When a worker dies, Temporal hands its activity to another worker only once a timeout fires: the
 * heartbeat timeout for the waits that heartbeat, the start-to-close timeout for the quick reads
 * that do not. The chaos soak found PREPARE's reads at two minutes, so a worker killed during an
 * inventory held the cycle up two minutes. Every activity a cycle schedules, its compensation and
 * its batches of moves included, is checked here as the server recorded it.
 */
class DeadWorkerTimeoutsTest {

  @RegisterExtension
  static final TestWorkflowExtension testWorkflow = CycleTestExtension.create();

  @Test
  void noActivityOfACycleOrItsRollbackHoldsItUpLongAfterItsWorkerDied(TestWorkflowEnvironment env, Worker worker) {
    ScriptedCluster cluster = ScriptedCluster.standard()
        .failNext("upgradePool", ApplicationFailure.newNonRetryableFailure("injected", FailureTypes.OPERATION_FAILED));
    NodePoolUpgradeWorkflow workflow = start(env, cluster, worker, request(1));
    String workflowId = WorkflowStub.fromTyped(workflow).getExecution().getWorkflowId();
    NodePoolUpgradeWorkflowTest.failureOf(workflow);
    assertEquals(CycleStatus.ROLLED_BACK, workflow.progress().status());

    List<ActivityTaskScheduledEventAttributes> scheduled = scheduledActivities(env.getWorkflowClient(), workflowId);

    assertTrue(scheduled.stream().anyMatch(a -> a.getActivityType().getName().equals("KubeInventory")));
    assertTrue(scheduled.stream().anyMatch(a -> a.getActivityType().getName().startsWith("KubeRestore")),
        "the rollback's moves are among them");
    for (ActivityTaskScheduledEventAttributes activity : scheduled) {
      String name = activity.getActivityType().getName();
      Duration heartbeat = Duration.ofSeconds(activity.getHeartbeatTimeout().getSeconds());
      Duration startToClose = Duration.ofSeconds(activity.getStartToCloseTimeout().getSeconds());
      Duration heldUpAtMost = heartbeat.isZero() ? startToClose : heartbeat;
      assertTrue(heldUpAtMost.compareTo(heartbeat.isZero() ? Duration.ofSeconds(30) : Duration.ofMinutes(2)) <= 0,
          name + " would hold the cycle up " + heldUpAtMost.toSeconds() + " s after its worker died");
    }
  }

  /** The activities scheduled by a workflow and, through its child workflows, by all below it. */
  private static List<ActivityTaskScheduledEventAttributes> scheduledActivities(WorkflowClient client,
      String workflowId) {
    List<ActivityTaskScheduledEventAttributes> found = new ArrayList<>();
    for (HistoryEvent event : client.fetchHistory(workflowId).getEvents()) {
      if (event.getEventType() == EventType.EVENT_TYPE_ACTIVITY_TASK_SCHEDULED) {
        found.add(event.getActivityTaskScheduledEventAttributes());
      } else if (event.getEventType() == EventType.EVENT_TYPE_CHILD_WORKFLOW_EXECUTION_STARTED) {
        found.addAll(scheduledActivities(client,
            event.getChildWorkflowExecutionStartedEventAttributes().getWorkflowExecution().getWorkflowId()));
      }
    }
    return found;
  }
}
