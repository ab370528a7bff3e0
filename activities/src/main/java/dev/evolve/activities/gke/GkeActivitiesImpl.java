package dev.evolve.activities.gke;

import com.google.api.gax.rpc.ApiException;
import com.google.api.gax.rpc.NotFoundException;
import com.google.cloud.container.v1.ClusterManagerClient;
import com.google.container.v1.Cluster;
import com.google.container.v1.CreateNodePoolRequest;
import com.google.container.v1.DeleteNodePoolRequest;
import com.google.container.v1.GetClusterRequest;
import com.google.container.v1.GetNodePoolRequest;
import com.google.container.v1.GetOperationRequest;
import com.google.container.v1.GetServerConfigRequest;
import com.google.container.v1.ListOperationsRequest;
import com.google.container.v1.NodeConfig;
import com.google.container.v1.NodePool;
import com.google.container.v1.NodePoolAutoscaling;
import com.google.container.v1.NodePoolUpdateStrategy;
import com.google.container.v1.SetNodePoolAutoscalingRequest;
import com.google.container.v1.Operation;
import com.google.container.v1.OperationProgress;
import com.google.container.v1.SetNodePoolSizeRequest;
import com.google.container.v1.UpdateNodePoolRequest;
import dev.evolve.workflows.activities.FailureTypes;
import dev.evolve.workflows.activities.GkeActivities;
import dev.evolve.workflows.model.ClusterRef;
import dev.evolve.workflows.model.ClusterState;
import dev.evolve.workflows.model.OperationInfo;
import dev.evolve.workflows.model.PoolAutoscaling;
import dev.evolve.workflows.model.PoolState;
import dev.evolve.workflows.model.TempPoolSpec;
import io.temporal.activity.Activity;
import io.temporal.activity.ActivityExecutionContext;
import io.temporal.failure.ApplicationFailure;
import java.time.Duration;
import java.util.HashSet;
import java.util.List;
import java.util.Map;
import java.util.Optional;
import java.util.function.Supplier;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;

/**
 * The GKE activities on the v1 ClusterManager API. Every operation is awaited here, polling and
 * heartbeating with its name; see {@link OperationHeartbeat} for how a retry finds it again.
 */
public class GkeActivitiesImpl implements GkeActivities {

  private static final Logger log = LoggerFactory.getLogger(GkeActivitiesImpl.class);
  /** Marks pools this tool created, so that people (and the next cycle) can tell them apart. */
  static final String TEMP_POOL_LABEL = "evolve.dev/temp-pool-for";

  private final ClusterManagerClient client;
  private final Duration pollInterval;
  private final PoolNodes nodes;

  public GkeActivitiesImpl(ClusterManagerClient client, PoolNodes nodes) {
    this(client, Duration.ofSeconds(10), nodes);
  }

  /** @param nodes where a pool's current size is read: GKE's NodePool does not carry it */
  public GkeActivitiesImpl(ClusterManagerClient client, Duration pollInterval, PoolNodes nodes) {
    this.client = client;
    this.pollInterval = pollInterval;
    this.nodes = nodes;
  }

  @Override
  public ClusterState describeCluster(ClusterRef cluster) {
    String doing = "reading cluster " + cluster;
    try {
      // GetCluster, GetServerConfig and ListOperations need container.clusters.get and container.operations.list
      Cluster c = client.getCluster(GetClusterRequest.newBuilder().setName(cluster.resourceName()).build());
      List<String> versions = client.getServerConfig(GetServerConfigRequest.newBuilder()
          .setName(locationName(cluster)).build()).getValidNodeVersionsList();
      List<OperationInfo> inFlight = client.listOperations(ListOperationsRequest.newBuilder()
              .setParent(locationName(cluster)).build()).getOperationsList().stream()
          .filter(op -> op.getStatus() != Operation.Status.DONE && OperationTargets.isCluster(op, cluster))
          .map(op -> new OperationInfo(op.getName(), op.getOperationType().name(), op.getStatus().name(),
              op.getTargetLink()))
          .toList();
      return new ClusterState(c.getName(), c.getStatus().name(), c.getCurrentMasterVersion(),
          c.getNodePoolsList().stream().map(this::state).toList(), List.copyOf(versions), inFlight);
    } catch (ApiException e) {
      throw GkeErrors.translate(e, doing, "container.clusters.get", "container.operations.list");
    }
  }

  // GKE's API reference: creating, updating, resizing, deleting a node pool and setting its
  // autoscaling all need container.clusters.update on the cluster.

  @Override
  public PoolState createTempPool(ClusterRef cluster, TempPoolSpec spec) {
    String doing = "creating temporary pool " + spec.name();
    try {
      Optional<NodePool> existing = findPool(cluster, spec.name());
      if (existing.isPresent()) {
        return adopt(cluster, existing.get(), spec);
      }
      NodePool original = getPool(cluster, spec.copyConfigFrom());
      // Terraform's label is not copied: the temporary pool is created here, never by Terraform,
      // and a label saying otherwise would send people looking for it in their state
      NodeConfig config = original.getConfig().toBuilder()
          .setMachineType(spec.machineType())
          .putLabels(TEMP_POOL_LABEL, spec.copyConfigFrom())
          .removeResourceLabels(PoolState.TERRAFORM_LABEL)
          .build();
      NodePool pool = twin(original, spec, config);
      runOperation(cluster, Operation.Type.CREATE_NODE_POOL, spec.name(), doing, new Beat("create " + spec.name(), null),
          () -> client.createNodePool(
          CreateNodePoolRequest.newBuilder().setParent(cluster.resourceName()).setNodePool(pool).build()));
      return state(getPool(cluster, spec.name()));
    } catch (ApiException e) {
      throw GkeErrors.translate(e, doing, "container.clusters.update");
    }
  }

  /**
   * What decides where pods may run is copied: the node config (labels, taints, machine type,
   * disk, image, service account, scopes, spot, ...), max pods per node, the network settings
   * (pod range, private nodes) and the placement policy, in the spec's zones. Not copied: the
   * autoscaling (the temporary pool has the size the plan gives it, so no autoscaler shrinks it
   * under moved pods), the upgrade settings and initialNodeCount.
   */
  static NodePool twin(NodePool original, TempPoolSpec spec, NodeConfig config) {
    NodePool.Builder pool = NodePool.newBuilder()
        .setName(spec.name())
        .setConfig(config)
        .setInitialNodeCount(spec.nodeCountPerZone())
        .addAllLocations(spec.locations())
        .setVersion(spec.version())
        .setManagement(original.getManagement());
    if (original.hasMaxPodsConstraint()) {
      pool.setMaxPodsConstraint(original.getMaxPodsConstraint());
    }
    if (original.hasNetworkConfig()) {
      // the pod range is shared, never created a second time; GKE fills in the CIDR itself
      pool.setNetworkConfig(original.getNetworkConfig().toBuilder().setCreatePodRange(false).clearPodIpv4CidrBlock());
    }
    if (original.hasPlacementPolicy()) {
      pool.setPlacementPolicy(original.getPlacementPolicy());
    }
    return pool.build();
  }

  /** A pool of that name from an earlier cycle (or attempt): usable if it is the same kind of pool. */
  private PoolState adopt(ClusterRef cluster, NodePool existing, TempPoolSpec spec) {
    boolean sameMachine = existing.getConfig().getMachineType().equals(spec.machineType());
    boolean sameZones = new HashSet<>(existing.getLocationsList()).equals(new HashSet<>(spec.locations()));
    if (!sameMachine || !sameZones) {
      throw ApplicationFailure.newNonRetryableFailure("pool " + spec.name() + " already exists as "
          + existing.getConfig().getMachineType() + " in " + existing.getLocationsList() + ", but the plan needs "
          + spec.machineType() + " in " + spec.locations()
          + ": delete that pool or set tempPool.name to another name", FailureTypes.POOL_SPEC_MISMATCH);
    }
    log.info("adopting existing pool {}", spec.name());
    awaitRunningOperation(cluster, spec.name(), new Beat("adopt " + spec.name(), null));
    NodePool current = getPool(cluster, spec.name());
    // initialNodeCount is what the pool was created with; what it has now is in its nodes
    Map<String, Integer> perZone = nodes.perZone(spec.name());
    boolean sized = spec.locations().stream().allMatch(z -> perZone.getOrDefault(z, 0) == spec.nodeCountPerZone());
    if (!sized) {
      return resizePool(cluster, spec.name(), spec.nodeCountPerZone());
    }
    return state(current);
  }

  /**
   * The pool is empty when the cycle upgrades it, so its own upgrade strategy only costs time and
   * quota: surge with maxSurge 1 replaces one node at a time on top of the temporary pool, and
   * blue-green doubles the pool. It is upgraded all at once (surge, maxSurge 0, maxUnavailable =
   * its node count), then gets its own settings back exactly. The settings as they were travel in
   * the heartbeat, so a retried attempt puts back the original and not the all-at-once ones.
   */
  @Override
  public PoolState upgradePool(ClusterRef cluster, String pool, String version) {
    String doing = "upgrading pool " + pool + " to " + version;
    try {
      ActivityExecutionContext context = Activity.getExecutionContext();
      Optional<OperationHeartbeat> previous = context.getHeartbeatDetails(OperationHeartbeat.class);
      NodePool current = getPool(cluster, pool);
      NodePool.UpgradeSettings original = previous.map(OperationHeartbeat::saved).map(UpgradeSettingsCodec::decode)
          .orElse(current.getUpgradeSettings());
      Beat beat = new Beat(null, UpgradeSettingsCodec.encode(original));
      context.heartbeat(new OperationHeartbeat(null, "read settings", null, beat.saved()));
      if (previous.isPresent() && previous.get().operation() != null) {
        log.info("{}: resuming the wait for {}", doing, previous.get().operation());
        await(cluster, previous.get().operation(), doing, beat);
      }
      awaitRunningOperation(cluster, pool, beat);
      current = getPool(cluster, pool);
      if (!current.getVersion().equals(version)) {
        NodePool.UpgradeSettings allAtOnce = allAtOnce(pool);
        if (!current.getUpgradeSettings().equals(allAtOnce)) {
          startAndAwait(cluster, Operation.Type.UPDATE_CLUSTER, pool, doing + " (all nodes at once)",
              beat.step("all-at-once " + pool), () -> client.updateNodePool(UpdateNodePoolRequest.newBuilder()
                  .setName(cluster.poolResourceName(pool)).setUpgradeSettings(allAtOnce).build()));
        }
        NodePool before = current;
        try {
          startAndAwait(cluster, Operation.Type.UPGRADE_NODES, pool, doing, beat.step("upgrade " + pool),
              () -> client.updateNodePool(UpdateNodePoolRequest.newBuilder().setName(cluster.poolResourceName(pool))
                  .setNodeVersion(version).setImageType(before.getConfig().getImageType()).build()));
        } catch (ApplicationFailure failed) {
          // a failed upgrade ends the cycle's use of the pool: it must not keep the all-at-once settings
          try {
            putSettingsBack(cluster, pool, original, doing, beat);
          } catch (RuntimeException alsoFailed) {
            log.warn("{}: could not put the upgrade settings back after the failure", doing, alsoFailed);
          }
          throw failed;
        }
      }
      putSettingsBack(cluster, pool, original, doing, beat);
      return state(getPool(cluster, pool));
    } catch (ApiException e) {
      throw GkeErrors.translate(e, doing, "container.clusters.update");
    }
  }

  private void putSettingsBack(ClusterRef cluster, String pool, NodePool.UpgradeSettings original, String doing,
      Beat beat) {
    if (!getPool(cluster, pool).getUpgradeSettings().equals(original)) {
      startAndAwait(cluster, Operation.Type.UPDATE_CLUSTER, pool, doing + " (putting its upgrade settings back)",
          beat.step("restore " + pool), () -> client.updateNodePool(UpdateNodePoolRequest.newBuilder()
              .setName(cluster.poolResourceName(pool)).setUpgradeSettings(original).build()));
    }
  }

  /** Surge with no surge node: every node of the (empty) pool may be down at once. */
  private NodePool.UpgradeSettings allAtOnce(String pool) {
    int size = nodes.perZone(pool).values().stream().mapToInt(Integer::intValue).sum();
    return NodePool.UpgradeSettings.newBuilder().setStrategy(NodePoolUpdateStrategy.SURGE)
        .setMaxSurge(0).setMaxUnavailable(Math.max(1, size)).build();
  }

  @Override
  public PoolAutoscaling holdPoolSize(ClusterRef cluster, String pool) {
    String doing = "taking pool " + pool + " away from the cluster autoscaler";
    try {
      ActivityExecutionContext context = Activity.getExecutionContext();
      Optional<OperationHeartbeat> previous = context.getHeartbeatDetails(OperationHeartbeat.class);
      NodePoolAutoscaling original = previous.map(OperationHeartbeat::saved).map(AutoscalingCodec::decode)
          .orElse(getPool(cluster, pool).getAutoscaling());
      Beat beat = new Beat("hold " + pool, AutoscalingCodec.encode(original));
      context.heartbeat(new OperationHeartbeat(null, "read autoscaling", null, beat.saved()));
      if (getPool(cluster, pool).getAutoscaling().getEnabled()) {
        // Off, the pool keeps the size it has: GKE leaves the instance groups as they are.
        runOperation(cluster, Operation.Type.UPDATE_CLUSTER, pool, doing, beat, () -> client.setNodePoolAutoscaling(
            SetNodePoolAutoscalingRequest.newBuilder().setName(cluster.poolResourceName(pool))
                .setAutoscaling(NodePoolAutoscaling.newBuilder().setEnabled(false)).build()));
      }
      return AutoscalingCodec.toModel(original);
    } catch (ApiException e) {
      throw GkeErrors.translate(e, doing, "container.clusters.update");
    }
  }

  @Override
  public void restoreAutoscaling(ClusterRef cluster, String pool, PoolAutoscaling original) {
    String doing = "putting back the autoscaling of pool " + pool;
    try {
      NodePoolAutoscaling wanted = AutoscalingCodec.toProto(original);
      if (getPool(cluster, pool).getAutoscaling().equals(wanted)) {
        return;
      }
      runOperation(cluster, Operation.Type.UPDATE_CLUSTER, pool, doing, new Beat("restore autoscaling " + pool, null),
          () -> client.setNodePoolAutoscaling(SetNodePoolAutoscalingRequest.newBuilder()
              .setName(cluster.poolResourceName(pool)).setAutoscaling(wanted).build()));
    } catch (NotFoundException gone) {
      log.info("pool {} is gone, no autoscaling to put back", pool);
    } catch (ApiException e) {
      throw GkeErrors.translate(e, doing, "container.clusters.update");
    }
  }

  @Override
  public PoolState resizePool(ClusterRef cluster, String pool, int nodeCountPerZone) {
    String doing = "resizing pool " + pool + " to " + nodeCountPerZone + " node(s) per zone";
    try {
      runOperation(cluster, Operation.Type.SET_NODE_POOL_SIZE, pool, doing, new Beat("resize " + pool, null),
          () -> client.setNodePoolSize(
          SetNodePoolSizeRequest.newBuilder().setName(cluster.poolResourceName(pool)).setNodeCount(nodeCountPerZone)
              .build()));
      return state(getPool(cluster, pool));
    } catch (ApiException e) {
      throw GkeErrors.translate(e, doing, "container.clusters.update");
    }
  }

  @Override
  public void deletePool(ClusterRef cluster, String pool) {
    String doing = "deleting pool " + pool;
    try {
      if (findPool(cluster, pool).isEmpty()) {
        return;
      }
      runOperation(cluster, Operation.Type.DELETE_NODE_POOL, pool, doing, new Beat("delete " + pool, null),
          () -> client.deleteNodePool(
          DeleteNodePoolRequest.newBuilder().setName(cluster.poolResourceName(pool)).build()));
    } catch (NotFoundException alreadyGone) {
      log.info("pool {} is gone", pool);
    } catch (ApiException e) {
      throw GkeErrors.translate(e, doing, "container.clusters.update");
    }
  }

  /** What a heartbeat carries besides the operation: the step it belongs to and state to keep. */
  record Beat(String step, String saved) {
    Beat step(String name) {
      return new Beat(name, saved);
    }
  }

  /**
   * Starts an operation and waits for it — unless an earlier attempt already started one for the
   * same step (its name is in the heartbeat details), or one of the same type on the same pool is
   * running already (an attempt that crashed between the call and its first heartbeat).
   */
  private void runOperation(ClusterRef cluster, Operation.Type type, String pool, String doing, Beat beat,
      Supplier<Operation> start) {
    ActivityExecutionContext context = Activity.getExecutionContext();
    Optional<OperationHeartbeat> previous = context.getHeartbeatDetails(OperationHeartbeat.class);
    // a heartbeat without a step is from a version that ran one operation per activity
    if (previous.isPresent() && previous.get().operation() != null
        && (previous.get().step() == null || previous.get().step().equals(beat.step()))) {
      log.info("{}: resuming the wait for {}", doing, previous.get().operation());
      await(cluster, previous.get().operation(), doing, beat);
      return;
    }
    startAndAwait(cluster, type, pool, doing, beat, start);
  }

  private void startAndAwait(ClusterRef cluster, Operation.Type type, String pool, String doing, Beat beat,
      Supplier<Operation> start) {
    Optional<Operation> running = operationsOn(cluster, pool).stream()
        .filter(op -> op.getOperationType() == type).findFirst();
    Operation operation = running.orElseGet(start);
    Activity.getExecutionContext().heartbeat(new OperationHeartbeat(operation.getName(), "started", beat.step(),
        beat.saved()));
    await(cluster, operation.getName(), doing, beat);
  }

  /** Waits for whatever runs on the pool now; true if there was something. */
  private boolean awaitRunningOperation(ClusterRef cluster, String pool, Beat beat) {
    List<Operation> running = operationsOn(cluster, pool);
    running.forEach(op -> await(cluster, op.getName(), "waiting for " + op.getOperationType() + " on " + pool,
        beat.step("await " + op.getName())));
    return !running.isEmpty();
  }

  private List<Operation> operationsOn(ClusterRef cluster, String pool) {
    return client.listOperations(ListOperationsRequest.newBuilder().setParent(locationName(cluster)).build())
        .getOperationsList().stream()
        .filter(op -> op.getStatus() != Operation.Status.DONE && OperationTargets.isPool(op, cluster, pool))
        .toList();
  }

  private void await(ClusterRef cluster, String operation, String doing, Beat beat) {
    ActivityExecutionContext context = Activity.getExecutionContext();
    String name = locationName(cluster) + "/operations/" + operation;
    while (true) {
      Operation op = client.getOperation(GetOperationRequest.newBuilder().setName(name).build());
      context.heartbeat(new OperationHeartbeat(operation, progress(op), beat.step(), beat.saved()));
      if (op.getStatus() == Operation.Status.DONE) {
        String error = op.hasError() && !op.getError().getMessage().isEmpty()
            ? op.getError().getMessage() : op.getStatusMessage();
        if (!error.isEmpty()) {
          throw ApplicationFailure.newNonRetryableFailure(doing + ": operation " + operation + " failed: " + error,
              FailureTypes.OPERATION_FAILED);
        }
        return;
      }
      sleep(pollInterval);
    }
  }

  private static String progress(Operation op) {
    StringBuilder out = new StringBuilder(op.getStatus().name());
    for (OperationProgress.Metric metric : op.getProgress().getMetricsList()) {
      out.append(' ').append(metric.getName()).append('=').append(metric.getIntValue());
    }
    return out.toString();
  }

  private NodePool getPool(ClusterRef cluster, String pool) {
    return client.getNodePool(GetNodePoolRequest.newBuilder().setName(cluster.poolResourceName(pool)).build());
  }

  private Optional<NodePool> findPool(ClusterRef cluster, String pool) {
    try {
      return Optional.of(getPool(cluster, pool));
    } catch (NotFoundException e) {
      return Optional.empty();
    }
  }

  private static String locationName(ClusterRef cluster) {
    return "projects/" + cluster.project() + "/locations/" + cluster.location();
  }

  /** The pool's size per zone is what its nodes are now (the most in any of its zones). */
  PoolState state(NodePool pool) {
    int perZone = nodes.perZone(pool.getName()).values().stream().mapToInt(Integer::intValue).max().orElse(0);
    return new PoolState(pool.getName(), pool.getStatus().name(), pool.getVersion(), pool.getConfig().getMachineType(),
        perZone, List.copyOf(pool.getLocationsList()), pool.getAutoscaling().getEnabled(),
        "true".equals(pool.getConfig().getResourceLabelsMap().get(PoolState.TERRAFORM_LABEL)));
  }

  private static void sleep(Duration duration) {
    try {
      Thread.sleep(duration.toMillis());
    } catch (InterruptedException e) {
      Thread.currentThread().interrupt();
      throw ApplicationFailure.newFailure("interrupted while waiting for GKE", "Interrupted");
    }
  }
}
