package dev.evolve.sandbox.observe;

import io.fabric8.kubernetes.api.model.OwnerReference;
import io.fabric8.kubernetes.api.model.Pod;
import io.fabric8.kubernetes.api.model.apps.ReplicaSet;
import java.util.List;

/** Which workload a pod belongs to, named "namespace/Kind/name" as the inventory names it. */
public final class Workloads {

  private Workloads() {}

  public static String of(Pod pod, List<ReplicaSet> replicaSets) {
    String ns = pod.getMetadata().getNamespace();
    OwnerReference owner = Objects.controllerOf(pod);
    if (owner == null) {
      return ns + "/Pod/" + pod.getMetadata().getName();
    }
    if (owner.getKind().equals("ReplicaSet")) {
      ReplicaSet rs = replicaSets.stream().filter(r -> r.getMetadata().getNamespace().equals(ns)
          && r.getMetadata().getName().equals(owner.getName())).findFirst().orElse(null);
      OwnerReference deployment = rs == null ? null : Objects.controllerOf(rs);
      if (deployment != null && deployment.getKind().equals("Deployment")) {
        return ns + "/Deployment/" + deployment.getName();
      }
    }
    return ns + "/" + owner.getKind() + "/" + owner.getName();
  }
}
