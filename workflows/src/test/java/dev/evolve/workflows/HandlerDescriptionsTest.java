package dev.evolve.workflows;

import static dev.evolve.workflows.NodePoolUpgradeWorkflowTest.awaitProgress;
import static dev.evolve.workflows.NodePoolUpgradeWorkflowTest.request;
import static dev.evolve.workflows.NodePoolUpgradeWorkflowTest.start;
import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertTrue;

import dev.evolve.workflows.model.CycleStatus;
import io.temporal.api.sdk.v1.WorkflowDefinition;
import io.temporal.api.sdk.v1.WorkflowInteractionDefinition;
import io.temporal.api.sdk.v1.WorkflowMetadata;
import io.temporal.client.WorkflowStub;
import io.temporal.testing.TestWorkflowEnvironment;
import io.temporal.testing.TestWorkflowExtension;
import io.temporal.worker.Worker;
import io.temporal.workflow.QueryMethod;
import io.temporal.workflow.SignalMethod;
import io.temporal.workflow.UpdateMethod;
import java.lang.reflect.Method;
import java.util.ArrayList;
import java.util.List;
import java.util.Map;
import java.util.TreeMap;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.extension.RegisterExtension;

/**
 * The Web UI's "Send a Signal" and "Queries" offer every handler a workflow registers, with the
 * description the worker gives. A user there must see what each one does and what to type, and
 * must see which signals are only for the workflows among themselves.
 */
class HandlerDescriptionsTest {

  @RegisterExtension
  static final TestWorkflowExtension testWorkflow = CycleTestExtension.create();

  @Test
  void aRunningCycleDescribesEveryHandlerAndMarksTheInternalOnes(TestWorkflowEnvironment env, Worker worker) {
    NodePoolUpgradeWorkflow workflow = start(env, ScriptedCluster.standard(), worker,
        request(1).toBuilder().requireApproval(true).build());
    awaitProgress(workflow, p -> p.status() == CycleStatus.WAITING_FOR_APPROVAL);

    // what the UI asks for: the SDK's built-in metadata query, answered by the worker
    WorkflowDefinition definition = WorkflowStub.fromTyped(workflow)
        .query("__temporal_workflow_metadata", WorkflowMetadata.class).getDefinition();

    Map<String, String> signals = byName(definition.getSignalDefinitionsList());
    assertEquals(List.of("approve", "moveBatchReport", "pause", "poolHeldBy", "resume"), List.copyOf(signals.keySet()));
    assertTrue(signals.get("pause").contains("\"change freeze\""), signals.get("pause"));
    assertEquals(List.of("moveBatchReport", "poolHeldBy"), internal(signals));
    Map<String, String> updates = byName(definition.getUpdateDefinitionsList());
    assertEquals(List.of("approveCycle", "pauseCycle", "resumeCycle"), List.copyOf(updates.keySet()));
    assertTrue(updates.get("resumeCycle").contains("\"target\""), updates.get("resumeCycle"));
    Map<String, String> queries = byName(definition.getQueryDefinitionsList());
    assertTrue(queries.containsKey("progress"), queries.toString());
    for (Map<String, String> handlers : List.of(signals, updates, queries)) {
      handlers.forEach((name, description) -> assertFalse(description.isBlank(), name + " has no description"));
    }
    workflow.approve("test");
  }

  @Test
  void everyHandlerOfEveryWorkflowTypeHasADescription() {
    List<String> without = new ArrayList<>();
    for (Class<?> implementation : CycleWorkflows.implementations()) {
      for (Class<?> contract : implementation.getInterfaces()) {
        for (Method method : contract.getMethods()) {
          String description = method.isAnnotationPresent(SignalMethod.class)
              ? method.getAnnotation(SignalMethod.class).description()
              : method.isAnnotationPresent(QueryMethod.class) ? method.getAnnotation(QueryMethod.class).description()
              : method.isAnnotationPresent(UpdateMethod.class) ? method.getAnnotation(UpdateMethod.class).description()
              : null;
          if (description != null && description.isBlank()) {
            without.add(contract.getSimpleName() + "." + method.getName());
          }
        }
      }
    }
    assertEquals(List.of(), without);
  }

  private static Map<String, String> byName(List<WorkflowInteractionDefinition> handlers) {
    Map<String, String> byName = new TreeMap<>();
    handlers.stream().filter(h -> !h.getName().startsWith("__"))
        .forEach(h -> byName.put(h.getName(), h.getDescription()));
    return byName;
  }

  private static List<String> internal(Map<String, String> handlers) {
    return handlers.entrySet().stream().filter(e -> e.getValue().startsWith("Internal:")).map(Map.Entry::getKey)
        .toList();
  }
}
