package dev.evolve.workflows;

import static dev.evolve.workflows.NodePoolUpgradeWorkflowTest.request;
import static dev.evolve.workflows.NodePoolUpgradeWorkflowTest.result;
import static dev.evolve.workflows.NodePoolUpgradeWorkflowTest.start;
import static dev.evolve.workflows.ScriptedCluster.TEMP;
import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertTrue;

import dev.evolve.workflows.model.CycleStatus;
import dev.evolve.workflows.model.KafkaRotation;
import dev.evolve.workflows.model.UpgradeRequest;
import io.temporal.testing.TestWorkflowEnvironment;
import io.temporal.testing.TestWorkflowExtension;
import io.temporal.testing.WorkflowReplayer;
import io.temporal.worker.Worker;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.Base64;
import java.util.List;
import org.junit.jupiter.api.Assumptions;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.extension.RegisterExtension;

/**
 * Change id kafka-active-controller-last: the brokers of the Kafka StatefulSet move with the
 * active KRaft controller last, in both directions, and a cycle recorded with it keeps replaying.
 *
 * <p>To record its history again (only from the code of that shape), run
 * {@code -Devolve.recordHistories=true -Dtest=ActiveControllerLastTest}.
 */
class ActiveControllerLastTest {

  @RegisterExtension
  static final TestWorkflowExtension testWorkflow = CycleTestExtension.create();

  static final boolean RECORD = Boolean.getBoolean("evolve.recordHistories");
  static final String HISTORY = "kafka-controller-last-cycle";

  static List<String> brokerCalls(ScriptedCluster cluster) {
    return cluster.calls().stream()
        .filter(c -> c.startsWith("brokerMoveOrder") || c.startsWith("awaitSafeToMove") || c.contains("StatefulSetPod"))
        .toList();
  }

  @Test
  void theActiveControllerMovesLastToTheTemporaryPoolAndBack(TestWorkflowEnvironment env, Worker worker) {
    Assumptions.assumeFalse(RECORD, "recording");
    ScriptedCluster cluster = ScriptedCluster.standard().activeController(0);

    assertEquals(CycleStatus.SUCCEEDED, result(start(env, cluster, worker, request(0))).status());

    assertEquals(List.of(
        "brokerMoveOrder [0, 1, 2]",
        "awaitSafeToMove broker 1", "moveStatefulSetPod kafka-1 -> " + TEMP,
        "awaitSafeToMove broker 2", "moveStatefulSetPod kafka-2 -> " + TEMP,
        "awaitSafeToMove broker 0", "moveStatefulSetPod kafka-0 -> " + TEMP,
        // back in the order they went, asked again: the controller may have changed meanwhile
        "brokerMoveOrder [1, 2, 0]",
        "awaitSafeToMove broker 1", "restoreStatefulSetPod kafka-1",
        "awaitSafeToMove broker 2", "restoreStatefulSetPod kafka-2",
        "awaitSafeToMove broker 0", "restoreStatefulSetPod kafka-0"), brokerCalls(cluster));
  }

  @Test
  void brokerIdsAreOrdinalsPlusTheOffset(TestWorkflowEnvironment env, Worker worker) {
    Assumptions.assumeFalse(RECORD, "recording");
    // broker id = ordinal + 100; Kafka names broker 101, the pod kafka-1
    ScriptedCluster cluster = ScriptedCluster.standard().activeController(101);
    UpgradeRequest request = request(0).toBuilder()
        .kafka(new KafkaRotation("kafka", "kafka", null, 100, 0L, 120L)).build();

    result(start(env, cluster, worker, request));

    List<String> calls = brokerCalls(cluster);
    assertEquals("brokerMoveOrder [100, 101, 102]", calls.get(0));
    assertEquals(List.of("moveStatefulSetPod kafka-0 -> " + TEMP, "moveStatefulSetPod kafka-2 -> " + TEMP,
        "moveStatefulSetPod kafka-1 -> " + TEMP),
        calls.stream().filter(c -> c.startsWith("moveStatefulSetPod")).toList());
  }

  @Test
  void aCycleRecordedWithTheChangeReplays() throws Exception {
    Assumptions.assumeFalse(RECORD, "recording");
    String history = Files.readString(Path.of("src/test/resources/histories", HISTORY + ".json"));
    // the marker's change id is stored as a JSON string in base64
    String changeId = Base64.getEncoder().encodeToString(
        ("\"" + WorkloadMover.KAFKA_ACTIVE_CONTROLLER_LAST + "\"").getBytes(StandardCharsets.UTF_8)).replace("=", "");
    assertTrue(history.contains(changeId) && history.contains("\"KafkaBrokerMoveOrder\""),
        "the recorded history is not of the new shape");
    WorkflowReplayer.replayWorkflowExecutionFromResource("histories/" + HISTORY + ".json",
        NodePoolUpgradeWorkflowImpl.class);
  }

  @Test
  void record(TestWorkflowEnvironment env, Worker worker) throws Exception {
    Assumptions.assumeTrue(RECORD);
    worker.registerActivitiesImplementations(ScriptedCluster.standard().activeController(0));
    env.start();
    NodePoolUpgradeWorkflow workflow = OneCyclePerPoolTest.startAs(env, worker.getTaskQueue(), "controller-last",
        request(0));
    result(workflow);
    Files.writeString(Path.of("src/test/resources/histories", HISTORY + ".json"),
        env.getWorkflowClient().fetchHistory("controller-last").toJson(true));
  }
}
