package dev.evolve.fakegke;

import com.google.container.v1.NodeConfig;
import com.google.container.v1.NodeManagement;
import com.google.container.v1.NodePool;
import com.google.container.v1.NodePoolAutoscaling;
import com.google.container.v1.NodePoolUpdateStrategy;
import com.google.container.v1.Operation;
import dev.evolve.workflows.plan.NodeVersion;
import io.fabric8.kubernetes.client.KubernetesClient;
import io.grpc.Server;
import io.grpc.netty.shaded.io.grpc.netty.NettyServerBuilder;
import java.io.IOException;
import java.net.InetSocketAddress;
import java.time.Duration;
import java.util.ArrayList;
import java.util.Comparator;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.Optional;
import java.util.TreeMap;
import java.util.concurrent.ExecutorService;
import java.util.concurrent.Executors;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;

/**
 * A fake GKE for one cluster: a real gRPC ClusterManager server on loopback that the real
 * google-cloud-container client talks to. Operations go PENDING -> RUNNING -> DONE over the
 * configured durations, one mutating operation per cluster at a time, with GKE's own error
 * texts and version rules; pools' nodes appear, change and disappear as Kubernetes Node objects,
 * one node at a time.
 */
public final class FakeGke implements AutoCloseable {

  private static final Logger log = LoggerFactory.getLogger(FakeGke.class);

  /** How long things take: before an operation starts running, and per node it creates or replaces. */
  public record Durations(Duration pending, Duration perNode) {
    public static Durations fast() {
      return new Durations(Duration.ofMillis(20), Duration.ofMillis(30));
    }
  }

  final String project;
  final String location;
  final String cluster;
  final List<String> zones;
  final Durations durations;
  private final Faults faults = new Faults();
  private final NodeObjects nodeObjects;
  private final Map<String, FakePool> pools = new LinkedHashMap<>();
  private final List<FakeOperation> operations = new ArrayList<>();
  private final Map<String, List<NodePool.UpgradeSettings>> upgrades = new TreeMap<>();
  private final ExecutorService runner = Executors.newCachedThreadPool(r -> {
    Thread t = new Thread(r, "fake-gke-operation");
    t.setDaemon(true);
    return t;
  });
  volatile String controlPlaneVersion;
  volatile List<String> validNodeVersions;
  private Server server;

  private FakeGke(Builder b) {
    project = b.project;
    location = b.location;
    cluster = b.cluster;
    zones = List.copyOf(b.zones);
    durations = b.durations;
    controlPlaneVersion = b.controlPlaneVersion;
    validNodeVersions = List.copyOf(b.validNodeVersions);
    nodeObjects = new NodeObjects(b.kubernetes, b.project, b.location, b.cluster);
  }

  public static Builder builder() {
    return new Builder();
  }

  public FakeGke start() throws IOException {
    return start(0);
  }

  public FakeGke start(int port) throws IOException {
    server = NettyServerBuilder.forAddress(new InetSocketAddress("127.0.0.1", port))
        .addService(new FakeClusterManagerService(this)).build().start();
    log.info("fake GKE for {} listening on {}", clusterName(), endpoint());
    return this;
  }

  public String endpoint() {
    return "127.0.0.1:" + server.getPort();
  }

  public Faults faults() {
    return faults;
  }

  @Override
  public void close() {
    if (server != null) {
      server.shutdownNow();
    }
    runner.shutdownNow();
  }

  // ---- what tests and the sandbox can look at ----

  public synchronized Optional<String> poolVersion(String pool) {
    return Optional.ofNullable(pools.get(pool)).map(p -> p.version);
  }

  public synchronized Optional<String> poolStatus(String pool) {
    return Optional.ofNullable(pools.get(pool)).map(p -> p.status.name());
  }

  public synchronized List<String> poolNames() {
    return new ArrayList<>(pools.keySet());
  }

  public synchronized List<String> nodesOf(String pool) {
    FakePool p = pools.get(pool);
    return p == null ? List.of() : p.nodesSnapshot().stream().map(n -> n[1]).toList();
  }

  /** The upgrade settings the pool has now, as GetNodePool returns them. */
  public synchronized Optional<NodePool.UpgradeSettings> upgradeSettings(String pool) {
    return Optional.ofNullable(pools.get(pool)).map(p -> p.upgradeSettings);
  }

  /** The settings each upgrade of the pool ran with, in order. */
  public synchronized List<NodePool.UpgradeSettings> upgradesOf(String pool) {
    return List.copyOf(upgrades.getOrDefault(pool, List.of()));
  }

  public synchronized Optional<NodePoolAutoscaling> autoscaling(String pool) {
    return Optional.ofNullable(pools.get(pool)).map(p -> p.autoscaling);
  }

  /**
   * What the cluster autoscaler does to a pool whose nodes are unneeded (empty, cordoned or not):
   * an autoscaled pool shrinks to its minimum in each zone; a pool without autoscaling is left alone.
   * No GKE operation: the autoscaler resizes the instance groups directly.
   */
  public void autoscalerRemovesUnneededNodes(String pool) {
    FakePool p = pool(pool);
    if (p == null || !p.autoscaling.getEnabled()) {
      return;
    }
    for (String zone : p.locations) {
      int min = p.autoscaling.getTotalMinNodeCount() > 0
          ? (int) Math.ceil(p.autoscaling.getTotalMinNodeCount() / (double) p.locations.size())
          : p.autoscaling.getMinNodeCount();
      while (p.nodesIn(zone) > min) {
        removeNode(p, zone).run();
      }
    }
  }

  /**
   * An operation of another cluster in the same location: ListOperations on the location lists
   * it, and it never blocks this cluster. It stays RUNNING.
   */
  public synchronized void foreignOperation(String otherCluster, Operation.Type type, String pool) {
    FakeOperation op = new FakeOperation("operation-foreign-" + operations.size(), type, zones.get(0),
        "https://container.googleapis.com/v1/projects/" + project + "/locations/" + location + "/clusters/"
            + otherCluster + "/nodePools/" + pool);
    op.status = Operation.Status.RUNNING;
    operations.add(op);
  }

  /**
   * An operation that another caller (a console user, a maintenance job) started on this cluster:
   * it runs for {@code runFor}, and while it runs GKE refuses this cluster's other mutations with
   * "Please wait and try again once it is done" and ListOperations shows it in flight.
   */
  public synchronized void otherCallersOperation(Operation.Type type, java.time.Duration runFor) {
    FakeOperation op = new FakeOperation("operation-other-caller-" + operations.size(), type, zones.get(0),
        "https://container.googleapis.com/v1/" + clusterName());
    op.status = Operation.Status.RUNNING;
    operations.add(op);
    runner.submit(() -> {
      try {
        Thread.sleep(runFor.toMillis());
      } catch (InterruptedException e) {
        Thread.currentThread().interrupt();
      } finally {
        op.status = Operation.Status.DONE;
      }
    });
  }

  /**
   * Sets a pool back to {@code version} in place, without an operation and without replacing its
   * nodes (their kubelet version changes under the pods): the chaos soak's way to give the next
   * cycle an upgrade to do. GKE itself has nothing like it.
   */
  public void setPoolVersionInPlace(String pool, String version) {
    FakePool p = pool(pool);
    if (p == null) {
      throw new IllegalArgumentException("no pool " + pool);
    }
    p.version = version;
    p.nodesSnapshot().forEach(n -> nodeObjects.setKubeletVersion(n[1], version));
  }

  /** True when no operation is running on the cluster. */
  public boolean idle() {
    return running().isEmpty();
  }

  /** How many operations of this type were accepted for this pool, over the fake's life. */
  public synchronized long operationCount(Operation.Type type, String pool) {
    return operations.stream().filter(op -> op.type == type && op.targetLink.endsWith(poolName(pool))).count();
  }

  /**
   * Every operation accepted over the fake's life, counted by type and pool, e.g.
   * {@code "CREATE_NODE_POOL default-pool-temp" -> 1}: shows whether a retry started work twice.
   */
  public synchronized Map<String, Long> operationCounts() {
    Map<String, Long> counts = new TreeMap<>();
    for (FakeOperation op : operations.stream().filter(this::isOurs).toList()) {
      int at = op.targetLink.lastIndexOf("/nodePools/");
      String pool = at < 0 ? "(cluster)" : op.targetLink.substring(at + "/nodePools/".length());
      counts.merge(op.type.name() + " " + pool, 1L, Long::sum);
    }
    return counts;
  }

  // ---- used by the service ----

  String clusterName() {
    return "projects/" + project + "/locations/" + location + "/clusters/" + cluster;
  }

  String poolName(String pool) {
    return clusterName() + "/nodePools/" + pool;
  }

  synchronized FakePool pool(String name) {
    return pools.get(name);
  }

  synchronized List<FakePool> pools() {
    return new ArrayList<>(pools.values());
  }

  synchronized List<FakeOperation> operations() {
    return new ArrayList<>(operations);
  }

  /** GKE's one-operation-at-a-time rule is per cluster: others' operations do not count. */
  synchronized Optional<FakeOperation> running() {
    return operations.stream().filter(op -> !op.isDone() && isOurs(op)).findFirst();
  }

  private boolean isOurs(FakeOperation op) {
    return op.targetLink.endsWith(clusterName()) || op.targetLink.contains(clusterName() + "/");
  }

  synchronized void recordUpgrade(String pool, NodePool.UpgradeSettings settings) {
    upgrades.computeIfAbsent(pool, p -> new ArrayList<>()).add(settings);
  }

  /**
   * The steps of an upgrade as the pool's settings make GKE do it. Surge: batches of
   * maxSurge + maxUnavailable nodes; in each, maxSurge new nodes come up before the batch's old
   * nodes go, the rest after. Blue-green: every new node first, then every old one.
   */
  List<Runnable> upgradeSteps(FakePool pool, String version, NodePool.UpgradeSettings settings) {
    List<String[]> old = pool.nodesSnapshot();
    List<Runnable> steps = new ArrayList<>();
    if (settings.getStrategy() == NodePoolUpdateStrategy.BLUE_GREEN) {
      old.forEach(n -> steps.add(addNode(pool, n[0], version)));
      old.forEach(n -> steps.add(removeExactly(pool, n)));
      return steps;
    }
    int batch = Math.max(1, settings.getMaxSurge() + settings.getMaxUnavailable());
    for (int from = 0; from < old.size(); from += batch) {
      List<String[]> group = old.subList(from, Math.min(old.size(), from + batch));
      int surge = Math.min(settings.getMaxSurge(), group.size());
      steps.add(() -> {
        group.subList(0, surge).forEach(n -> addNode(pool, n[0], version).run());
        group.forEach(n -> removeExactly(pool, n).run());
        group.subList(surge, group.size()).forEach(n -> addNode(pool, n[0], version).run());
      });
    }
    return steps;
  }

  Faults faultsForService() {
    return faults;
  }

  /** Resolves GKE's aliases: "-" the control plane, "latest", "1.X" and "1.X.Y" the newest match. */
  Optional<String> resolveVersion(String requested) {
    if (requested.equals("-")) {
      return Optional.of(controlPlaneVersion);
    }
    NodeVersion cp = NodeVersion.parse(controlPlaneVersion).orElseThrow();
    Optional<NodeVersion> wanted = NodeVersion.parse(requested);
    if (!requested.equals("latest") && wanted.isEmpty()) {
      return Optional.empty();
    }
    if (validNodeVersions.contains(requested)) {
      return Optional.of(requested);
    }
    int parts = requested.split("\\.").length;
    return validNodeVersions.stream()
        .filter(v -> {
          NodeVersion nv = NodeVersion.parse(v).orElseThrow();
          if (requested.equals("latest")) {
            return nv.compareTo(cp) <= 0;
          }
          return !requested.contains("-gke.") && nv.major() == wanted.get().major()
              && nv.minor() == wanted.get().minor() && (parts < 3 || nv.patch() == wanted.get().patch());
        })
        .max(Comparator.comparing(v -> NodeVersion.parse(v).orElseThrow()));
  }

  /** Starts an operation now: the caller has checked that the cluster is not busy. */
  synchronized FakeOperation begin(Operation.Type type, String pool, Runnable... steps) {
    String name = "operation-" + System.currentTimeMillis() + "-" + Integer.toHexString((int) (Math.random() * 0xfffff));
    FakeOperation op = new FakeOperation(name, type, zones.get(0),
        "https://container.googleapis.com/v1/" + poolName(pool));
    op.total = steps.length;
    operations.add(op);
    Faults.OperationFault failure = faults.takeFailure(type);
    boolean stuck = faults.takeStuck(type);
    runner.submit(() -> run(op, pool, steps, failure, stuck));
    return op;
  }

  private void run(FakeOperation op, String pool, Runnable[] steps, Faults.OperationFault failure, boolean stuck) {
    try {
      Thread.sleep(durations.pending().toMillis());
      op.status = Operation.Status.RUNNING;
      for (Runnable step : steps) {
        if (failure != null && op.done >= steps.length / 2) {
          break;
        }
        Thread.sleep(durations.perNode().toMillis());
        step.run();
        op.done++;
      }
      while (stuck && !faults.released()) {
        Thread.sleep(20);
      }
      if (failure != null) {
        op.error = failure.message();
        FakePool p = pool(pool);
        if (p != null) {
          p.status = NodePool.Status.valueOf(failure.poolStatusAfter());
        }
      }
    } catch (InterruptedException e) {
      Thread.currentThread().interrupt();
      op.error = "operation interrupted";
    } catch (RuntimeException e) {
      log.warn("operation {} failed in the fake", op.name, e);
      op.error = String.valueOf(e.getMessage());
    } finally {
      op.status = Operation.Status.DONE;
    }
  }

  synchronized void addPool(FakePool pool) {
    pools.put(pool.name, pool);
  }

  synchronized void removePool(String name) {
    pools.remove(name);
  }

  /** A step that adds one node in a zone. */
  Runnable addNode(FakePool pool, String zone) {
    return addNode(pool, zone, null);
  }

  private Runnable addNode(FakePool pool, String zone, String version) {
    return () -> {
      String node = nodeObjects.create(pool.name, zone, version == null ? pool.version : version, pool.config,
          maxPodsPerNode(pool));
      synchronized (pool) {
        pool.nodes.add(new String[] {zone, node});
      }
    };
  }

  /** A step that removes the oldest node of a zone (or of the pool, zone null). */
  Runnable removeNode(FakePool pool, String zone) {
    return () -> {
      String[] victim;
      synchronized (pool) {
        victim = pool.nodes.stream().filter(n -> zone == null || n[0].equals(zone)).findFirst().orElse(null);
        if (victim == null) {
          return;
        }
        pool.nodes.remove(victim);
      }
      nodeObjects.delete(victim[1]);
    };
  }

  private Runnable removeExactly(FakePool pool, String[] node) {
    return () -> {
      synchronized (pool) {
        pool.nodes.remove(node);
      }
      nodeObjects.delete(node[1]);
    };
  }

  private static int maxPodsPerNode(FakePool pool) {
    long max = pool.created.getMaxPodsConstraint().getMaxPodsPerNode();
    return max > 0 ? (int) max : 110;
  }

  /** Seeds the cluster's pools (and their nodes) without operations. */
  public static final class Builder {
    private String project = "demo-project";
    private String location = "europe-west1";
    private String cluster = "prod";
    private List<String> zones = List.of("europe-west1-b", "europe-west1-c", "europe-west1-d");
    private String controlPlaneVersion = "1.33.5-gke.1201000";
    private List<String> validNodeVersions = List.of("1.31.6-gke.1020000", "1.32.9-gke.1100000",
        "1.33.4-gke.1000000", "1.33.5-gke.1201000");
    private Durations durations = Durations.fast();
    private KubernetesClient kubernetes;
    private final List<NodePool> seedPools = new ArrayList<>();

    public Builder cluster(String project, String location, String cluster, List<String> zones) {
      this.project = project;
      this.location = location;
      this.cluster = cluster;
      this.zones = zones;
      return this;
    }

    public Builder versions(String controlPlane, List<String> validNodeVersions) {
      this.controlPlaneVersion = controlPlane;
      this.validNodeVersions = validNodeVersions;
      return this;
    }

    public Builder durations(Durations durations) {
      this.durations = durations;
      return this;
    }

    /** Node objects are kept in this cluster; without it the fake keeps names only. */
    public Builder kubernetes(KubernetesClient client) {
      this.kubernetes = client;
      return this;
    }

    public Builder pool(String name, String version, String machineType, int nodeCountPerZone) {
      return pool(name, version, machineType, nodeCountPerZone, java.util.Map.of());
    }

    /** A pool with GKE resource labels (goog-terraform-provisioned=true: one Terraform created). */
    public Builder pool(String name, String version, String machineType, int nodeCountPerZone,
        java.util.Map<String, String> resourceLabels) {
      return pool(NodePool.newBuilder().setName(name).setVersion(version).setInitialNodeCount(nodeCountPerZone)
          .setConfig(NodeConfig.newBuilder().setMachineType(machineType).setImageType("COS_CONTAINERD")
              .setDiskSizeGb(100).putAllResourceLabels(resourceLabels))
          .setManagement(NodeManagement.newBuilder().setAutoRepair(true)).build());
    }

    /**
     * A pool as GKE would hold it: name, version, config, initialNodeCount per zone and anything
     * else (locations, autoscaling, upgrade settings, max pods, network and placement settings).
     */
    public Builder pool(NodePool pool) {
      seedPools.add(pool);
      return this;
    }

    public FakeGke build() {
      FakeGke gke = new FakeGke(this);
      for (NodePool seed : seedPools) {
        List<String> locations = seed.getLocationsCount() > 0 ? seed.getLocationsList() : zones;
        FakePool pool = new FakePool(seed, locations, seed.getVersion(), NodePool.Status.RUNNING);
        gke.addPool(pool);
        for (String zone : locations) {
          for (int i = 0; i < pool.nodeCountPerZone; i++) {
            gke.addNode(pool, zone).run();
          }
        }
      }
      return gke;
    }
  }
}
