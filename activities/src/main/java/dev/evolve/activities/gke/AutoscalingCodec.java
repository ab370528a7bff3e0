package dev.evolve.activities.gke;

import com.google.container.v1.NodePoolAutoscaling;
import com.google.protobuf.InvalidProtocolBufferException;
import dev.evolve.workflows.model.PoolAutoscaling;
import java.util.Base64;

/** A pool's autoscaling between GKE's message, the workflow's record and heartbeat text. */
final class AutoscalingCodec {

  private AutoscalingCodec() {}

  static PoolAutoscaling toModel(NodePoolAutoscaling a) {
    return new PoolAutoscaling(a.getEnabled(), a.getMinNodeCount(), a.getMaxNodeCount(), a.getTotalMinNodeCount(),
        a.getTotalMaxNodeCount(), a.getLocationPolicy() == NodePoolAutoscaling.LocationPolicy.LOCATION_POLICY_UNSPECIFIED
            ? "" : a.getLocationPolicy().name(), a.getAutoprovisioned());
  }

  static NodePoolAutoscaling toProto(PoolAutoscaling a) {
    NodePoolAutoscaling.Builder b = NodePoolAutoscaling.newBuilder().setEnabled(a.enabled())
        .setMinNodeCount(a.minNodeCount()).setMaxNodeCount(a.maxNodeCount())
        .setTotalMinNodeCount(a.totalMinNodeCount()).setTotalMaxNodeCount(a.totalMaxNodeCount())
        .setAutoprovisioned(a.autoprovisioned());
    if (a.locationPolicy() != null && !a.locationPolicy().isEmpty()) {
      b.setLocationPolicy(NodePoolAutoscaling.LocationPolicy.valueOf(a.locationPolicy()));
    }
    return b.build();
  }

  static String encode(NodePoolAutoscaling a) {
    return Base64.getEncoder().encodeToString(a.toByteArray());
  }

  static NodePoolAutoscaling decode(String text) {
    try {
      return NodePoolAutoscaling.parseFrom(Base64.getDecoder().decode(text));
    } catch (InvalidProtocolBufferException e) {
      throw new IllegalStateException("heartbeat holds no autoscaling", e);
    }
  }
}
