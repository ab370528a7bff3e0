package dev.evolve.sandbox.sim;

import io.fabric8.kubernetes.api.model.HasMetadata;
import io.fabric8.kubernetes.api.model.Node;
import io.fabric8.kubernetes.api.model.OwnerReference;
import io.fabric8.kubernetes.api.model.PersistentVolume;
import io.fabric8.kubernetes.api.model.PersistentVolumeClaim;
import io.fabric8.kubernetes.api.model.Pod;
import io.fabric8.kubernetes.api.model.apps.DaemonSet;
import io.fabric8.kubernetes.api.model.apps.Deployment;
import io.fabric8.kubernetes.api.model.apps.ReplicaSet;
import io.fabric8.kubernetes.api.model.apps.StatefulSet;
import io.fabric8.kubernetes.api.model.policy.v1.PodDisruptionBudget;
import io.fabric8.kubernetes.client.KubernetesClient;
import java.util.List;
import java.util.function.Supplier;

/**
 * The cluster as the simulation last read it, list by list, read again only after someone
 * wrote: controllers act on fresh state without listing everything for every decision.
 */
public final class ClusterView {

  private final KubernetesClient client;
  private List<Node> nodes;
  private List<Pod> pods;
  private List<Deployment> deployments;
  private List<ReplicaSet> replicaSets;
  private List<StatefulSet> statefulSets;
  private List<DaemonSet> daemonSets;
  private List<PodDisruptionBudget> pdbs;
  private List<PersistentVolumeClaim> pvcs;
  private List<PersistentVolume> pvs;

  public ClusterView(KubernetesClient client) {
    this.client = client;
  }

  public KubernetesClient client() {
    return client;
  }

  /** Forget everything read so far: the next read lists again. */
  public void invalidate() {
    nodes = null;
    pods = null;
    deployments = null;
    replicaSets = null;
    statefulSets = null;
    daemonSets = null;
    pdbs = null;
    pvcs = null;
    pvs = null;
  }

  public List<Node> nodes() {
    return nodes = read(nodes, () -> client.nodes().list().getItems());
  }

  public Node node(String name) {
    return nodes().stream().filter(n -> n.getMetadata().getName().equals(name)).findFirst().orElse(null);
  }

  public List<Pod> pods() {
    return pods = read(pods, () -> client.pods().inAnyNamespace().list().getItems());
  }

  public List<Pod> activePods() {
    return pods().stream().filter(Objects::isActive).toList();
  }

  public List<Deployment> deployments() {
    return deployments = read(deployments, () -> client.apps().deployments().inAnyNamespace().list().getItems());
  }

  public List<ReplicaSet> replicaSets() {
    return replicaSets = read(replicaSets, () -> client.apps().replicaSets().inAnyNamespace().list().getItems());
  }

  public List<StatefulSet> statefulSets() {
    return statefulSets = read(statefulSets, () -> client.apps().statefulSets().inAnyNamespace().list().getItems());
  }

  public List<DaemonSet> daemonSets() {
    return daemonSets = read(daemonSets, () -> client.apps().daemonSets().inAnyNamespace().list().getItems());
  }

  public List<PodDisruptionBudget> pdbs() {
    return pdbs = read(pdbs, () -> client.policy().v1().podDisruptionBudget().inAnyNamespace().list().getItems());
  }

  public List<PersistentVolumeClaim> pvcs() {
    return pvcs = read(pvcs, () -> client.persistentVolumeClaims().inAnyNamespace().list().getItems());
  }

  public List<PersistentVolume> pvs() {
    return pvs = read(pvs, () -> client.persistentVolumes().list().getItems());
  }

  /** "namespace/Kind/name" of the workload that owns the pod, following ReplicaSet to Deployment. */
  public String workloadOf(Pod pod) {
    return Workloads.of(pod, replicaSets());
  }

  private static <T extends HasMetadata> List<T> read(List<T> cached, Supplier<List<T>> list) {
    return cached != null ? cached : list.get();
  }

  static OwnerReference controller(HasMetadata object) {
    return Objects.controllerOf(object);
  }
}
