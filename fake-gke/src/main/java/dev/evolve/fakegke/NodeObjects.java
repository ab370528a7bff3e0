package dev.evolve.fakegke;

import io.fabric8.kubernetes.api.model.Node;
import io.fabric8.kubernetes.api.model.NodeBuilder;
import io.fabric8.kubernetes.api.model.Quantity;
import io.fabric8.kubernetes.client.KubernetesClient;
import java.util.Map;
import java.util.concurrent.ThreadLocalRandom;

/**
 * The Kubernetes side of a node pool: one Node object per GKE node, labelled the way GKE labels
 * them, so that a cluster (real API server or mock) sees pools appear, change and disappear.
 * Without a client this only makes up names.
 */
final class NodeObjects {

  /** Allocatable CPU (millicores) and memory (MiB) of a few machine types, roughly as GKE reports them. */
  private static final Map<String, long[]> ALLOCATABLE = Map.of(
      "e2-standard-2", new long[] {1930, 5930},
      "e2-standard-4", new long[] {3920, 13500},
      "e2-standard-8", new long[] {7910, 28700},
      "n2-standard-4", new long[] {3920, 13500},
      "n2-standard-8", new long[] {7910, 28700});

  private final KubernetesClient client;
  private final String cluster;

  NodeObjects(KubernetesClient client, String cluster) {
    this.client = client;
    this.cluster = cluster;
  }

  String create(String pool, String zone, String version, String machineType) {
    String name = "gke-" + cluster + "-" + pool + "-" + Integer.toHexString(ThreadLocalRandom.current().nextInt(0x1000, 0xffff))
        + "-" + Integer.toHexString(ThreadLocalRandom.current().nextInt(0x100, 0xfff));
    if (client == null) {
      return name;
    }
    long[] size = ALLOCATABLE.getOrDefault(machineType, ALLOCATABLE.get("e2-standard-4"));
    Quantity cpu = new Quantity(size[0] + "m");
    Quantity memory = new Quantity(size[1] + "Mi");
    Node node = new NodeBuilder()
        .withNewMetadata()
          .withName(name)
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
        .build();
    client.nodes().resource(node).create();
    return name;
  }

  void delete(String name) {
    if (client != null) {
      client.nodes().withName(name).delete();
    }
  }
}
