package dev.evolve.fakegke;

import com.google.container.v1.Operation;
import com.google.container.v1.OperationProgress;
import com.google.rpc.Status;

/** One long-running operation, moving PENDING -> RUNNING -> DONE as the fake works through it. */
final class FakeOperation {

  final String name;
  final Operation.Type type;
  final String zone;
  final String targetLink;
  volatile Operation.Status status = Operation.Status.PENDING;
  volatile int done;
  volatile int total;
  volatile String error = "";

  FakeOperation(String name, Operation.Type type, String zone, String targetLink) {
    this.name = name;
    this.type = type;
    this.zone = zone;
    this.targetLink = targetLink;
  }

  boolean isDone() {
    return status == Operation.Status.DONE;
  }

  Operation toProto() {
    Operation.Builder op = Operation.newBuilder()
        .setName(name)
        .setOperationType(type)
        .setStatus(status)
        .setZone(zone)
        .setTargetLink(targetLink)
        .setSelfLink(targetLink.replaceFirst("/clusters/.*", "/operations/" + name))
        .setProgress(OperationProgress.newBuilder()
            .setStatus(status)
            .addMetrics(OperationProgress.Metric.newBuilder().setName("NODES_DONE").setIntValue(done))
            .addMetrics(OperationProgress.Metric.newBuilder().setName("NODES_TOTAL").setIntValue(total)));
    if (!error.isEmpty()) {
      op.setStatusMessage(error).setError(Status.newBuilder().setCode(13).setMessage(error));
    }
    return op.build();
  }

  /** GKE's wording for "busy", used in the FAILED_PRECONDITION a second mutating call gets. */
  String busyVerb() {
    return switch (type) {
      case CREATE_NODE_POOL -> "creating a node pool";
      case DELETE_NODE_POOL -> "deleting a node pool";
      case UPGRADE_NODES -> "upgrading cluster";
      default -> "updating cluster";
    };
  }
}
