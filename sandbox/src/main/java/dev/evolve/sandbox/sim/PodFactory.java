package dev.evolve.sandbox.sim;

import io.fabric8.kubernetes.api.model.HasMetadata;
import io.fabric8.kubernetes.api.model.ObjectMeta;
import io.fabric8.kubernetes.api.model.OwnerReference;
import io.fabric8.kubernetes.api.model.OwnerReferenceBuilder;
import io.fabric8.kubernetes.api.model.Pod;
import io.fabric8.kubernetes.api.model.PodSpec;
import io.fabric8.kubernetes.api.model.PodStatusBuilder;
import io.fabric8.kubernetes.api.model.PodTemplateSpec;
import io.fabric8.kubernetes.client.utils.Serialization;
import java.util.HashMap;
import java.util.List;
import java.util.Map;

/** Pods from a controller's template, owned by it, the way controllers create them. */
final class PodFactory {

  private PodFactory() {}

  static Pod fromTemplate(PodTemplateSpec template, HasMetadata owner, String name, Map<String, String> extraLabels) {
    PodTemplateSpec copy = Serialization.clone(template);
    Map<String, String> labels = new HashMap<>(copy.getMetadata() == null || copy.getMetadata().getLabels() == null
        ? Map.of() : copy.getMetadata().getLabels());
    labels.putAll(extraLabels);
    Map<String, String> annotations = new HashMap<>(copy.getMetadata() == null
        || copy.getMetadata().getAnnotations() == null ? Map.of() : copy.getMetadata().getAnnotations());
    ObjectMeta meta = new ObjectMeta();
    meta.setName(name);
    meta.setNamespace(owner.getMetadata().getNamespace());
    meta.setLabels(labels);
    meta.setAnnotations(annotations);
    meta.setOwnerReferences(List.of(ownerReference(owner)));
    PodSpec spec = copy.getSpec();
    Pod pod = new Pod();
    pod.setMetadata(meta);
    pod.setSpec(spec);
    pod.setStatus(new PodStatusBuilder().withPhase("Pending").build());
    return pod;
  }

  static OwnerReference ownerReference(HasMetadata owner) {
    return new OwnerReferenceBuilder().withApiVersion(owner.getApiVersion()).withKind(owner.getKind())
        .withName(owner.getMetadata().getName()).withUid(owner.getMetadata().getUid()).withController(true)
        .withBlockOwnerDeletion(true).build();
  }
}
