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
import com.google.container.v1.Operation;
import com.google.container.v1.OperationProgress;
import com.google.container.v1.SetNodePoolSizeRequest;
import com.google.container.v1.UpdateNodePoolRequest;
import dev.evolve.workflows.activities.FailureTypes;
import dev.evolve.workflows.activities.GkeActivities;
import dev.evolve.workflows.model.ClusterRef;
import dev.evolve.workflows.model.ClusterState;
import dev.evolve.workflows.model.OperationInfo;
import dev.evolve.workflows.model.PoolState;
import dev.evolve.workflows.model.TempPoolSpec;
import io.temporal.activity.Activity;
import io.temporal.activity.ActivityExecutionContext;
import io.temporal.failure.ApplicationFailure;
import java.time.Duration;
import java.util.HashSet;
import java.util.List;
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

  public GkeActivitiesImpl(ClusterManagerClient client) {
    this(client, Duration.ofSeconds(10));
  }

  public GkeActivitiesImpl(ClusterManagerClient client, Duration pollInterval) {
    this.client = client;
    this.pollInterval = pollInterval;
  }

  @Override
  public ClusterState describeCluster(ClusterRef cluster) {
    String doing = "reading cluster " + cluster;
    try {
      Cluster c = client.getCluster(GetClusterRequest.newBuilder().setName(cluster.resourceName()).build());
      List<String> versions = client.getServerConfig(GetServerConfigRequest.newBuilder()
          .setName(locationName(cluster)).build()).getValidNodeVersionsList();
      List<OperationInfo> inFlight = client.listOperations(ListOperationsRequest.newBuilder()
              .setParent(locationName(cluster)).build()).getOperationsList().stream()
          .filter(op -> op.getStatus() != Operation.Status.DONE && concernsCluster(op, cluster))
          .map(op -> new OperationInfo(op.getName(), op.getOperationType().name(), op.getStatus().name(),
              op.getTargetLink()))
          .toList();
      return new ClusterState(c.getName(), c.getStatus().name(), c.getCurrentMasterVersion(),
          c.getNodePoolsList().stream().map(GkeActivitiesImpl::state).toList(), List.copyOf(versions), inFlight);
    } catch (ApiException e) {
      throw GkeErrors.translate(e, doing);
    }
  }

  @Override
  public PoolState createTempPool(ClusterRef cluster, TempPoolSpec spec) {
    String doing = "creating temporary pool " + spec.name();
    try {
      Optional<NodePool> existing = findPool(cluster, spec.name());
      if (existing.isPresent()) {
        return adopt(cluster, existing.get(), spec);
      }
      NodePool original = getPool(cluster, spec.copyConfigFrom());
      NodeConfig config = original.getConfig().toBuilder()
          .setMachineType(spec.machineType())
          .putLabels(TEMP_POOL_LABEL, spec.copyConfigFrom())
          .build();
      NodePool pool = NodePool.newBuilder()
          .setName(spec.name())
          .setConfig(config)
          .setInitialNodeCount(spec.nodeCountPerZone())
          .addAllLocations(spec.locations())
          .setVersion(spec.version())
          .setManagement(original.getManagement())
          .build();
      runOperation(cluster, Operation.Type.CREATE_NODE_POOL, spec.name(), doing, () -> client.createNodePool(
          CreateNodePoolRequest.newBuilder().setParent(cluster.resourceName()).setNodePool(pool).build()));
      return state(getPool(cluster, spec.name()));
    } catch (ApiException e) {
      throw GkeErrors.translate(e, doing);
    }
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
    awaitRunningOperation(cluster, spec.name());
    NodePool current = getPool(cluster, spec.name());
    if (current.getInitialNodeCount() != spec.nodeCountPerZone()) {
      return resizePool(cluster, spec.name(), spec.nodeCountPerZone());
    }
    return state(current);
  }

  @Override
  public PoolState upgradePool(ClusterRef cluster, String pool, String version) {
    String doing = "upgrading pool " + pool + " to " + version;
    try {
      NodePool current = getPool(cluster, pool);
      if (!current.getVersion().equals(version) || awaitRunningOperation(cluster, pool)) {
        runOperation(cluster, Operation.Type.UPGRADE_NODES, pool, doing, () -> client.updateNodePool(
            UpdateNodePoolRequest.newBuilder().setName(cluster.poolResourceName(pool)).setNodeVersion(version)
                .setImageType(current.getConfig().getImageType()).build()));
      }
      return state(getPool(cluster, pool));
    } catch (ApiException e) {
      throw GkeErrors.translate(e, doing);
    }
  }

  @Override
  public PoolState resizePool(ClusterRef cluster, String pool, int nodeCountPerZone) {
    String doing = "resizing pool " + pool + " to " + nodeCountPerZone + " node(s) per zone";
    try {
      runOperation(cluster, Operation.Type.SET_NODE_POOL_SIZE, pool, doing, () -> client.setNodePoolSize(
          SetNodePoolSizeRequest.newBuilder().setName(cluster.poolResourceName(pool)).setNodeCount(nodeCountPerZone)
              .build()));
      return state(getPool(cluster, pool));
    } catch (ApiException e) {
      throw GkeErrors.translate(e, doing);
    }
  }

  @Override
  public void deletePool(ClusterRef cluster, String pool) {
    String doing = "deleting pool " + pool;
    try {
      if (findPool(cluster, pool).isEmpty()) {
        return;
      }
      runOperation(cluster, Operation.Type.DELETE_NODE_POOL, pool, doing, () -> client.deleteNodePool(
          DeleteNodePoolRequest.newBuilder().setName(cluster.poolResourceName(pool)).build()));
    } catch (NotFoundException alreadyGone) {
      log.info("pool {} is gone", pool);
    } catch (ApiException e) {
      throw GkeErrors.translate(e, doing);
    }
  }

  /**
   * Starts an operation and waits for it — unless an earlier attempt already started one (its
   * name is in the heartbeat details), or one of the same type on the same pool is running
   * already (an attempt that crashed between the call and its first heartbeat).
   */
  private void runOperation(ClusterRef cluster, Operation.Type type, String pool, String doing,
      Supplier<Operation> start) {
    ActivityExecutionContext context = Activity.getExecutionContext();
    Optional<OperationHeartbeat> previous = context.getHeartbeatDetails(OperationHeartbeat.class);
    if (previous.isPresent() && previous.get().operation() != null) {
      log.info("{}: resuming the wait for {}", doing, previous.get().operation());
      await(cluster, previous.get().operation(), doing);
      return;
    }
    Optional<Operation> running = operationsOn(cluster, pool).stream()
        .filter(op -> op.getOperationType() == type).findFirst();
    Operation operation = running.orElseGet(start);
    context.heartbeat(new OperationHeartbeat(operation.getName(), "started"));
    await(cluster, operation.getName(), doing);
  }

  /** Waits for whatever runs on the pool now; true if there was something. */
  private boolean awaitRunningOperation(ClusterRef cluster, String pool) {
    List<Operation> running = operationsOn(cluster, pool);
    running.forEach(op -> await(cluster, op.getName(), "waiting for " + op.getOperationType() + " on " + pool));
    return !running.isEmpty();
  }

  private List<Operation> operationsOn(ClusterRef cluster, String pool) {
    String suffix = "/clusters/" + cluster.cluster() + "/nodePools/" + pool;
    return client.listOperations(ListOperationsRequest.newBuilder().setParent(locationName(cluster)).build())
        .getOperationsList().stream()
        .filter(op -> op.getStatus() != Operation.Status.DONE && op.getTargetLink().endsWith(suffix))
        .toList();
  }

  private void await(ClusterRef cluster, String operation, String doing) {
    ActivityExecutionContext context = Activity.getExecutionContext();
    String name = locationName(cluster) + "/operations/" + operation;
    while (true) {
      Operation op = client.getOperation(GetOperationRequest.newBuilder().setName(name).build());
      context.heartbeat(new OperationHeartbeat(operation, progress(op)));
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

  private static boolean concernsCluster(Operation op, ClusterRef cluster) {
    return op.getTargetLink().contains("/clusters/" + cluster.cluster());
  }

  private static String locationName(ClusterRef cluster) {
    return "projects/" + cluster.project() + "/locations/" + cluster.location();
  }

  static PoolState state(NodePool pool) {
    return new PoolState(pool.getName(), pool.getStatus().name(), pool.getVersion(), pool.getConfig().getMachineType(),
        pool.getInitialNodeCount(), List.copyOf(pool.getLocationsList()), pool.getAutoscaling().getEnabled());
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
