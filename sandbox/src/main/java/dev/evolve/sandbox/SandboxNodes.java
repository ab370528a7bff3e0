package dev.evolve.sandbox;

import io.fabric8.kubernetes.api.model.Node;
import io.fabric8.kubernetes.api.model.NodeBuilder;
import io.fabric8.kubernetes.api.model.Quantity;
import io.fabric8.kubernetes.client.KubernetesClient;
import java.util.Map;

/**
 * Node objects labelled the way GKE labels them (the same labels, Ready condition, kubelet
 * version and allocatable the fake GKE writes), for a cluster without the fake GKE and for tests.
 */
public final class SandboxNodes {

  /** Allocatable {millicores, MiB} of a few machine types, roughly as GKE reports them. */
  private static final Map<String, long[]> ALLOCATABLE = Map.of(
      "e2-standard-2", new long[] {1930, 5930},
      "e2-standard-4", new long[] {3920, 13500},
      "e2-standard-8", new long[] {7910, 28700},
      "n2-standard-4", new long[] {3920, 13500},
      "n2-standard-8", new long[] {7910, 28700});

  private SandboxNodes() {}

  public static Node create(KubernetesClient client, String name, String pool, String zone, String version,
      String machineType) {
    long[] size = ALLOCATABLE.getOrDefault(machineType, ALLOCATABLE.get("e2-standard-4"));
    Quantity cpu = new Quantity(size[0] + "m");
    Quantity memory = new Quantity(size[1] + "Mi");
    return client.nodes().resource(new NodeBuilder()
        .withNewMetadata().withName(name)
          .addToLabels("cloud.google.com/gke-nodepool", pool)
          .addToLabels("topology.kubernetes.io/zone", zone)
          .addToLabels("kubernetes.io/hostname", name)
          .addToLabels("node.kubernetes.io/instance-type", machineType)
        .endMetadata()
        .withNewSpec().endSpec()
        .withNewStatus()
          .addNewCondition().withType("Ready").withStatus("True").withReason("KubeletReady").endCondition()
          .withNewNodeInfo().withKubeletVersion("v" + version).endNodeInfo()
          .addToCapacity("cpu", cpu).addToCapacity("memory", memory).addToCapacity("pods", new Quantity("110"))
          .addToAllocatable("cpu", cpu).addToAllocatable("memory", memory).addToAllocatable("pods", new Quantity("110"))
        .endStatus()
        .build()).create();
  }

  /** A GKE-like node name: gke-CLUSTER-POOL-HASH-SUFFIX. */
  public static String name(String cluster, String pool, String zone, int index) {
    String hash = Integer.toHexString((cluster + pool + zone).hashCode() & 0xfffffff).substring(0, 6);
    return "gke-" + cluster + "-" + pool + "-" + hash + "-" + Integer.toHexString(0x100 + index);
  }
}
