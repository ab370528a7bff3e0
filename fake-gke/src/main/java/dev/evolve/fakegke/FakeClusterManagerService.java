package dev.evolve.fakegke;

import com.google.container.v1.CancelOperationRequest;
import com.google.container.v1.Cluster;
import com.google.container.v1.ClusterManagerGrpc;
import com.google.container.v1.CreateNodePoolRequest;
import com.google.container.v1.DeleteNodePoolRequest;
import com.google.container.v1.GetClusterRequest;
import com.google.container.v1.GetNodePoolRequest;
import com.google.container.v1.GetOperationRequest;
import com.google.container.v1.GetServerConfigRequest;
import com.google.container.v1.ListNodePoolsRequest;
import com.google.container.v1.ListNodePoolsResponse;
import com.google.container.v1.ListOperationsRequest;
import com.google.container.v1.ListOperationsResponse;
import com.google.container.v1.NodePool;
import com.google.container.v1.Operation;
import com.google.container.v1.ServerConfig;
import com.google.container.v1.NodePoolAutoscaling;
import com.google.container.v1.SetNodePoolAutoscalingRequest;
import com.google.container.v1.SetNodePoolSizeRequest;
import com.google.container.v1.UpdateNodePoolRequest;
import com.google.protobuf.Empty;
import dev.evolve.workflows.plan.NodeVersion;
import io.grpc.Status;
import io.grpc.StatusRuntimeException;
import io.grpc.stub.StreamObserver;
import java.util.ArrayList;
import java.util.List;
import java.util.Optional;
import java.util.function.Supplier;

/** The ClusterManager RPCs the project uses, answered the way GKE answers them. */
final class FakeClusterManagerService extends ClusterManagerGrpc.ClusterManagerImplBase {

  private final FakeGke gke;

  FakeClusterManagerService(FakeGke gke) {
    this.gke = gke;
  }

  @Override
  public void getCluster(GetClusterRequest request, StreamObserver<Cluster> response) {
    answer("GetCluster", response, () -> {
      requireCluster(request.getName());
      return Cluster.newBuilder()
          .setName(gke.cluster)
          .setLocation(gke.location)
          .addAllLocations(gke.zones)
          .setCurrentMasterVersion(gke.controlPlaneVersion)
          .setStatus(gke.running().isPresent() ? Cluster.Status.RECONCILING : Cluster.Status.RUNNING)
          .addAllNodePools(gke.pools().stream().map(p -> p.toProto(gke.poolName(p.name), gke.project)).toList())
          .build();
    });
  }

  @Override
  public void listNodePools(ListNodePoolsRequest request, StreamObserver<ListNodePoolsResponse> response) {
    answer("ListNodePools", response, () -> {
      requireCluster(request.getParent());
      return ListNodePoolsResponse.newBuilder()
          .addAllNodePools(gke.pools().stream().map(p -> p.toProto(gke.poolName(p.name), gke.project)).toList()).build();
    });
  }

  @Override
  public void getNodePool(GetNodePoolRequest request, StreamObserver<NodePool> response) {
    answer("GetNodePool", response, () -> {
      FakePool pool = requirePool(request.getName());
      return pool.toProto(request.getName(), gke.project);
    });
  }

  @Override
  public void getServerConfig(GetServerConfigRequest request, StreamObserver<ServerConfig> response) {
    answer("GetServerConfig", response, () -> ServerConfig.newBuilder()
        .setDefaultClusterVersion(gke.controlPlaneVersion)
        .addAllValidNodeVersions(gke.validNodeVersions)
        .addValidMasterVersions(gke.controlPlaneVersion)
        .build());
  }

  @Override
  public void createNodePool(CreateNodePoolRequest request, StreamObserver<Operation> response) {
    answer("CreateNodePool", response, () -> {
      requireCluster(request.getParent());
      NodePool spec = request.getNodePool();
      synchronized (gke) {
        requireNotBusy();
        if (gke.pool(spec.getName()) != null) {
          throw Status.ALREADY_EXISTS.withDescription("Already exists: " + gke.poolName(spec.getName()) + ".")
              .asRuntimeException();
        }
        String version = spec.getVersion().isEmpty() ? gke.controlPlaneVersion : checkedVersion(spec.getVersion());
        List<String> locations = spec.getLocationsCount() > 0 ? spec.getLocationsList() : gke.zones;
        FakePool pool = new FakePool(spec, locations, version, NodePool.Status.PROVISIONING);
        gke.addPool(pool);
        List<Runnable> steps = new ArrayList<>();
        for (String zone : locations) {
          for (int i = 0; i < spec.getInitialNodeCount(); i++) {
            steps.add(gke.addNode(pool, zone));
          }
        }
        steps.add(() -> pool.status = NodePool.Status.RUNNING);
        return gke.begin(Operation.Type.CREATE_NODE_POOL, spec.getName(), steps.toArray(Runnable[]::new)).toProto();
      }
    });
  }

  @Override
  public void updateNodePool(UpdateNodePoolRequest request, StreamObserver<Operation> response) {
    answer("UpdateNodePool", response, () -> {
      FakePool pool = requirePool(request.getName());
      synchronized (gke) {
        requireNotBusy();
        if (request.getNodeVersion().isEmpty() && request.hasUpgradeSettings()) {
          // a settings-only update: GKE records it, no node changes
          NodePool.UpgradeSettings settings = checkedUpgradeSettings(request.getUpgradeSettings());
          return gke.begin(Operation.Type.UPDATE_CLUSTER, pool.name, () -> pool.upgradeSettings = settings).toProto();
        }
        String version = checkedVersion(request.getNodeVersion());
        NodePool.UpgradeSettings settings = pool.upgradeSettings;
        gke.recordUpgrade(pool.name, settings);
        pool.status = NodePool.Status.RECONCILING;
        List<Runnable> steps = new ArrayList<>(gke.upgradeSteps(pool, version, settings));
        steps.add(() -> {
          pool.version = version;
          pool.status = NodePool.Status.RUNNING;
        });
        return gke.begin(Operation.Type.UPGRADE_NODES, pool.name, steps.toArray(Runnable[]::new)).toProto();
      }
    });
  }

  @Override
  public void setNodePoolAutoscaling(SetNodePoolAutoscalingRequest request, StreamObserver<Operation> response) {
    answer("SetNodePoolAutoscaling", response, () -> {
      FakePool pool = requirePool(request.getName());
      synchronized (gke) {
        requireNotBusy();
        NodePoolAutoscaling autoscaling = request.getAutoscaling();
        if (autoscaling.getEnabled() && autoscaling.getMaxNodeCount() < autoscaling.getMinNodeCount()
            && autoscaling.getTotalMaxNodeCount() == 0) {
          throw Status.INVALID_ARGUMENT.withDescription("Max node count must be greater than or equal to min node "
              + "count.").asRuntimeException();
        }
        return gke.begin(Operation.Type.UPDATE_CLUSTER, pool.name, () -> pool.autoscaling = autoscaling)
            .toProto();
      }
    });
  }

  @Override
  public void setNodePoolSize(SetNodePoolSizeRequest request, StreamObserver<Operation> response) {
    answer("SetNodePoolSize", response, () -> {
      FakePool pool = requirePool(request.getName());
      synchronized (gke) {
        requireNotBusy();
        int target = request.getNodeCount();
        pool.status = NodePool.Status.RECONCILING;
        List<Runnable> steps = new ArrayList<>();
        for (String zone : pool.locations) {
          for (int i = pool.nodeCountPerZone; i < target; i++) {
            steps.add(gke.addNode(pool, zone));
          }
          for (int i = target; i < pool.nodeCountPerZone; i++) {
            steps.add(gke.removeNode(pool, zone));
          }
        }
        steps.add(() -> {
          pool.nodeCountPerZone = target;
          pool.status = NodePool.Status.RUNNING;
        });
        // the instance groups change; initialNodeCount stays what the pool was created with
        return gke.begin(Operation.Type.SET_NODE_POOL_SIZE, pool.name, steps.toArray(Runnable[]::new)).toProto();
      }
    });
  }

  @Override
  public void deleteNodePool(DeleteNodePoolRequest request, StreamObserver<Operation> response) {
    answer("DeleteNodePool", response, () -> {
      FakePool pool = requirePool(request.getName());
      synchronized (gke) {
        requireNotBusy();
        pool.status = NodePool.Status.STOPPING;
        List<Runnable> steps = new ArrayList<>();
        pool.nodesSnapshot().forEach(n -> steps.add(gke.removeNode(pool, null)));
        steps.add(() -> gke.removePool(pool.name));
        return gke.begin(Operation.Type.DELETE_NODE_POOL, pool.name, steps.toArray(Runnable[]::new)).toProto();
      }
    });
  }

  @Override
  public void getOperation(GetOperationRequest request, StreamObserver<Operation> response) {
    answer("GetOperation", response, () -> {
      String name = request.getName().substring(request.getName().lastIndexOf('/') + 1);
      return gke.operations().stream().filter(op -> op.name.equals(name)).findFirst()
          .orElseThrow(() -> Status.NOT_FOUND.withDescription("Not found: " + request.getName() + ".")
              .asRuntimeException())
          .toProto();
    });
  }

  @Override
  public void listOperations(ListOperationsRequest request, StreamObserver<ListOperationsResponse> response) {
    answer("ListOperations", response, () -> ListOperationsResponse.newBuilder()
        .addAllOperations(gke.operations().stream().map(FakeOperation::toProto).toList()).build());
  }

  @Override
  public void cancelOperation(CancelOperationRequest request, StreamObserver<Empty> response) {
    answer("CancelOperation", response, () -> {
      gke.faultsForService().release();
      return Empty.getDefaultInstance();
    });
  }

  // ---- GKE's rules ----

  /** GKE runs one mutating operation per cluster and says so in these words. */
  private void requireNotBusy() {
    Optional<FakeOperation> running = gke.running();
    if (running.isPresent()) {
      FakeOperation op = running.get();
      String text = op.type == Operation.Type.UPGRADE_NODES || op.type == Operation.Type.SET_NODE_POOL_SIZE
          ? "Operation " + op.name + " is currently " + op.busyVerb() + " " + gke.cluster
              + ". Please wait and try again once it is done."
          : "Operation " + op.name + " is currently " + op.busyVerb() + " in cluster " + gke.cluster
              + ". Please wait and try again once it is done.";
      throw Status.FAILED_PRECONDITION.withDescription(text).asRuntimeException();
    }
  }

  /** Surge needs room to work: maxSurge and maxUnavailable may not both be 0, nor negative. */
  private static NodePool.UpgradeSettings checkedUpgradeSettings(NodePool.UpgradeSettings settings) {
    boolean blueGreen = settings.getStrategy() == com.google.container.v1.NodePoolUpdateStrategy.BLUE_GREEN;
    if (!blueGreen && (settings.getMaxSurge() < 0 || settings.getMaxUnavailable() < 0
        || settings.getMaxSurge() + settings.getMaxUnavailable() == 0)) {
      throw Status.INVALID_ARGUMENT.withDescription("Invalid upgrade settings: max_surge and max_unavailable must be "
          + "non-negative and not both 0.").asRuntimeException();
    }
    return settings;
  }

  /** A node version must be offered, never above the control plane, at most two minors below it. */
  private String checkedVersion(String requested) {
    String version = gke.resolveVersion(requested).orElseThrow(() -> Status.INVALID_ARGUMENT
        .withDescription("Node version \"" + requested + "\" is unsupported.").asRuntimeException());
    NodeVersion node = NodeVersion.parse(version).orElseThrow();
    NodeVersion master = NodeVersion.parse(gke.controlPlaneVersion).orElseThrow();
    if (node.compareTo(master) > 0) {
      throw Status.INVALID_ARGUMENT.withDescription("desired node version " + version
          + " cannot be greater than current master version " + gke.controlPlaneVersion).asRuntimeException();
    }
    if (node.minorsBehind(master) > 2) {
      throw Status.INVALID_ARGUMENT.withDescription("desired node version " + version
          + " is more than 2 minor versions behind current master version " + gke.controlPlaneVersion)
          .asRuntimeException();
    }
    if (!gke.validNodeVersions.contains(version)) {
      throw Status.INVALID_ARGUMENT.withDescription("Node version \"" + version + "\" is unsupported.")
          .asRuntimeException();
    }
    return version;
  }

  private void requireCluster(String name) {
    if (!name.equals(gke.clusterName())) {
      throw Status.NOT_FOUND.withDescription("Not found: " + name + ".").asRuntimeException();
    }
  }

  private FakePool requirePool(String name) {
    String prefix = gke.clusterName() + "/nodePools/";
    FakePool pool = name.startsWith(prefix) ? gke.pool(name.substring(prefix.length())) : null;
    if (pool == null) {
      throw Status.NOT_FOUND.withDescription("Not found: " + name + ".").asRuntimeException();
    }
    return pool;
  }

  private <T> void answer(String rpc, StreamObserver<T> response, Supplier<T> body) {
    Status injected = gke.faultsForService().takeRejection(rpc);
    if (injected != null) {
      response.onError(injected.asRuntimeException());
      return;
    }
    try {
      T value = body.get();
      response.onNext(value);
      response.onCompleted();
    } catch (StatusRuntimeException e) {
      response.onError(e);
    }
  }
}
