package dev.evolve.sandbox.sim;

import io.fabric8.kubernetes.api.model.NodeSelectorRequirementBuilder;
import io.fabric8.kubernetes.api.model.PersistentVolumeBuilder;
import io.fabric8.kubernetes.api.model.PersistentVolumeClaim;
import io.fabric8.kubernetes.api.model.PersistentVolumeClaimBuilder;
import io.fabric8.kubernetes.api.model.Pod;
import io.fabric8.kubernetes.api.model.Quantity;
import io.fabric8.kubernetes.api.model.Volume;
import io.fabric8.kubernetes.api.model.VolumeBuilder;
import io.fabric8.kubernetes.api.model.apps.StatefulSet;
import io.fabric8.kubernetes.api.model.apps.StatefulSetStatusBuilder;
import java.util.ArrayList;
import java.util.List;
import java.util.Map;
import java.util.TreeSet;

/**
 * StatefulSets: pods NAME-ORDINAL with stable names; a missing pod is created again (same
 * name, new UID) from the CURRENT template, with OrderedReady waiting for lower ordinals to be
 * Ready (Parallel does not wait). Each volumeClaimTemplate gets a PVC per ordinal, bound to a
 * zonal PV made here, in the zone the StatefulSet's {@value Objects#VOLUME_ZONES_ANNOTATION}
 * annotation names for that ordinal (else the zones of the nodes, in turn).
 *
 * <p>Not simulated: RollingUpdate's automatic roll of existing pods after a template change.
 * Every StatefulSet behaves as OnDelete: a pod picks up the new template only when it is
 * deleted or evicted, which is exactly how the upgrader moves brokers one at a time.
 */
final class StatefulSetController implements Controller {

  @Override
  public void reconcile(ClusterView view) {
    for (StatefulSet sts : view.statefulSets()) {
      reconcile(view, sts);
    }
  }

  private void reconcile(ClusterView view, StatefulSet sts) {
    String ns = sts.getMetadata().getNamespace();
    String name = sts.getMetadata().getName();
    int replicas = sts.getSpec().getReplicas() == null ? 1 : sts.getSpec().getReplicas();
    boolean parallel = "Parallel".equals(sts.getSpec().getPodManagementPolicy());
    for (int ordinal = 0; ordinal < replicas; ordinal++) {
      String podName = name + "-" + ordinal;
      Pod pod = view.pods().stream().filter(p -> p.getMetadata().getNamespace().equals(ns)
          && p.getMetadata().getName().equals(podName)).findFirst().orElse(null);
      if (pod == null) {
        if (!ensureClaims(view, sts, ordinal)) {
          return;
        }
        view.client().pods().inNamespace(ns).resource(pod(view, sts, ordinal)).create();
        view.invalidate();
        if (!parallel) {
          break;
        }
      } else if (!parallel && (!Objects.isActive(pod) || !Objects.isReady(pod))) {
        break;
      }
    }
    // scale down: highest ordinals first
    view.activePods().stream().filter(p -> Objects.ownedBy(p, sts))
        .filter(p -> ordinal(p.getMetadata().getName()) >= replicas)
        .forEach(p -> view.client().pods().inNamespace(ns).withName(p.getMetadata().getName()).delete());
    updateStatus(view, sts, replicas);
  }

  private Pod pod(ClusterView view, StatefulSet sts, int ordinal) {
    String podName = sts.getMetadata().getName() + "-" + ordinal;
    Pod pod = PodFactory.fromTemplate(sts.getSpec().getTemplate(), sts, podName,
        Map.of("statefulset.kubernetes.io/pod-name", podName, "apps.kubernetes.io/pod-index", String.valueOf(ordinal)));
    pod.getSpec().setHostname(podName);
    pod.getSpec().setSubdomain(sts.getSpec().getServiceName());
    List<Volume> volumes = new ArrayList<>(pod.getSpec().getVolumes() == null ? List.of() : pod.getSpec().getVolumes());
    for (PersistentVolumeClaim template : claimTemplates(sts)) {
      String vname = template.getMetadata().getName();
      volumes.removeIf(v -> v.getName().equals(vname));
      volumes.add(new VolumeBuilder().withName(vname).withNewPersistentVolumeClaim()
          .withClaimName(claimName(template, sts, ordinal)).endPersistentVolumeClaim().build());
    }
    pod.getSpec().setVolumes(volumes);
    return pod;
  }

  /** Creates the ordinal's PVCs and their zonal PVs; false when no zone is known yet. */
  private boolean ensureClaims(ClusterView view, StatefulSet sts, int ordinal) {
    String ns = sts.getMetadata().getNamespace();
    for (PersistentVolumeClaim template : claimTemplates(sts)) {
      String claim = claimName(template, sts, ordinal);
      boolean exists = view.pvcs().stream().anyMatch(c -> c.getMetadata().getNamespace().equals(ns)
          && c.getMetadata().getName().equals(claim));
      if (exists) {
        continue;
      }
      String zone = zoneFor(view, sts, ordinal);
      if (zone == null) {
        return false;
      }
      Quantity size = template.getSpec().getResources() == null || template.getSpec().getResources().getRequests() == null
          ? new Quantity("10Gi") : template.getSpec().getResources().getRequests().getOrDefault("storage", new Quantity("10Gi"));
      String pvName = "pvc-" + java.util.UUID.nameUUIDFromBytes((ns + "/" + claim).getBytes());
      view.client().persistentVolumes().resource(new PersistentVolumeBuilder()
          .withNewMetadata().withName(pvName).addToLabels(Objects.ZONE_LABEL, zone).endMetadata()
          .withNewSpec().addToCapacity("storage", size).withAccessModes("ReadWriteOnce")
          .withStorageClassName("standard-rwo").withPersistentVolumeReclaimPolicy("Delete")
          .withNewClaimRef().withNamespace(ns).withName(claim).withKind("PersistentVolumeClaim").endClaimRef()
          .withNewCsi().withDriver("pd.csi.storage.gke.io").withVolumeHandle("projects/sandbox/zones/" + zone
              + "/disks/" + pvName).endCsi()
          .withNewNodeAffinity().withNewRequired().addNewNodeSelectorTerm()
          .withMatchExpressions(new NodeSelectorRequirementBuilder().withKey(Objects.ZONE_LABEL).withOperator("In")
              .withValues(zone).build()).endNodeSelectorTerm().endRequired().endNodeAffinity()
          .endSpec().withNewStatus().withPhase("Bound").endStatus().build()).create();
      view.client().persistentVolumeClaims().inNamespace(ns).resource(new PersistentVolumeClaimBuilder()
          .withNewMetadata().withName(claim).withNamespace(ns)
          .withLabels(sts.getSpec().getSelector().getMatchLabels()).endMetadata()
          .withNewSpec().withAccessModes("ReadWriteOnce").withStorageClassName("standard-rwo").withVolumeName(pvName)
          .withNewResources().addToRequests("storage", size).endResources().endSpec()
          .withNewStatus().withPhase("Bound").addToCapacity("storage", size).endStatus().build()).create();
      view.invalidate();
    }
    return true;
  }

  private static String zoneFor(ClusterView view, StatefulSet sts, int ordinal) {
    Map<String, String> annotations = sts.getMetadata().getAnnotations();
    String listed = annotations == null ? null : annotations.get(Objects.VOLUME_ZONES_ANNOTATION);
    if (listed != null && !listed.isBlank()) {
      String[] zones = listed.split(",");
      return zones[ordinal % zones.length].trim();
    }
    TreeSet<String> zones = new TreeSet<>();
    view.nodes().forEach(n -> {
      String z = Objects.label(n, Objects.ZONE_LABEL);
      if (z != null) {
        zones.add(z);
      }
    });
    return zones.isEmpty() ? null : new ArrayList<>(zones).get(ordinal % zones.size());
  }

  private static List<PersistentVolumeClaim> claimTemplates(StatefulSet sts) {
    return sts.getSpec().getVolumeClaimTemplates() == null ? List.of() : sts.getSpec().getVolumeClaimTemplates();
  }

  private static String claimName(PersistentVolumeClaim template, StatefulSet sts, int ordinal) {
    return template.getMetadata().getName() + "-" + sts.getMetadata().getName() + "-" + ordinal;
  }

  static int ordinal(String podName) {
    try {
      return Integer.parseInt(podName.substring(podName.lastIndexOf('-') + 1));
    } catch (NumberFormatException e) {
      return -1;
    }
  }

  private void updateStatus(ClusterView view, StatefulSet sts, int replicas) {
    List<Pod> pods = view.activePods().stream().filter(p -> Objects.ownedBy(p, sts)).toList();
    int ready = (int) pods.stream().filter(Objects::isReady).count();
    Long generation = sts.getMetadata().getGeneration();
    var was = sts.getStatus();
    if (was != null && java.util.Objects.equals(was.getObservedGeneration(), generation)
        && java.util.Objects.equals(was.getReplicas(), pods.size())
        && java.util.Objects.equals(was.getReadyReplicas(), ready)) {
      return;
    }
    view.client().apps().statefulSets().inNamespace(sts.getMetadata().getNamespace())
        .withName(sts.getMetadata().getName()).editStatus(s -> {
          s.setStatus(new StatefulSetStatusBuilder().withObservedGeneration(generation).withReplicas(pods.size())
              .withReadyReplicas(ready).withAvailableReplicas(ready).withCurrentReplicas(pods.size())
              .withUpdatedReplicas(pods.size()).build());
          return s;
        });
    view.invalidate();
  }
}
