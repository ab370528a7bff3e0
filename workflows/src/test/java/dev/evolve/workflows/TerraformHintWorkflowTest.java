package dev.evolve.workflows;

import static dev.evolve.workflows.NodePoolUpgradeWorkflowTest.request;
import static dev.evolve.workflows.NodePoolUpgradeWorkflowTest.result;
import static dev.evolve.workflows.NodePoolUpgradeWorkflowTest.start;
import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertTrue;

import dev.evolve.workflows.model.CycleStatus;
import dev.evolve.workflows.model.UpgradeResult;
import io.temporal.testing.TestWorkflowEnvironment;
import io.temporal.testing.TestWorkflowExtension;
import io.temporal.worker.Worker;
import java.util.List;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.extension.RegisterExtension;

/** A pool Terraform provisioned: the plan says so, and the result says what to change in its configuration. */
class TerraformHintWorkflowTest {

  @RegisterExtension
  static final TestWorkflowExtension testWorkflow = CycleTestExtension.create();

  @Test
  void aTerraformPoolGetsTheVersionToWriteIntoItsNodePoolResource(TestWorkflowEnvironment env, Worker worker) {
    ScriptedCluster cluster = ScriptedCluster.standard().provisionedByTerraform();

    UpgradeResult result = result(start(env, cluster, worker, request()));

    assertEquals(CycleStatus.SUCCEEDED, result.status());
    List<String> planNotes = result.plan().notes().stream().filter(n -> n.startsWith("Terraform: ")).toList();
    assertEquals(1, planNotes.size(), result.plan().notes().toString());
    assertTrue(planNotes.get(0).contains("goog-terraform-provisioned=true"), planNotes.get(0));
    String hint = result.notes().stream().filter(n -> n.contains(" is now at ")).findFirst()
        .orElseThrow(() -> new AssertionError("no Terraform hint in " + result.notes()));
    assertTrue(hint.contains("set version = \"" + ScriptedCluster.CONTROL_PLANE + "\""), hint);
    assertTrue(hint.contains("google_container_node_pool"), hint);
    assertTrue(hint.contains(ScriptedCluster.TEMP + " was never in Terraform state"), hint);
  }

  @Test
  void aPoolWithoutTheLabelGetsNoHint(TestWorkflowEnvironment env, Worker worker) {
    UpgradeResult result = result(start(env, ScriptedCluster.standard(), worker, request()));

    assertEquals(CycleStatus.SUCCEEDED, result.status());
    assertTrue(result.notes().stream().noneMatch(n -> n.startsWith("Terraform: ")), result.notes().toString());
  }
}
