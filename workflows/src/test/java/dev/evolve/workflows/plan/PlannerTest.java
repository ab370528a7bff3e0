package dev.evolve.workflows.plan;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertTrue;

import dev.evolve.workflows.model.Blocker;
import dev.evolve.workflows.model.ClusterState;
import dev.evolve.workflows.model.KafkaRotation;
import dev.evolve.workflows.model.MoveMethod;
import dev.evolve.workflows.model.NodeInfo;
import dev.evolve.workflows.model.PoolInventory;
import dev.evolve.workflows.model.PoolState;
import dev.evolve.workflows.model.UpgradePlan;
import dev.evolve.workflows.model.UpgradeRequest;
import dev.evolve.workflows.model.Workload;
import dev.evolve.workflows.model.WorkloadRef;
import java.util.ArrayList;
import java.util.List;
import org.junit.jupiter.api.Test;

class PlannerTest {

  static final List<String> ZONES = List.of("z-b", "z-c", "z-d");
  static final String CP = "1.33.5-gke.1201000";
  static final String OLD = "1.32.9-gke.1100000";

  static UpgradeRequest request(String target) {
    return UpgradeRequest.builder("p", "l", "c", "pool", target).build();
  }

  static ClusterState cluster(PoolState... extra) {
    List<PoolState> pools = new ArrayList<>(List.of(new PoolState("pool", "RUNNING", OLD, "e2-standard-4", 1, ZONES,
        false)));
    pools.addAll(List.of(extra));
    return new ClusterState("c", "RUNNING", CP, pools, List.of(OLD, "1.33.4-gke.1000000", CP), List.of());
  }

  static PoolInventory inventory(long cpuMillis, long memoryBytes) {
    List<NodeInfo> nodes = ZONES.stream().map(z -> new NodeInfo("n-" + z, z, true, false, 4000, 16L << 30, "v" + OLD))
        .toList();
    Workload big = new Workload(new WorkloadRef("a", "Deployment", "big"), 10, 10, List.of(), cpuMillis, memoryBytes,
        List.of(), false, "RollingUpdate", 1, List.of(), false, null);
    return new PoolInventory("pool", nodes, List.of(big), 500, 1L << 30);
  }

  @Test
  void theTempPoolIsSizedFromWhatTheMovingPodsRequestNotFromTheOriginal() {
    // 1 CPU and 2 GiB fit on one node per zone; the pool has the same 3 nodes
    UpgradePlan small = Planner.plan(request(CP), cluster(), inventory(1000, 2L << 30));
    assertEquals(1, small.tempPool().nodeCountPerZone());

    // 9 CPU: a node offers 4000m - 500m for DaemonSets, filled to 85% = 2975m -> 4 nodes -> 2 per zone
    UpgradePlan big = Planner.plan(request(CP), cluster(), inventory(9000, 2L << 30));
    assertEquals(2, big.tempPool().nodeCountPerZone());
    assertTrue(big.sizing().contains("versus 3 in the original pool"), big.sizing());
  }

  @Test
  void aliasesResolveToOfferedVersions() {
    assertEquals(CP, Planner.plan(request("-"), cluster(), inventory(100, 100)).targetVersion());
    assertEquals(CP, Planner.plan(request("latest"), cluster(), inventory(100, 100)).targetVersion());
    assertEquals("1.33.4-gke.1000000", Planner.plan(request("1.33.4"), cluster(), inventory(100, 100)).targetVersion());
  }

  @Test
  void anExistingTempPoolIsAdoptedOnlyWithTheSameMachineTypeAndZones() {
    UpgradePlan same = Planner.plan(request(CP), cluster(
        new PoolState("pool-temp", "RUNNING", CP, "e2-standard-4", 0, ZONES, false)), inventory(100, 100));
    assertTrue(same.blockers().isEmpty(), same.blockers().toString());
    assertTrue(same.notes().stream().anyMatch(n -> n.contains("adopted")), same.notes().toString());

    UpgradePlan moreZones = Planner.plan(request(CP), cluster(new PoolState("pool-temp", "RUNNING", CP,
        "e2-standard-4", 0, List.of("z-a", "z-b", "z-c", "z-d"), false)), inventory(100, 100));
    assertEquals("TEMP_POOL_CONFLICT", moreZones.blockers().get(0).code());
  }

  @Test
  void aPoolTerraformProvisionedIsNamedInThePlanWithTheVersionToWriteBack() {
    ClusterState fromTerraform = new ClusterState("c", "RUNNING", CP, List.of(new PoolState("pool", "RUNNING", OLD,
        "e2-standard-4", 1, ZONES, false, true)), List.of(OLD, CP), List.of());

    List<String> notes = Planner.plan(request(CP), fromTerraform, inventory(100, 100)).notes().stream()
        .filter(n -> n.startsWith("Terraform: ")).toList();

    assertEquals(1, notes.size(), notes.toString());
    assertTrue(notes.get(0).contains("set version = \"" + CP + "\""), notes.get(0));
    assertTrue(notes.get(0).contains("pool-temp is created by this tool and never enters Terraform state"), notes.get(0));
    assertTrue(Planner.plan(request(CP), cluster(), inventory(100, 100)).notes().stream()
        .noneMatch(n -> n.startsWith("Terraform: ")));
  }

  static PoolInventory withWorkload(Workload workload) {
    PoolInventory base = inventory(100, 100);
    return new PoolInventory("pool", base.nodes(), List.of(base.workloads().get(0), workload), 500, 1L << 30);
  }

  static Workload strimziBrokers() {
    return new Workload(new WorkloadRef("kafka", "StrimziPodSet", "my-cluster-brokers"), 3, 3, List.of(), 3000,
        3L << 30, List.of(), false, null, null, List.of(), true, null);
  }

  @Test
  void strimziManagedPodsAreLeftToStrimzi() {
    UpgradePlan plan = Planner.plan(request(CP), cluster(), withWorkload(strimziBrokers()));

    assertEquals(1, plan.blockers().size(), plan.blockers().toString());
    Blocker blocker = plan.blockers().get(0);
    assertEquals("STRIMZI_MANAGED", blocker.code());
    assertEquals("kafka/StrimziPodSet/my-cluster-brokers", blocker.subject());
    assertTrue(blocker.message().contains("only Strimzi's own KafkaRoller may move them"), blocker.message());
    assertTrue(blocker.fix().contains("workloads.exclude: [\"kafka/StrimziPodSet/my-cluster-brokers\"]"),
        blocker.fix());
    assertTrue(plan.moves().stream().noneMatch(m -> m.workload().kind().equals("StrimziPodSet")),
        "a move was planned for Strimzi's pods: " + plan.moves());
  }

  @Test
  void aKafkaRotationNamingAStrimziPodSetIsToldItIsNoStatefulSet() {
    UpgradeRequest request = request(CP).toBuilder()
        .kafka(new KafkaRotation("kafka", "my-cluster-brokers", null, 0, 60L, 600L)).build();

    UpgradePlan plan = Planner.plan(request, cluster(), withWorkload(strimziBrokers()));

    assertEquals(List.of("STRIMZI_MANAGED"), plan.blockers().stream().map(Blocker::code).toList());
    assertTrue(plan.blockers().get(0).message().startsWith("kafka.statefulSet names kafka/my-cluster-brokers, "
        + "which is no StatefulSet but a StrimziPodSet."), plan.blockers().get(0).message());
    assertTrue(plan.moves().stream().noneMatch(m -> m.method() == MoveMethod.KAFKA_BROKERS), plan.moves().toString());
  }
}
