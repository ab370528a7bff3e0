package dev.evolve.activities.kube;

import io.fabric8.kubernetes.api.model.LabelSelectorBuilder;
import io.fabric8.kubernetes.api.model.NodeBuilder;
import io.fabric8.kubernetes.api.model.OwnerReference;
import io.fabric8.kubernetes.api.model.OwnerReferenceBuilder;
import io.fabric8.kubernetes.api.model.Pod;
import io.fabric8.kubernetes.api.model.PodBuilder;
import io.fabric8.kubernetes.api.model.PodTemplateSpec;
import io.fabric8.kubernetes.api.model.PodTemplateSpecBuilder;
import io.fabric8.kubernetes.api.model.Quantity;
import io.fabric8.kubernetes.api.model.apps.DeploymentBuilder;
import io.fabric8.kubernetes.api.model.apps.ReplicaSetBuilder;
import io.fabric8.kubernetes.api.model.policy.v1.PodDisruptionBudgetBuilder;
import io.fabric8.kubernetes.client.KubernetesClient;
import java.util.List;
import java.util.Map;
import java.util.UUID;

/** Objects as a real cluster would hold them, written straight into the mock API server. */
final class Fixtures {

  static final List<String> ZONES = List.of("europe-west1-b", "europe-west1-c", "europe-west1-d");

  private final KubernetesClient client;

  Fixtures(KubernetesClient client) {
    this.client = client;
  }

  void pool(String pool) {
    for (String zone : ZONES) {
      client.nodes().resource(new NodeBuilder()
          .withNewMetadata().withName(pool + "-" + zone).addToLabels(Pools.POOL_LABEL, pool)
          .addToLabels(Pools.ZONE_LABEL, zone).endMetadata()
          .withNewSpec().endSpec()
          .withNewStatus().addNewCondition().withType("Ready").withStatus("True").endCondition()
          .addToAllocatable("cpu", new Quantity("3920m")).addToAllocatable("memory", new Quantity("13Gi"))
          .withNewNodeInfo().withKubeletVersion("v1.32.9-gke.1100000").endNodeInfo().endStatus()
          .build()).create();
    }
  }

  static PodTemplateSpec template(String app) {
    return new PodTemplateSpecBuilder().withNewMetadata().addToLabels("app", app).endMetadata()
        .withNewSpec().addNewContainer().withName(app).withImage("registry/" + app + ":1")
        .withNewResources().addToRequests("cpu", new Quantity("250m")).addToRequests("memory", new Quantity("512Mi"))
        .endResources().endContainer().endSpec().build();
  }

  /** A Deployment with its ReplicaSet and one Ready pod per replica on the given nodes. */
  void deployment(String ns, String name, PodTemplateSpec template, List<String> nodes) {
    var d = client.apps().deployments().inNamespace(ns).resource(new DeploymentBuilder()
        .withNewMetadata().withName(name).withNamespace(ns).withGeneration(1L).endMetadata()
        .withNewSpec().withReplicas(nodes.size()).withSelector(new LabelSelectorBuilder()
            .addToMatchLabels("app", name).build()).withTemplate(template).endSpec()
        .withNewStatus().withObservedGeneration(1L).withReplicas(nodes.size()).withUpdatedReplicas(nodes.size())
        .withAvailableReplicas(nodes.size()).withReadyReplicas(nodes.size()).endStatus()
        .build()).create();
    String rs = name + "-5d8f7";
    client.apps().replicaSets().inNamespace(ns).resource(new ReplicaSetBuilder()
        .withNewMetadata().withName(rs).withNamespace(ns).withOwnerReferences(new OwnerReferenceBuilder()
            .withKind("Deployment").withName(name).withController(true).withUid(d.getMetadata().getUid()).build())
        .endMetadata().withNewSpec().withReplicas(nodes.size()).endSpec().build()).create();
    for (int i = 0; i < nodes.size(); i++) {
      pod(ns, rs + "-" + i, "ReplicaSet", rs, template, nodes.get(i));
    }
  }

  Pod pod(String ns, String name, String ownerKind, String owner, PodTemplateSpec template, String node) {
    return pod(ns, name, ownerKind == null ? null : new OwnerReferenceBuilder().withKind(ownerKind).withName(owner)
        .withController(true).build(), template, node);
  }

  /** A Ready pod on {@code node} whose controller is {@code owner} (none when null). */
  Pod pod(String ns, String name, OwnerReference owner, PodTemplateSpec template, String node) {
    PodBuilder pod = new PodBuilder()
        .withNewMetadata().withName(name).withNamespace(ns).withUid(UUID.randomUUID().toString())
        .withLabels(template.getMetadata().getLabels()).endMetadata()
        .withSpec(template.getSpec()).editSpec().withNodeName(node).endSpec()
        .withNewStatus().withPhase("Running").addNewCondition().withType("Ready").withStatus("True").endCondition()
        .endStatus();
    if (owner != null) {
      pod.editMetadata().withOwnerReferences(owner).endMetadata();
    }
    return client.pods().inNamespace(ns).resource(pod.build()).create();
  }

  void pdb(String ns, String name, String app, int allowed) {
    client.policy().v1().podDisruptionBudget().inNamespace(ns).resource(new PodDisruptionBudgetBuilder()
        .withNewMetadata().withName(name).withNamespace(ns).endMetadata()
        .withNewSpec().withSelector(new LabelSelectorBuilder().withMatchLabels(Map.of("app", app)).build())
        .withNewMinAvailable(1).endSpec()
        .withNewStatus().withDisruptionsAllowed(allowed).withCurrentHealthy(2).withDesiredHealthy(2 - allowed)
        .withExpectedPods(2).endStatus().build()).create();
  }
}
