package dev.evolve.fakegke;

import com.google.container.v1.NodeConfig;
import com.google.container.v1.NodeTaint;
import io.fabric8.kubernetes.api.model.Node;
import io.fabric8.kubernetes.api.model.NodeBuilder;
import io.fabric8.kubernetes.api.model.Quantity;
import io.fabric8.kubernetes.api.model.Taint;
import io.fabric8.kubernetes.api.model.TaintBuilder;
import io.fabric8.kubernetes.client.KubernetesClient;
import io.fabric8.kubernetes.client.KubernetesClientException;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Locale;
import java.util.Map;
import java.util.concurrent.ThreadLocalRandom;

/**
 * The Kubernetes side of a node pool: one Node object per GKE node, with the labels, taints,
 * capacity and allocatable that GKE gives its nodes, so that a cluster sees pools appear, change
 * and disappear. On a real control plane kwok plays these nodes' kubelets (it reports them Ready
 * and runs the pods bound to them). Without a client this only makes up names.
 */
final class NodeObjects {

  /** vCPUs and memory (GiB) of a few machine types, as GCE sells them. */
  private static final Map<String, double[]> MACHINE_TYPES = Map.of(
      "e2-standard-2", new double[] {2, 8},
      "e2-standard-4", new double[] {4, 16},
      "e2-standard-8", new double[] {8, 32},
      "e2-standard-16", new double[] {16, 64},
      "n2-standard-4", new double[] {4, 16},
      "n2-standard-8", new double[] {8, 32},
      "n2-standard-16", new double[] {16, 64});

  private final KubernetesClient client;
  private final String project;
  private final String region;
  private final String cluster;

  NodeObjects(KubernetesClient client, String project, String location, String cluster) {
    this.client = client;
    this.project = project;
    // A zonal cluster's location is a zone (europe-west1-b); its region drops the last part.
    this.region = location.matches(".*-[a-z]$") ? location.substring(0, location.lastIndexOf('-')) : location;
    this.cluster = cluster;
  }

  String create(String pool, String zone, String version, NodeConfig config, int maxPods) {
    String name = "gke-" + cluster + "-" + pool + "-" + Integer.toHexString(ThreadLocalRandom.current().nextInt(0x1000, 0xffff))
        + "-" + Integer.toHexString(ThreadLocalRandom.current().nextInt(0x100, 0xfff));
    if (client == null) {
      return name;
    }
    String machineType = config.getMachineType().isEmpty() ? "e2-medium" : config.getMachineType();
    double[] size = MACHINE_TYPES.getOrDefault(machineType, new double[] {2, 4});
    Map<String, String> labels = new LinkedHashMap<>(config.getLabelsMap());
    labels.put("cloud.google.com/gke-nodepool", pool);
    labels.put("cloud.google.com/gke-os-distribution", "cos");
    labels.put("cloud.google.com/gke-container-runtime", "containerd");
    labels.put("cloud.google.com/gke-boot-disk", config.getDiskType().isEmpty() ? "pd-balanced" : config.getDiskType());
    labels.put("cloud.google.com/machine-family", machineType.substring(0, machineType.indexOf('-')));
    labels.put("cloud.google.com/gke-max-pods-per-node", String.valueOf(maxPods));
    labels.put("node.kubernetes.io/instance-type", machineType);
    labels.put("topology.kubernetes.io/region", region);
    labels.put("topology.kubernetes.io/zone", zone);
    labels.put("kubernetes.io/arch", "amd64");
    labels.put("kubernetes.io/os", "linux");
    labels.put("kubernetes.io/hostname", name);
    Node node = new NodeBuilder()
        .withNewMetadata().withName(name).withLabels(labels).endMetadata()
        .withNewSpec()
          .withProviderID("gce://" + project + "/" + zone + "/" + name)
          .withTaints(taints(config.getTaintsList()))
        .endSpec()
        .withNewStatus()
          .withNewNodeInfo().withKubeletVersion("v" + version).endNodeInfo()
          .withCapacity(resources(size[0] * 1000, size[1] * 1024, maxPods))
          .withAllocatable(resources(allocatableMillicores(size[0]), allocatableMebibytes(size[1]), maxPods))
        .endStatus()
        .build();
    whileApiServerAway("creating node " + name, () -> {
      try {
        client.nodes().resource(node).create();
      } catch (KubernetesClientException e) {
        if (e.getCode() != 409) { // 409: an earlier attempt got through before its answer was lost
          throw e;
        }
      }
    });
    return name;
  }

  /** The node's kubelet version, as if its kubelet had been replaced in place (the chaos soak's reset). */
  void setKubeletVersion(String name, String version) {
    if (client != null) {
      whileApiServerAway("setting the version of node " + name, () -> client.nodes().withName(name).editStatus(n -> {
        n.getStatus().getNodeInfo().setKubeletVersion("v" + version);
        return n;
      }));
    }
  }

  void delete(String name) {
    if (client != null) {
      whileApiServerAway("deleting node " + name, () -> client.nodes().withName(name).delete());
    }
  }

  /**
   * GKE's machines come and go whether or not the cluster's API server answers at that moment (the
   * chaos soak restarts it mid-operation): the Node object's change is tried again until it does,
   * for up to a minute, rather than failing the operation.
   */
  private static void whileApiServerAway(String what, Runnable change) {
    long deadline = System.nanoTime() + java.util.concurrent.TimeUnit.SECONDS.toNanos(60);
    while (true) {
      try {
        change.run();
        return;
      } catch (KubernetesClientException e) {
        // no answer (connection refused, reset: fabric8 gives no HTTP code then) or a 5xx
        boolean unreachable = e.getCode() < 400 || e.getCode() >= 500;
        if (!unreachable || System.nanoTime() > deadline) {
          throw e;
        }
        try {
          Thread.sleep(250);
        } catch (InterruptedException interrupted) {
          Thread.currentThread().interrupt();
          throw e;
        }
      }
    }
  }

  private static Map<String, Quantity> resources(double millicores, double mebibytes, int pods) {
    return Map.of("cpu", new Quantity(Math.round(millicores) + "m"), "memory", new Quantity(Math.round(mebibytes) + "Mi"),
        "pods", new Quantity(String.valueOf(pods)), "ephemeral-storage", new Quantity("100Gi"));
  }

  private static List<Taint> taints(List<NodeTaint> taints) {
    return taints.stream().map(t -> new TaintBuilder().withKey(t.getKey()).withValue(t.getValue())
        .withEffect(effect(t.getEffect())).build()).toList();
  }

  /** NO_SCHEDULE -> NoSchedule, as GKE writes a node pool's taints onto its nodes. */
  private static String effect(NodeTaint.Effect effect) {
    return switch (effect) {
      case NO_SCHEDULE -> "NoSchedule";
      case PREFER_NO_SCHEDULE -> "PreferNoSchedule";
      case NO_EXECUTE -> "NoExecute";
      default -> effect.name().toLowerCase(Locale.ROOT);
    };
  }

  /** GKE's CPU reservation: 6% of the first core, 1% of the next, 0.5% of the next two, 0.25% above four. */
  static double allocatableMillicores(double cores) {
    double reserved = 60 + 10 * Math.min(Math.max(cores - 1, 0), 1) + 5 * Math.min(Math.max(cores - 2, 0), 2)
        + 2.5 * Math.max(cores - 4, 0);
    return cores * 1000 - reserved;
  }

  /**
   * GKE's memory reservation: 25% of the first 4 GiB, 20% of the next 4, 10% of the next 8, 6% of
   * the next 112, 2% above 128, plus 100 MiB for the eviction threshold.
   */
  static double allocatableMebibytes(double gib) {
    double reserved = 0.25 * Math.min(gib, 4) + 0.20 * clamp(gib - 4, 4) + 0.10 * clamp(gib - 8, 8)
        + 0.06 * clamp(gib - 16, 112) + 0.02 * Math.max(gib - 128, 0);
    return (gib - reserved) * 1024 - 100;
  }

  private static double clamp(double value, double max) {
    return Math.min(Math.max(value, 0), max);
  }
}
