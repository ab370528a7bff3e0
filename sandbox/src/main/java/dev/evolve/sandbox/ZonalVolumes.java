package dev.evolve.sandbox;

import dev.evolve.sandbox.observe.Objects;
import io.fabric8.kubernetes.api.model.PersistentVolumeBuilder;
import io.fabric8.kubernetes.api.model.PersistentVolumeClaim;
import io.fabric8.kubernetes.api.model.PersistentVolumeClaimBuilder;
import io.fabric8.kubernetes.api.model.Quantity;
import io.fabric8.kubernetes.api.model.storage.StorageClassBuilder;
import io.fabric8.kubernetes.client.KubernetesClient;

/**
 * GKE's zonal persistent disks, as a real cluster sees them: a StorageClass that binds when the
 * first pod is scheduled (WaitForFirstConsumer) and, per StatefulSet ordinal, a PersistentVolume
 * whose node affinity names its zone and that is bound ahead to the ordinal's claim. A pod whose
 * zone has no schedulable node then stays Pending with the scheduler's volume node affinity message.
 */
final class ZonalVolumes {

  /** The name GKE gives its balanced persistent disk class. */
  static final String STORAGE_CLASS = "standard-rwo";
  private static final String CLAIM = "data";

  private ZonalVolumes() {}

  static PersistentVolumeClaim claimTemplate(Scenario.WorkloadSpec w) {
    return new PersistentVolumeClaimBuilder().withNewMetadata().withName(CLAIM).endMetadata()
        .withNewSpec().withAccessModes("ReadWriteOnce").withStorageClassName(STORAGE_CLASS)
        .withNewResources().addToRequests("storage", size(w)).endResources().endSpec().build();
  }

  /** The StorageClass (once) and one PersistentVolume per ordinal of the StatefulSet. */
  static void createFor(KubernetesClient client, Scenario.WorkloadSpec w) {
    client.storage().v1().storageClasses().resource(new StorageClassBuilder()
        .withNewMetadata().withName(STORAGE_CLASS).endMetadata()
        .withProvisioner("kubernetes.io/no-provisioner")
        .withVolumeBindingMode("WaitForFirstConsumer")
        .withReclaimPolicy("Retain")
        .build()).createOr(existing -> existing.update());
    for (int ordinal = 0; ordinal < w.replicasOrDefault(); ordinal++) {
      String zone = w.volumeZones().get(ordinal);
      String claim = CLAIM + "-" + w.name() + "-" + ordinal;
      client.persistentVolumes().resource(new PersistentVolumeBuilder()
          .withNewMetadata().withName("pv-" + w.namespace() + "-" + claim)
            .addToLabels(Objects.ZONE_LABEL, zone).endMetadata()
          .withNewSpec()
            .addToCapacity("storage", size(w))
            .withAccessModes("ReadWriteOnce")
            .withStorageClassName(STORAGE_CLASS)
            .withPersistentVolumeReclaimPolicy("Retain")
            .withNewLocal().withPath("/mnt/disks/" + claim).endLocal()
            .withNewClaimRef().withNamespace(w.namespace()).withName(claim).endClaimRef()
            .withNewNodeAffinity().withNewRequired().addNewNodeSelectorTerm().addNewMatchExpression()
              .withKey(Objects.ZONE_LABEL).withOperator("In").withValues(zone)
            .endMatchExpression().endNodeSelectorTerm().endRequired().endNodeAffinity()
          .endSpec()
          .build()).create();
    }
  }

  private static Quantity size(Scenario.WorkloadSpec w) {
    return new Quantity(w.volumeSize() == null ? "10Gi" : w.volumeSize());
  }
}
