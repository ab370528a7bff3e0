package dev.evolve.workflows.plan;

import dev.evolve.workflows.model.Blocker;
import dev.evolve.workflows.model.ClusterState;
import dev.evolve.workflows.model.MoveMethod;
import dev.evolve.workflows.model.NodeInfo;
import dev.evolve.workflows.model.PdbInfo;
import dev.evolve.workflows.model.PlannedMove;
import dev.evolve.workflows.model.PoolInventory;
import dev.evolve.workflows.model.PoolState;
import dev.evolve.workflows.model.TempPoolSpec;
import dev.evolve.workflows.model.UpgradePlan;
import dev.evolve.workflows.model.UpgradeRequest;
import dev.evolve.workflows.model.Workload;
import dev.evolve.workflows.model.WorkloadRef;
import java.util.ArrayList;
import java.util.Comparator;
import java.util.List;
import java.util.Locale;
import java.util.Optional;

/**
 * Turns what PREPARE read (GKE's view and the cluster's view of the pool) into a plan: which
 * workloads move and how, how big the temporary pool is, and what blocks the cycle. A pure
 * function of its inputs, so the workflow can call it and tests can drive it directly.
 */
public final class Planner {

  /**
   * The kind Strimzi's operator (core.strimzi.io/v1beta2) runs Kafka pods under instead of a
   * StatefulSet; the inventory reports such pods under it.
   */
  static final String STRIMZI_POD_SET = "StrimziPodSet";

  /** Fill new nodes to at most this share of their allocatable: bin packing is never perfect. */
  public static final double TARGET_FILL = 0.85;

  private Planner() {}

  public static UpgradePlan plan(UpgradeRequest request, ClusterState cluster, PoolInventory inventory) {
    List<Blocker> blockers = new ArrayList<>();
    List<String> notes = new ArrayList<>();
    Optional<PoolState> found = cluster.pool(request.nodePool());
    if (found.isEmpty()) {
      blockers.add(new Blocker("POOL_NOT_FOUND", "nodePool", "cluster " + cluster.name()
          + " has no node pool '" + request.nodePool() + "' (it has " + poolNames(cluster) + ")",
          "set nodePool to one of the cluster's pools"));
      return new UpgradePlan(request.nodePool(), null, request.targetVersion(),
          cluster.controlPlaneVersion(), 0, null, "", List.of(), blockers, notes);
    }
    PoolState pool = found.get();
    String target = resolveTarget(request.targetVersion(), cluster);
    checkVersions(pool, target, cluster, blockers);
    if (pool.provisionedByTerraform()) {
      notes.add(TerraformHint.planNote(pool, target, request.tempPoolName()));
    }
    checkClusterIsQuiet(cluster, pool, blockers);

    List<PlannedMove> moves = new ArrayList<>();
    TempPoolSpec temp = tempPoolSpec(request, pool, target, inventory, notes);
    for (Workload workload : inventory.workloads()) {
      planMove(request, workload, temp, moves, blockers, notes);
    }
    moves.sort(Comparator.comparingInt((PlannedMove m) -> m.method().ordinal())
        .thenComparing(m -> m.workload().toString()));
    checkTempPoolName(request, cluster, temp, blockers, notes);
    String sizing = sizingText(request, temp, inventory);
    return new UpgradePlan(pool.name(), pool.version(), target, cluster.controlPlaneVersion(),
        inventory.nodes().size(), temp, sizing, moves, blockers, notes);
  }

  /** "-" is the control plane's version; "latest" and prefixes pick the newest valid match. */
  static String resolveTarget(String requested, ClusterState cluster) {
    if ("-".equals(requested)) {
      return cluster.controlPlaneVersion();
    }
    Optional<NodeVersion> controlPlane = NodeVersion.parse(cluster.controlPlaneVersion());
    if ("latest".equals(requested)) {
      return newestValid(cluster, v -> controlPlane.map(cp -> v.compareTo(cp) <= 0).orElse(true))
          .orElse(cluster.controlPlaneVersion());
    }
    if (cluster.validNodeVersions().contains(requested) || requested.contains("-gke.")) {
      return requested;
    }
    // "1.33" or "1.33.5": GKE picks the newest build of that minor or patch.
    return newestValid(cluster, v -> matchesPrefix(v, requested)).orElse(requested);
  }

  private static boolean matchesPrefix(NodeVersion version, String prefix) {
    String[] parts = prefix.split("\\.");
    NodeVersion wanted = NodeVersion.parse(prefix).orElseThrow();
    return version.major() == wanted.major() && version.minor() == wanted.minor()
        && (parts.length < 3 || version.patch() == wanted.patch());
  }

  private static Optional<String> newestValid(
      ClusterState cluster, java.util.function.Predicate<NodeVersion> accept) {
    return cluster.validNodeVersions().stream()
        .filter(v -> NodeVersion.parse(v).map(accept::test).orElse(false))
        .max(Comparator.comparing(v -> NodeVersion.parse(v).orElseThrow()));
  }

  private static void checkVersions(PoolState pool, String target, ClusterState cluster, List<Blocker> blockers) {
    Optional<NodeVersion> targetVersion = NodeVersion.parse(target);
    Optional<NodeVersion> current = NodeVersion.parse(pool.version());
    Optional<NodeVersion> controlPlane = NodeVersion.parse(cluster.controlPlaneVersion());
    if (targetVersion.isEmpty() || !cluster.validNodeVersions().contains(target)) {
      blockers.add(new Blocker("VERSION_NOT_OFFERED", "targetVersion",
          "GKE does not offer node version " + target + " in this location",
          "pick one of: " + String.join(", ", cluster.validNodeVersions().stream().limit(8).toList())));
      return;
    }
    if (controlPlane.isPresent() && targetVersion.get().compareTo(controlPlane.get()) > 0) {
      blockers.add(new Blocker("ABOVE_CONTROL_PLANE", "targetVersion",
          "desired node version " + target + " cannot be greater than current master version "
              + cluster.controlPlaneVersion(),
          "upgrade the control plane first, or choose a version at or below it"));
    } else if (controlPlane.isPresent() && targetVersion.get().minorsBehind(controlPlane.get()) > 2) {
      blockers.add(new Blocker("TOO_FAR_BEHIND", "targetVersion",
          "node version " + target + " would be more than two minor versions behind the control plane ("
              + cluster.controlPlaneVersion() + ")",
          "choose a version at most two minors below the control plane"));
    }
    if (current.isPresent() && targetVersion.get().compareTo(current.get()) < 0) {
      blockers.add(new Blocker("DOWNGRADE", "targetVersion",
          "pool " + pool.name() + " runs " + pool.version() + "; " + target + " would be a downgrade",
          "GKE node pools are not downgraded in place: choose a version at or above " + pool.version()));
    }
  }

  private static void checkClusterIsQuiet(ClusterState cluster, PoolState pool, List<Blocker> blockers) {
    if (!"RUNNING".equals(cluster.status())) {
      blockers.add(new Blocker("CLUSTER_BUSY", cluster.name(), "cluster status is " + cluster.status(),
          "wait until the cluster is RUNNING"));
    }
    if (!pool.isRunning()) {
      blockers.add(new Blocker("POOL_NOT_RUNNING", pool.name(), "pool status is " + pool.status(),
          "wait until the pool is RUNNING, or repair it first"));
    }
    cluster.operationsInFlight().forEach(op -> blockers.add(new Blocker("OPERATION_IN_FLIGHT",
        op.name(), op.type() + " is " + op.status() + " on " + op.targetLink(),
        "wait for it to finish: GKE runs one operation per cluster at a time")));
  }

  private static void planMove(UpgradeRequest request, Workload workload, TempPoolSpec temp,
      List<PlannedMove> moves, List<Blocker> blockers, List<String> notes) {
    WorkloadRef ref = workload.ref();
    if ("Pod".equals(ref.kind())) {
      blockers.add(new Blocker("BARE_POD", ref.toString(),
          "this pod has no controller: evicting it deletes it for good",
          "run it under a Deployment or StatefulSet, or delete it yourself before the cycle"));
      return;
    }
    if (STRIMZI_POD_SET.equals(ref.kind())) {
      blockers.add(strimziManaged(request, ref));
      return;
    }
    MoveMethod method = methodFor(request, workload);
    if (workload.usesEmptyDir() && !request.emptyDirLossAllowed()) {
      blockers.add(new Blocker("EMPTYDIR_DATA", ref.toString(),
          "its pods keep data in emptyDir volumes, which is lost when a pod moves",
          "set allowEmptyDirDataLoss to true if that data is scratch, or exclude the workload"));
    }
    for (String zone : workload.volumeZones()) {
      if (!temp.locations().contains(zone)) {
        blockers.add(new Blocker("ZONAL_VOLUME", ref.toString(),
            "a pod is bound to a volume in zone " + zone + ", which the temporary pool does not cover "
                + temp.locations(),
            "add " + zone + " to the pool's locations, or move that volume"));
      }
    }
    if (workload.unfinishedRollout() != null) {
      blockers.add(new Blocker("STATEFULSET_ROLLOUT_UNFINISHED", ref.toString(),
          workload.unfinishedRollout() + ": a moved pod is recreated from the template, so the move would finish "
              + "the staged update without its gates",
          "finish the update (or roll it back) before the cycle"));
    }
    if (method == MoveMethod.DEPLOYMENT_ROLLOUT) {
      checkRolloutIsSurge(workload, blockers);
    } else {
      // Everything except a rollout moves by eviction, and eviction needs the PDB's consent.
      for (PdbInfo pdb : workload.pdbs()) {
        if (pdb.disruptionsAllowed() < 1) {
          blockers.add(new Blocker("PDB_AT_ZERO", ref.toString(),
              "PodDisruptionBudget " + pdb + " allows 0 disruptions (" + pdb.currentHealthy() + " healthy, "
                  + pdb.desiredHealthy() + " required): every eviction would be refused",
              "bring the workload back to health or relax the budget; it is never forced"));
        }
      }
    }
    List<Integer> ordinals = method == MoveMethod.KAFKA_BROKERS || method == MoveMethod.STATEFULSET_POD_BY_POD
        ? workload.readyOrdinalsOnPool() : List.of();
    moves.add(new PlannedMove(ref, method, workload.podsOnPool(), ordinals));
  }

  /**
   * Pods of a StrimziPodSet are the Strimzi operator's: its StrimziPodSet controller recreates a
   * pod that goes away where it decides, and its KafkaRoller restarts brokers behind its own Kafka
   * checks. Evicting them here would race both, with none of our gates in the way: only Strimzi
   * may move them. A request that names one as its Kafka StatefulSet is told so.
   */
  private static Blocker strimziManaged(UpgradeRequest request, WorkloadRef ref) {
    boolean namedAsKafka = request.kafka() != null && ref.namespace().equals(request.kafka().namespace())
        && ref.name().equals(request.kafka().statefulSet());
    return new Blocker("STRIMZI_MANAGED", ref.toString(),
        (namedAsKafka ? "kafka.statefulSet names " + ref.namespace() + "/" + ref.name()
            + ", which is no StatefulSet but a StrimziPodSet. " : "")
            + "Its pods are managed by the Strimzi operator and only Strimzi's own KafkaRoller may move them: "
            + "its StrimziPodSet controller recreates an evicted pod wherever it decides and it rolls brokers "
            + "behind its own Kafka checks, so evicting them here would race both",
        "move these brokers with Strimzi's own mechanisms (a KafkaNodePool scheduled onto other nodes, "
            + "its rolling updates within its maintenance time windows), or leave them out of this cycle with "
            + "workloads.exclude: [\"" + ref + "\"]");
  }

  private static MoveMethod methodFor(UpgradeRequest request, Workload workload) {
    WorkloadRef ref = workload.ref();
    if ("Deployment".equals(ref.kind())) {
      // A rollout ignores budgets. The move rolls out with the Deployment's own surge and no
      // unavailable pod; without a surge that is impossible, and only eviction asks the budget.
      boolean mayNotSurge = "RollingUpdate".equals(workload.updateStrategy()) && workload.maxSurge() != null
          && workload.maxSurge() == 0;
      return mayNotSurge && !workload.pdbs().isEmpty() ? MoveMethod.EVICTION : MoveMethod.DEPLOYMENT_ROLLOUT;
    }
    if ("StatefulSet".equals(ref.kind())) {
      return request.kafka() != null && request.kafka().workloadRef().equals(ref)
          ? MoveMethod.KAFKA_BROKERS : MoveMethod.STATEFULSET_POD_BY_POD;
    }
    return MoveMethod.EVICTION;
  }

  /** A rollout only avoids downtime when it starts new pods before it stops old ones. */
  private static void checkRolloutIsSurge(Workload workload, List<Blocker> blockers) {
    String ref = workload.ref().toString();
    if ("Recreate".equals(workload.updateStrategy())) {
      blockers.add(new Blocker("RECREATE_STRATEGY", ref,
          "its update strategy is Recreate: changing the pod template stops every pod before new ones start",
          "switch it to RollingUpdate with maxSurge >= 1, or exclude it and accept the downtime"));
    } else if (workload.replicas() == 1 && workload.maxSurge() != null && workload.maxSurge() == 0) {
      blockers.add(new Blocker("NO_SURGE", ref,
          "it has one replica and maxSurge 0: the rollout stops the only pod before its replacement is ready",
          "set maxSurge to 1 (or more replicas)"));
    }
  }

  private static TempPoolSpec tempPoolSpec(
      UpgradeRequest request, PoolState pool, String target, PoolInventory inventory, List<String> notes) {
    String machineType = Optional.ofNullable(request.tempPoolOrDefault().machineType()).orElse(pool.machineType());
    List<String> locations = pool.locations();
    Integer requested = request.tempPoolOrDefault().nodeCountPerZone();
    int perZone = requested != null ? requested : nodesPerZoneFor(inventory, locations.size(), notes);
    if (!machineType.equals(pool.machineType()) && requested == null) {
      notes.add("tempPool.machineType differs from the pool's; the size assumes nodes as large as the pool's");
    }
    return new TempPoolSpec(request.tempPoolName(), pool.name(), machineType, perZone, locations, target);
  }

  /**
   * Enough nodes for what the moving pods request, filled to {@link #TARGET_FILL}, after what the
   * DaemonSets take on every node; at least one node per zone (zonal volumes need their zone), and
   * enough nodes for workloads whose pods refuse to share a node.
   */
  static int nodesPerZoneFor(PoolInventory inventory, int zones, List<String> notes) {
    if (inventory.nodes().isEmpty()) {
      notes.add("the pool has no nodes to measure; the temporary pool gets one node per zone");
      return 1;
    }
    long cpuPerNode = inventory.nodes().stream().mapToLong(NodeInfo::cpuMillis).min().orElse(0)
        - inventory.daemonSetCpuMillisPerNode();
    long memPerNode = inventory.nodes().stream().mapToLong(NodeInfo::memoryBytes).min().orElse(0)
        - inventory.daemonSetMemoryBytesPerNode();
    long cpu = inventory.workloads().stream().mapToLong(Workload::cpuMillisRequested).sum();
    long mem = inventory.workloads().stream().mapToLong(Workload::memoryBytesRequested).sum();
    long byCpu = cpuPerNode > 0 ? (long) Math.ceil(cpu / (cpuPerNode * TARGET_FILL)) : 1;
    long byMem = memPerNode > 0 ? (long) Math.ceil(mem / (memPerNode * TARGET_FILL)) : 1;
    long byAntiAffinity = inventory.workloads().stream()
        .filter(Workload::requiredAntiAffinityPerNode).mapToLong(Workload::podsOnPool).max().orElse(1);
    long total = Math.max(1, Math.max(byAntiAffinity, Math.max(byCpu, byMem)));
    return (int) Math.max(1, (total + zones - 1) / zones);
  }

  private static void checkTempPoolName(UpgradeRequest request, ClusterState cluster, TempPoolSpec temp,
      List<Blocker> blockers, List<String> notes) {
    cluster.pool(temp.name()).ifPresent(existing -> {
      // the same rule the GKE activity applies when it adopts: same machine type, same zones
      if (!existing.machineType().equals(temp.machineType())
          || !new java.util.HashSet<>(existing.locations()).equals(new java.util.HashSet<>(temp.locations()))) {
        blockers.add(new Blocker("TEMP_POOL_CONFLICT", "tempPool.name",
            "pool " + existing.name() + " already exists as " + existing.machineType() + " in "
                + existing.locations() + ", not " + temp.machineType() + " in " + temp.locations(),
            "delete that pool, or set tempPool.name to a new name"));
      } else {
        notes.add("pool " + existing.name() + " exists from an earlier cycle and will be adopted");
      }
    });
  }

  private static String sizingText(UpgradeRequest request, TempPoolSpec temp, PoolInventory inventory) {
    long cpu = inventory.workloads().stream().mapToLong(Workload::cpuMillisRequested).sum();
    long mem = inventory.workloads().stream().mapToLong(Workload::memoryBytesRequested).sum();
    String how = request.tempPoolOrDefault().nodeCountPerZone() != null
        ? "as requested"
        : String.format(Locale.ROOT, "moving pods request %.1f CPU and %.1f GiB; nodes filled to %d%%",
            cpu / 1000.0, mem / (1024.0 * 1024 * 1024), Math.round(TARGET_FILL * 100));
    return temp.totalNodes() + " node(s) (" + temp.nodeCountPerZone() + " per zone in " + temp.locations().size()
        + " zone(s)) versus " + inventory.nodes().size() + " in the original pool: " + how;
  }

  private static String poolNames(ClusterState cluster) {
    return cluster.pools().stream().map(PoolState::name).toList().toString();
  }
}
