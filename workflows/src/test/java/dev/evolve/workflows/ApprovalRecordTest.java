package dev.evolve.workflows;

import static dev.evolve.workflows.NodePoolUpgradeWorkflowTest.awaitProgress;
import static dev.evolve.workflows.NodePoolUpgradeWorkflowTest.request;
import static dev.evolve.workflows.NodePoolUpgradeWorkflowTest.start;
import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertTrue;

import com.fasterxml.jackson.databind.JsonNode;
import dev.evolve.workflows.model.CycleStatus;
import dev.evolve.workflows.model.TempPoolPolicy;
import dev.evolve.workflows.model.UpgradeRequest;
import io.temporal.api.enums.v1.EventType;
import io.temporal.api.history.v1.HistoryEvent;
import io.temporal.client.WorkflowStub;
import io.temporal.common.converter.DefaultDataConverter;
import io.temporal.testing.TestWorkflowEnvironment;
import io.temporal.testing.TestWorkflowExtension;
import io.temporal.worker.Worker;
import java.util.List;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.extension.RegisterExtension;

/**
 * Who approved, and when, through the plain {@code approve} signal (what the Web UI sends): in the
 * result, in the progress query and as an event of its own in the history. Read as JSON, the way
 * a dashboard or {@code temporal workflow show} sees them.
 */
class ApprovalRecordTest {

  @RegisterExtension
  static final TestWorkflowExtension testWorkflow = CycleTestExtension.create();

  static UpgradeRequest needingApproval() {
    UpgradeRequest base = request(1);
    return request(1).toBuilder().tempPoolPolicy(TempPoolPolicy.DELETE).dryRun(false).requireApproval(true).build();
  }

  @Test
  void theApproverAndTheTimeAreInTheResultTheQueryAndTheHistory(TestWorkflowEnvironment env, Worker worker) {
    ScriptedCluster cluster = ScriptedCluster.standard();
    NodePoolUpgradeWorkflow workflow = start(env, cluster, worker, needingApproval());
    awaitProgress(workflow, p -> p.status() == CycleStatus.WAITING_FOR_APPROVAL);
    long before = env.currentTimeMillis();

    workflow.approve("alice");

    WorkflowStub stub = WorkflowStub.fromTyped(workflow);
    JsonNode result = stub.getResult(JsonNode.class);
    assertEquals("SUCCEEDED", result.path("status").asText());
    assertEquals("alice", result.path("approval").path("approvedBy").asText(), result.toString());
    long at = result.path("approval").path("approvedAtMillis").asLong();
    assertTrue(at >= before - 1000 && at <= env.currentTimeMillis(), "approved at " + at);

    JsonNode progress = stub.query("progress", JsonNode.class);
    assertEquals("alice", progress.path("approval").path("approvedBy").asText(), progress.toString());

    List<HistoryEvent> memoChanges = env.getWorkflowClient().fetchHistory(stub.getExecution().getWorkflowId())
        .getEvents().stream()
        .filter(e -> e.getEventType() == EventType.EVENT_TYPE_WORKFLOW_PROPERTIES_MODIFIED).toList();
    assertEquals(1, memoChanges.size(), "no history event records the approval");
    String approvedBy = DefaultDataConverter.STANDARD_INSTANCE.fromPayload(
        memoChanges.get(0).getWorkflowPropertiesModifiedEventAttributes().getUpsertedMemo().getFieldsOrThrow(
            "approvedBy"), String.class, String.class);
    assertEquals("alice", approvedBy);
  }
}
