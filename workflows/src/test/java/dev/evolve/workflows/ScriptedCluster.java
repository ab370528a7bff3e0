package dev.evolve.workflows;

import dev.evolve.workflows.activities.GkeActivities;
import dev.evolve.workflows.activities.KafkaActivities;
import dev.evolve.workflows.activities.KubernetesActivities;
import dev.evolve.workflows.model.ClusterRef;
import dev.evolve.workflows.model.ClusterState;
import dev.evolve.workflows.model.GateResult;
import dev.evolve.workflows.model.KafkaTarget;
import dev.evolve.workflows.model.MoveResult;
import dev.evolve.workflows.model.NodeInfo;
import dev.evolve.workflows.model.OperationInfo;
import dev.evolve.workflows.model.PdbInfo;
import dev.evolve.workflows.model.PoolAutoscaling;
import dev.evolve.workflows.model.PoolInventory;
import dev.evolve.workflows.model.PoolState;
import dev.evolve.workflows.model.TempPoolSpec;
import dev.evolve.workflows.model.Workload;
import dev.evolve.workflows.model.WorkloadRef;
import dev.evolve.workflows.model.WorkloadSelection;
import io.temporal.activity.Activity;
import io.temporal.failure.ApplicationFailure;
import java.util.ArrayDeque;
import java.util.ArrayList;
import java.util.Deque;
import java.util.HashMap;
import java.util.HashSet;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.Set;
import java.util.function.Consumer;

/**
 * A small in-memory cluster behind all three activity interfaces, for workflow tests. It keeps
 * the facts the workflow's safety rests on (which pool each pod runs on, which pools exist, their
 * versions), records every call, and can be told to fail a call or to run a hook when a call
 * happens. It notes as a violation any deletion of a pool that still runs pods, and any moment
 * when every pool is cordoned (nothing new could be scheduled anywhere).
 *
 * <p>Public, with {@link #standard()} and {@link #violations()}, for the worker module's
 * many-cycles benchmark, which runs one of these per cycle behind a real worker.
 */
public final class ScriptedCluster implements GkeActivities, KubernetesActivities, KafkaActivities {

  public static final String POOL = "default-pool";
  static final String TEMP = "default-pool-temp";
  public static final String CONTROL_PLANE = "1.33.5-gke.1201000";
  public static final String OLD = "1.32.9-gke.1100000";
  static final List<String> ZONES = List.of("europe-west1-b", "europe-west1-c", "europe-west1-d");

  private final List<String> calls = new ArrayList<>();
  private final List<String> violations = new ArrayList<>();
  private final Map<String, PoolState> pools = new LinkedHashMap<>();
  /** Where each pod runs: "ns/Kind/name" for Deployments and evicted workloads, plus "#ordinal" for StatefulSets. */
  private final Map<String, String> podPool = new LinkedHashMap<>();
  private final List<Workload> workloads = new ArrayList<>();
  private final Map<String, Deque<RuntimeException>> faults = new HashMap<>();
  private final Map<String, Consumer<String>> hooks = new HashMap<>();
  private final List<OperationInfo> operationsInFlight = new ArrayList<>();
  /** Pools whose nodes are cordoned; a new pool's nodes are schedulable, as GKE makes them. */
  private final Set<String> cordoned = new HashSet<>();
  /** Workloads their owners deleted during the cycle: any move of them is NOT_FOUND. */
  private final Set<WorkloadRef> deleted = new HashSet<>();
  private final Map<String, PoolAutoscaling> autoscaling = new HashMap<>();
  private final java.util.Set<String> emptiedByAutoscaler = new java.util.HashSet<>();
  private List<String> validVersions = List.of(OLD, "1.33.4-gke.1000000", CONTROL_PLANE);
  private int gateRefusals;
  /** The broker Kafka names as its active controller; -1: none of the brokers. */
  private int activeController = -1;
  private int heartbeatsPerWait = 1;
  private boolean originalNodesReady = true;

  ScriptedCluster() {
    pools.put(POOL, new PoolState(POOL, "RUNNING", OLD, "e2-standard-4", 1, ZONES, false));
  }

  /** Three Deployments, a Job's pods (moved by eviction) and a three-broker Kafka StatefulSet. */
  public static ScriptedCluster standard() {
    ScriptedCluster cluster = new ScriptedCluster();
    cluster.deployment("shop", "cart", 3);
    cluster.deployment("shop", "checkout", 1);
    cluster.deployment("web", "frontend", 2);
    cluster.workload(workload(new WorkloadRef("batch", "Job", "nightly"), 1, List.of(), false, List.of(pdb(1))));
    cluster.statefulSet("kafka", "kafka", 3);
    return cluster;
  }

  static Workload workload(WorkloadRef ref, int pods, List<Integer> ordinals, boolean emptyDir, List<PdbInfo> pdbs) {
    return new Workload(ref, pods, pods, ordinals, 250L * pods, 512L * 1024 * 1024 * pods, List.of(), emptyDir,
        "Deployment".equals(ref.kind()) ? "RollingUpdate" : "StatefulSet".equals(ref.kind()) ? "RollingUpdate" : null,
        "Deployment".equals(ref.kind()) ? 1 : null, pdbs, false, null);
  }

  static PdbInfo pdb(int allowed) {
    return new PdbInfo("ns", "pdb", allowed, 3, 3 - allowed);
  }

  synchronized ScriptedCluster deployment(String ns, String name, int replicas) {
    return workload(workload(new WorkloadRef(ns, "Deployment", name), replicas, List.of(), false, List.of(pdb(1))));
  }

  synchronized ScriptedCluster statefulSet(String ns, String name, int replicas) {
    List<Integer> ordinals = new ArrayList<>();
    for (int i = 0; i < replicas; i++) {
      ordinals.add(i);
    }
    return workload(workload(new WorkloadRef(ns, "StatefulSet", name), replicas, ordinals, false, List.of(pdb(1))));
  }

  synchronized ScriptedCluster workload(Workload workload) {
    workloads.add(workload);
    if (workload.readyOrdinalsOnPool().isEmpty()) {
      podPool.put(workload.ref().toString(), POOL);
    } else {
      workload.readyOrdinalsOnPool().forEach(i -> podPool.put(workload.ref() + "#" + i, POOL));
    }
    return this;
  }

  synchronized ScriptedCluster replaceWorkloads(List<Workload> replacement) {
    workloads.clear();
    podPool.clear();
    replacement.forEach(this::workload);
    return this;
  }

  /** The owner deletes the workload: its pods go, and moving it answers NOT_FOUND from then on. */
  synchronized void deleteWorkload(WorkloadRef ref) {
    deleted.add(ref);
    podPool.keySet().removeIf(pod -> pod.equals(ref.toString()) || pod.startsWith(ref + "#"));
  }

  /** Someone else starts a pod (without a controller) on the pool: evacuatePool cannot empty it. */
  synchronized void strayPod(String pod, String pool) {
    podPool.put(pod, pool);
  }

  synchronized void removePod(String pod) {
    podPool.remove(pod);
  }

  /** The next call of {@code method} (e.g. "upgradePool") throws this. */
  public synchronized ScriptedCluster failNext(String method, RuntimeException failure) {
    faults.computeIfAbsent(method, m -> new ArrayDeque<>()).add(failure);
    return this;
  }

  /** Runs {@code hook} with the call's description each time {@code method} is called. */
  public synchronized ScriptedCluster onCall(String method, Consumer<String> hook) {
    hooks.put(method, hook);
    return this;
  }

  synchronized ScriptedCluster refuseGates(int times) {
    gateRefusals = times;
    return this;
  }

  synchronized ScriptedCluster activeController(int brokerId) {
    activeController = brokerId;
    return this;
  }

  synchronized ScriptedCluster heartbeatsPerWait(int count) {
    heartbeatsPerWait = count;
    return this;
  }

  synchronized ScriptedCluster validVersions(List<String> versions) {
    validVersions = versions;
    return this;
  }

  synchronized ScriptedCluster operationInFlight(String type) {
    operationsInFlight.add(new OperationInfo("operation-1", type, "RUNNING", POOL));
    return this;
  }

  synchronized void poolStatus(String pool, String status) {
    PoolState p = pools.get(pool);
    pools.put(pool, new PoolState(p.name(), status, p.version(), p.machineType(), p.nodeCountPerZone(),
        p.locations(), p.autoscaling(), p.provisionedByTerraform()));
  }

  /** The original pool carries the label Google's Terraform provider puts on what it creates. */
  synchronized ScriptedCluster provisionedByTerraform() {
    PoolState p = pools.get(POOL);
    pools.put(POOL, new PoolState(POOL, p.status(), p.version(), p.machineType(), p.nodeCountPerZone(),
        p.locations(), p.autoscaling(), true));
    return this;
  }

  /**
   * The original pool is autoscaled: if the autoscaler still manages it when the pool is
   * upgraded (emptied by then), it has removed every node down to the minimum of 0.
   */
  synchronized ScriptedCluster autoscaled(PoolAutoscaling settings) {
    autoscaling.put(POOL, settings);
    PoolState p = pools.get(POOL);
    pools.put(POOL, new PoolState(POOL, p.status(), p.version(), p.machineType(), p.nodeCountPerZone(),
        p.locations(), true, p.provisionedByTerraform()));
    return this;
  }

  synchronized PoolAutoscaling autoscalingOf(String pool) {
    return autoscaling.getOrDefault(pool, PoolAutoscaling.disabled());
  }

  synchronized void originalNodesReady(boolean ready) {
    originalNodesReady = ready;
  }

  public synchronized List<String> calls() {
    return new ArrayList<>(calls);
  }

  /** Only the calls that change something, in order. */
  synchronized List<String> changes() {
    return calls.stream().filter(c -> !c.startsWith("describeCluster") && !c.startsWith("inventory")
        && !c.startsWith("nodes") && !c.startsWith("workloadPodsOnPool") && !c.startsWith("evacuatePool")
        && !c.startsWith("await") && !c.startsWith("brokerMoveOrder")).toList();
  }

  public synchronized List<String> violations() {
    return new ArrayList<>(violations);
  }

  public synchronized boolean poolExists(String pool) {
    return pools.containsKey(pool);
  }

  public synchronized String poolVersion(String pool) {
    return pools.get(pool).version();
  }

  synchronized List<String> podsOn(String pool) {
    return podPool.entrySet().stream().filter(e -> e.getValue().equals(pool)).map(Map.Entry::getKey).toList();
  }

  private void call(String method, String description) {
    Consumer<String> hook;
    RuntimeException failure = null;
    synchronized (this) {
      calls.add(method + " " + description);
      hook = hooks.get(method);
      Deque<RuntimeException> queue = faults.get(method);
      if (queue != null && !queue.isEmpty()) {
        failure = queue.poll();
      }
    }
    if (hook != null) {
      hook.accept(description);
    }
    if (failure != null) {
      throw failure;
    }
  }

  /** Stands for a long wait inside an activity: heartbeats, which never reach the history. */
  private void waitAWhile() {
    for (int i = 0; i < heartbeatsPerWait; i++) {
      Activity.getExecutionContext().heartbeat(i);
    }
  }

  // ---- GKE ----

  @Override
  public synchronized ClusterState describeCluster(ClusterRef cluster) {
    call("describeCluster", cluster.cluster());
    return new ClusterState(cluster.cluster(), "RUNNING", CONTROL_PLANE, new ArrayList<>(pools.values()),
        validVersions, List.copyOf(operationsInFlight));
  }

  @Override
  public PoolState createTempPool(ClusterRef cluster, TempPoolSpec spec) {
    call("createTempPool", spec.name() + " x" + spec.nodeCountPerZone() + " " + spec.version());
    waitAWhile();
    synchronized (this) {
      PoolState pool = new PoolState(spec.name(), "RUNNING", spec.version(), spec.machineType(),
          spec.nodeCountPerZone(), spec.locations(), false);
      pools.put(spec.name(), pool);
      return pool;
    }
  }

  @Override
  public PoolState upgradePool(ClusterRef cluster, String pool, String version) {
    call("upgradePool", pool + " " + version);
    waitAWhile();
    synchronized (this) {
      if (autoscaling.containsKey(pool) && autoscaling.get(pool).enabled()) {
        emptiedByAutoscaler.add(pool);
      }
      PoolState p = pools.get(pool);
      PoolState upgraded = new PoolState(pool, "RUNNING", version, p.machineType(), p.nodeCountPerZone(),
          p.locations(), false, p.provisionedByTerraform());
      pools.put(pool, upgraded);
      return upgraded;
    }
  }

  @Override
  public PoolState resizePool(ClusterRef cluster, String pool, int nodeCountPerZone) {
    call("resizePool", pool + " " + nodeCountPerZone);
    synchronized (this) {
      if (nodeCountPerZone == 0 && !podsOn(pool).isEmpty()) {
        violations.add("resized " + pool + " to zero under " + podsOn(pool));
      }
      PoolState p = pools.get(pool);
      PoolState resized = new PoolState(pool, "RUNNING", p.version(), p.machineType(), nodeCountPerZone,
          p.locations(), false);
      pools.put(pool, resized);
      return resized;
    }
  }

  @Override
  public PoolAutoscaling holdPoolSize(ClusterRef cluster, String pool) {
    call("holdPoolSize", pool);
    synchronized (this) {
      PoolState p = pools.get(pool);
      PoolAutoscaling was = autoscaling.getOrDefault(pool, PoolAutoscaling.disabled());
      pools.put(pool, new PoolState(pool, p.status(), p.version(), p.machineType(), p.nodeCountPerZone(),
          p.locations(), false));
      autoscaling.remove(pool);
      return was;
    }
  }

  @Override
  public void restoreAutoscaling(ClusterRef cluster, String pool, PoolAutoscaling original) {
    call("restoreAutoscaling", pool + " " + original.enabled());
    synchronized (this) {
      if (original.enabled()) {
        PoolState p = pools.get(pool);
        pools.put(pool, new PoolState(pool, p.status(), p.version(), p.machineType(), p.nodeCountPerZone(),
            p.locations(), true));
        autoscaling.put(pool, original);
      }
    }
  }

  @Override
  public void deletePool(ClusterRef cluster, String pool) {
    call("deletePool", pool);
    synchronized (this) {
      if (!podsOn(pool).isEmpty()) {
        violations.add("deleted " + pool + " under " + podsOn(pool));
      }
      pools.remove(pool);
      cordoned.remove(pool);
    }
  }

  // ---- Kubernetes ----

  @Override
  public synchronized PoolInventory inventory(String pool, WorkloadSelection selection) {
    call("inventory", pool);
    return new PoolInventory(pool, nodes(pool, false), List.copyOf(workloads), 100, 200L * 1024 * 1024);
  }

  @Override
  public synchronized List<NodeInfo> nodes(String pool) {
    call("nodes", pool);
    return nodes(pool, true);
  }

  private List<NodeInfo> nodes(String pool, boolean record) {
    boolean ready = !pool.equals(POOL) || originalNodesReady;
    if (emptiedByAutoscaler.contains(pool)) {
      return List.of();
    }
    return ZONES.stream().map(z -> new NodeInfo(pool + "-" + z, z, ready, false, 3920, 13L << 30,
        "v" + OLD)).toList();
  }

  @Override
  public int cordonPool(String pool) {
    call("cordonPool", pool);
    synchronized (this) {
      if (pools.containsKey(pool)) {
        cordoned.add(pool);
      }
      if (!pools.isEmpty() && cordoned.containsAll(pools.keySet())) {
        violations.add("no schedulable pool after cordoning " + pool + ": " + pools.keySet() + " all cordoned");
      }
    }
    return 3;
  }

  @Override
  public int uncordonPool(String pool) {
    call("uncordonPool", pool);
    synchronized (this) {
      cordoned.remove(pool);
    }
    return 3;
  }

  @Override
  public MoveResult moveDeployment(WorkloadRef deployment, String toPool, long timeoutSeconds) {
    call("moveDeployment", deployment + " -> " + toPool);
    return place(deployment.toString(), deployment, toPool);
  }

  @Override
  public MoveResult restoreDeployment(WorkloadRef deployment, String awayFromPool, long timeoutSeconds) {
    call("restoreDeployment", deployment.toString());
    return place(deployment.toString(), deployment, POOL);
  }

  @Override
  public MoveResult moveStatefulSetPod(WorkloadRef statefulSet, int ordinal, String toPool, long timeoutSeconds) {
    call("moveStatefulSetPod", statefulSet.name() + "-" + ordinal + " -> " + toPool);
    return place(statefulSet + "#" + ordinal, statefulSet, toPool);
  }

  @Override
  public MoveResult restoreStatefulSetPod(WorkloadRef statefulSet, int ordinal, String awayFromPool,
      long timeoutSeconds) {
    call("restoreStatefulSetPod", statefulSet.name() + "-" + ordinal);
    return place(statefulSet + "#" + ordinal, statefulSet, POOL);
  }

  @Override
  public MoveResult evictPods(WorkloadRef workload, String fromPool, long budgetSeconds) {
    call("evictPods", workload + " from " + fromPool);
    return place(workload.toString(), workload, fromPool.equals(POOL) ? TEMP : POOL);
  }

  private synchronized MoveResult place(String pod, WorkloadRef ref, String pool) {
    if (deleted.contains(ref)) {
      throw ApplicationFailure.newNonRetryableFailure(ref + " no longer exists", "NotFound");
    }
    if (!pools.containsKey(pool)) {
      throw ApplicationFailure.newNonRetryableFailure("no pool " + pool, "Unschedulable");
    }
    boolean moved = !pool.equals(podPool.get(pod));
    podPool.put(pod, pool);
    return new MoveResult(ref, moved ? 1 : 0, "on " + pool);
  }

  @Override
  public synchronized List<String> workloadPodsOnPool(String pool) {
    call("workloadPodsOnPool", pool);
    return podsOn(pool);
  }

  /** Nobody else starts pods in this cluster and pods stop at once: what is left is what the cycle left. */
  @Override
  public synchronized List<String> evacuatePool(String pool, long budgetSeconds) {
    call("evacuatePool", pool);
    return podsOn(pool);
  }

  // ---- Kafka ----

  @Override
  public GateResult awaitSafeToMove(KafkaTarget kafka, int brokerId, long budgetSeconds) {
    call("awaitSafeToMove", "broker " + brokerId);
    waitAWhile();
    synchronized (this) {
      if (gateRefusals > 0) {
        gateRefusals--;
        return GateResult.refused("partition orders-0 has 2 in-sync replicas, min.insync.replicas is 2", budgetSeconds);
      }
    }
    return GateResult.passed("no under-replicated partitions", 0);
  }

  @Override
  public GateResult awaitCaughtUp(KafkaTarget kafka, int brokerId, long budgetSeconds) {
    call("awaitCaughtUp", "broker " + brokerId);
    waitAWhile();
    return GateResult.passed("broker " + brokerId + " in every ISR", 0);
  }

  @Override
  public List<Integer> brokerMoveOrder(KafkaTarget kafka, List<Integer> brokerIds) {
    call("brokerMoveOrder", brokerIds.toString());
    synchronized (this) {
      if (!brokerIds.contains(activeController)) {
        return brokerIds;
      }
      List<Integer> order = new ArrayList<>(brokerIds);
      order.remove(Integer.valueOf(activeController));
      order.add(activeController);
      return order;
    }
  }
}
