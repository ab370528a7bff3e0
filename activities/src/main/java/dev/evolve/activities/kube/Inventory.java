package dev.evolve.activities.kube;

import dev.evolve.workflows.model.PdbInfo;
import dev.evolve.workflows.model.PoolInventory;
import dev.evolve.workflows.model.Workload;
import dev.evolve.workflows.model.WorkloadRef;
import dev.evolve.workflows.model.WorkloadSelection;
import io.fabric8.kubernetes.api.model.IntOrString;
import io.fabric8.kubernetes.api.model.OwnerReference;
import io.fabric8.kubernetes.api.model.PersistentVolume;
import io.fabric8.kubernetes.api.model.PersistentVolumeClaim;
import io.fabric8.kubernetes.api.model.Pod;
import io.fabric8.kubernetes.api.model.Volume;
import io.fabric8.kubernetes.api.model.apps.Deployment;
import io.fabric8.kubernetes.api.model.apps.ReplicaSet;
import io.fabric8.kubernetes.api.model.apps.StatefulSet;
import io.fabric8.kubernetes.api.model.policy.v1.PodDisruptionBudget;
import io.fabric8.kubernetes.client.KubernetesClient;
import java.util.ArrayList;
import java.util.Comparator;
import java.util.HashMap;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.Objects;
import java.util.TreeSet;

/**
 * What runs on a pool, grouped by the workload that owns it: a pod's ReplicaSet is followed up to
 * its Deployment, DaemonSet pods are only counted (every node runs them), mirror pods are left
 * alone, and pods without an owner are reported as bare pods.
 */
final class Inventory {

  private static final String MIRROR_ANNOTATION = "kubernetes.io/config.mirror";

  private final KubernetesClient client;

  Inventory(KubernetesClient client) {
    this.client = client;
  }

  PoolInventory of(String pool, WorkloadSelection selection) {
    Map<WorkloadRef, List<Pod>> byWorkload = new LinkedHashMap<>();
    Map<String, long[]> daemonSetPerNode = new HashMap<>();
    for (Pod pod : Pools.pods(client, pool)) {
      if (pod.getMetadata().getAnnotations() != null
          && pod.getMetadata().getAnnotations().containsKey(MIRROR_ANNOTATION)) {
        continue;
      }
      WorkloadRef ref = owner(pod);
      if (ref.kind().equals("DaemonSet")) {
        long[] sum = daemonSetPerNode.computeIfAbsent(pod.getSpec().getNodeName(), n -> new long[2]);
        sum[0] += Resources.cpuRequested(pod);
        sum[1] += Resources.memoryRequested(pod);
      } else if (selected(ref, selection)) {
        byWorkload.computeIfAbsent(ref, r -> new ArrayList<>()).add(pod);
      }
    }
    List<Workload> workloads = byWorkload.entrySet().stream()
        .sorted(Comparator.comparing(e -> e.getKey().toString()))
        .map(e -> workload(e.getKey(), e.getValue()))
        .toList();
    return new PoolInventory(pool, Pools.nodes(client, pool).stream().map(Pools::info).toList(), workloads,
        daemonSetPerNode.values().stream().mapToLong(s -> s[0]).max().orElse(0),
        daemonSetPerNode.values().stream().mapToLong(s -> s[1]).max().orElse(0));
  }

  /** The workload a pod belongs to, following ReplicaSet -> Deployment. */
  WorkloadRef owner(Pod pod) {
    String ns = pod.getMetadata().getNamespace();
    OwnerReference controller = controllerOf(pod.getMetadata().getOwnerReferences());
    if (controller == null) {
      return new WorkloadRef(ns, "Pod", pod.getMetadata().getName());
    }
    if (controller.getKind().equals("ReplicaSet")) {
      ReplicaSet rs = client.apps().replicaSets().inNamespace(ns).withName(controller.getName()).get();
      OwnerReference deployment = rs == null ? null : controllerOf(rs.getMetadata().getOwnerReferences());
      if (deployment != null && deployment.getKind().equals("Deployment")) {
        return new WorkloadRef(ns, "Deployment", deployment.getName());
      }
    }
    return new WorkloadRef(ns, controller.getKind(), controller.getName());
  }

  private static OwnerReference controllerOf(List<OwnerReference> owners) {
    if (owners == null || owners.isEmpty()) {
      return null;
    }
    return owners.stream().filter(o -> Boolean.TRUE.equals(o.getController())).findFirst().orElse(owners.get(0));
  }

  private static boolean selected(WorkloadRef ref, WorkloadSelection selection) {
    String text = ref.toString();
    if (selection.excludeOrEmpty().contains(text)) {
      return false;
    }
    if (!selection.namespacesOrEmpty().isEmpty() && !selection.namespacesOrEmpty().contains(ref.namespace())) {
      return false;
    }
    return selection.includeOrEmpty().isEmpty() || selection.includeOrEmpty().contains(text);
  }

  private Workload workload(WorkloadRef ref, List<Pod> pods) {
    int replicas = pods.size();
    String strategy = null;
    Integer maxSurge = null;
    String unfinishedRollout = null;
    if (ref.kind().equals("Deployment")) {
      Deployment d = client.apps().deployments().inNamespace(ref.namespace()).withName(ref.name()).get();
      replicas = d.getSpec().getReplicas() == null ? 1 : d.getSpec().getReplicas();
      strategy = d.getSpec().getStrategy() == null || d.getSpec().getStrategy().getType() == null
          ? "RollingUpdate" : d.getSpec().getStrategy().getType();
      IntOrString surge = d.getSpec().getStrategy() == null || d.getSpec().getStrategy().getRollingUpdate() == null
          ? null : d.getSpec().getStrategy().getRollingUpdate().getMaxSurge();
      maxSurge = strategy.equals("RollingUpdate") ? IntOrPercent.resolve(surge, "25%", replicas, true) : 0;
    } else if (ref.kind().equals("StatefulSet")) {
      StatefulSet s = client.apps().statefulSets().inNamespace(ref.namespace()).withName(ref.name()).get();
      replicas = s.getSpec().getReplicas() == null ? 1 : s.getSpec().getReplicas();
      strategy = s.getSpec().getUpdateStrategy() == null || s.getSpec().getUpdateStrategy().getType() == null
          ? "RollingUpdate" : s.getSpec().getUpdateStrategy().getType();
      unfinishedRollout = unfinishedRollout(s, strategy);
    }
    List<Integer> ordinals = ref.kind().equals("StatefulSet")
        ? pods.stream().map(p -> ordinal(p.getMetadata().getName())).filter(Objects::nonNull).sorted().toList()
        : List.of();
    return new Workload(ref, replicas, pods.size(), ordinals,
        pods.stream().mapToLong(Resources::cpuRequested).sum(),
        pods.stream().mapToLong(Resources::memoryRequested).sum(),
        volumeZones(pods), pods.stream().anyMatch(Inventory::usesEmptyDir), strategy, maxSurge, pdbs(pods),
        pods.stream().anyMatch(Inventory::refusesToShareANode), unfinishedRollout);
  }

  /**
   * A RollingUpdate StatefulSet whose template is ahead of some of its pods: an update staged behind
   * a partition, or still rolling. (OnDelete updates a pod when it is deleted, by design.)
   */
  private static String unfinishedRollout(StatefulSet s, String strategy) {
    var status = s.getStatus();
    if (!"RollingUpdate".equals(strategy) || status == null || status.getUpdateRevision() == null
        || status.getUpdateRevision().equals(status.getCurrentRevision())) {
      return null;
    }
    var rolling = s.getSpec().getUpdateStrategy().getRollingUpdate();
    Integer partition = rolling == null ? null : rolling.getPartition();
    return "its pods run revision " + status.getCurrentRevision() + " while its template is at "
        + status.getUpdateRevision() + " (" + value(status.getUpdatedReplicas()) + " of "
        + value(status.getReplicas()) + " updated" + (partition == null || partition == 0 ? ""
            : ", partition " + partition) + ")";
  }

  private static int value(Integer i) {
    return i == null ? 0 : i;
  }

  static Integer ordinal(String podName) {
    int dash = podName.lastIndexOf('-');
    try {
      return Integer.parseInt(podName.substring(dash + 1));
    } catch (NumberFormatException e) {
      return null;
    }
  }

  private List<String> volumeZones(List<Pod> pods) {
    TreeSet<String> zones = new TreeSet<>();
    for (Pod pod : pods) {
      for (Volume volume : pod.getSpec().getVolumes() == null ? List.<Volume>of() : pod.getSpec().getVolumes()) {
        if (volume.getPersistentVolumeClaim() == null) {
          continue;
        }
        PersistentVolumeClaim pvc = client.persistentVolumeClaims().inNamespace(pod.getMetadata().getNamespace())
            .withName(volume.getPersistentVolumeClaim().getClaimName()).get();
        if (pvc == null || pvc.getSpec().getVolumeName() == null) {
          continue;
        }
        PersistentVolume pv = client.persistentVolumes().withName(pvc.getSpec().getVolumeName()).get();
        if (pv != null) {
          zones.addAll(zonesOf(pv));
        }
      }
    }
    return List.copyOf(zones);
  }

  static List<String> zonesOf(PersistentVolume pv) {
    List<String> zones = new ArrayList<>();
    if (pv.getSpec().getNodeAffinity() != null && pv.getSpec().getNodeAffinity().getRequired() != null) {
      pv.getSpec().getNodeAffinity().getRequired().getNodeSelectorTerms().forEach(term ->
          term.getMatchExpressions().stream()
              .filter(e -> e.getKey().equals(Pools.ZONE_LABEL) || e.getKey().equals("failure-domain.beta.kubernetes.io/zone"))
              .forEach(e -> zones.addAll(e.getValues())));
    }
    if (zones.isEmpty() && pv.getMetadata().getLabels() != null && pv.getMetadata().getLabels().get(Pools.ZONE_LABEL) != null) {
      zones.add(pv.getMetadata().getLabels().get(Pools.ZONE_LABEL));
    }
    return zones;
  }

  private static boolean usesEmptyDir(Pod pod) {
    return pod.getSpec().getVolumes() != null && pod.getSpec().getVolumes().stream().anyMatch(v -> v.getEmptyDir() != null);
  }

  private static boolean refusesToShareANode(Pod pod) {
    var affinity = pod.getSpec().getAffinity();
    return affinity != null && affinity.getPodAntiAffinity() != null
        && affinity.getPodAntiAffinity().getRequiredDuringSchedulingIgnoredDuringExecution() != null
        && affinity.getPodAntiAffinity().getRequiredDuringSchedulingIgnoredDuringExecution().stream()
            .anyMatch(t -> "kubernetes.io/hostname".equals(t.getTopologyKey()));
  }

  private List<PdbInfo> pdbs(List<Pod> pods) {
    String ns = pods.get(0).getMetadata().getNamespace();
    List<PdbInfo> found = new ArrayList<>();
    for (PodDisruptionBudget pdb : client.policy().v1().podDisruptionBudget().inNamespace(ns).list().getItems()) {
      if (pods.stream().anyMatch(p -> Selectors.matches(pdb.getSpec().getSelector(), p.getMetadata().getLabels()))) {
        found.add(info(pdb));
      }
    }
    return found;
  }

  static PdbInfo info(PodDisruptionBudget pdb) {
    var status = pdb.getStatus();
    return new PdbInfo(pdb.getMetadata().getNamespace(), pdb.getMetadata().getName(),
        status == null || status.getDisruptionsAllowed() == null ? 0 : status.getDisruptionsAllowed(),
        status == null || status.getCurrentHealthy() == null ? 0 : status.getCurrentHealthy(),
        status == null || status.getDesiredHealthy() == null ? 0 : status.getDesiredHealthy());
  }
}
