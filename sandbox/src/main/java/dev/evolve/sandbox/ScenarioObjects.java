package dev.evolve.sandbox;

import dev.evolve.sandbox.kafka.BrokerPods;
import dev.evolve.sandbox.observe.Objects;
import io.fabric8.kubernetes.api.model.IntOrString;
import io.fabric8.kubernetes.api.model.LabelSelectorBuilder;
import io.fabric8.kubernetes.api.model.NamespaceBuilder;
import io.fabric8.kubernetes.api.model.PodTemplateSpec;
import io.fabric8.kubernetes.api.model.PodTemplateSpecBuilder;
import io.fabric8.kubernetes.api.model.Quantity;
import io.fabric8.kubernetes.api.model.apps.DaemonSetBuilder;
import io.fabric8.kubernetes.api.model.apps.DeploymentBuilder;
import io.fabric8.kubernetes.api.model.apps.StatefulSetBuilder;
import io.fabric8.kubernetes.api.model.batch.v1.CronJobBuilder;
import io.fabric8.kubernetes.api.model.policy.v1.PodDisruptionBudgetBuilder;
import io.fabric8.kubernetes.client.KubernetesClient;
import java.util.HashMap;
import java.util.HashSet;
import java.util.Map;
import java.util.Set;

/**
 * Writes a scenario's workloads into the API server: namespaces, Deployments, StatefulSets (with
 * zonal volumes: a WaitForFirstConsumer StorageClass and one PersistentVolume per ordinal, bound
 * ahead to its claim and tied to its zone), DaemonSets and PodDisruptionBudgets. The cluster's own
 * controllers and scheduler, and kwok's kubelets, bring them to life.
 */
final class ScenarioObjects {

  /** Job pods: Running -> Succeeded, read by the kwok stages, as a Go duration. */
  static final String RUN_TIME_ANNOTATION = "sandbox.evolve.dev/run-time";

  /** Scheduled -> Ready when the scenario names no start-up time (scenario seconds). */
  static final double DEFAULT_STARTUP_SECONDS = 2.0;

  private ScenarioObjects() {}

  static void create(KubernetesClient client, Scenario scenario, KubeCluster.Settings settings) {
    Set<String> namespaces = new HashSet<>();
    for (Scenario.WorkloadSpec w : scenario.workloads() == null ? java.util.List.<Scenario.WorkloadSpec>of()
        : scenario.workloads()) {
      if (namespaces.add(w.namespace())) {
        client.namespaces().resource(new NamespaceBuilder().withNewMetadata().withName(w.namespace()).endMetadata()
            .build()).createOr(n -> n.update());
      }
      var selector = new LabelSelectorBuilder().addToMatchLabels("app", w.name()).build();
      PodTemplateSpec template = template(w, settings);
      switch (w.kind()) {
        case "Deployment" -> {
          DeploymentBuilder d = new DeploymentBuilder()
              .withNewMetadata().withName(w.name()).withNamespace(w.namespace()).endMetadata()
              .withNewSpec().withReplicas(w.replicasOrDefault()).withSelector(selector).withTemplate(template)
              .withNewStrategy().withType(w.strategy() == null ? "RollingUpdate" : w.strategy()).endStrategy()
              .endSpec();
          if (!"Recreate".equals(w.strategy())) {
            d.editSpec().editStrategy().withNewRollingUpdate()
                .withMaxSurge(intOrString(w.maxSurge() == null ? "25%" : w.maxSurge()))
                .withMaxUnavailable(intOrString(w.maxUnavailable() == null ? "25%" : w.maxUnavailable()))
                .endRollingUpdate().endStrategy().endSpec();
          }
          client.apps().deployments().inNamespace(w.namespace()).resource(d.build()).create();
        }
        case "StatefulSet" -> {
          StatefulSetBuilder s = new StatefulSetBuilder()
              .withNewMetadata().withName(w.name()).withNamespace(w.namespace()).endMetadata()
              .withNewSpec().withReplicas(w.replicasOrDefault()).withServiceName(w.name()).withSelector(selector)
              // Kafka charts start brokers in parallel: no broker needs another to be Ready first.
              .withTemplate(template).withPodManagementPolicy(w.kafkaOrNull() != null ? "Parallel" : "OrderedReady")
              .withNewUpdateStrategy().withType(w.strategy() == null ? "RollingUpdate" : w.strategy())
              .endUpdateStrategy()
              .endSpec();
          if (w.volumeZones() != null) {
            s.editSpec().addToVolumeClaimTemplates(ZonalVolumes.claimTemplate(w)).endSpec();
          }
          client.apps().statefulSets().inNamespace(w.namespace()).resource(s.build()).create();
          if (w.volumeZones() != null) {
            ZonalVolumes.createFor(client, w);
          }
        }
        case "CronJob" -> {
          // Background pods nobody moves: kwok completes each Job's pod after its run time.
          template.getMetadata().getAnnotations().put(RUN_TIME_ANNOTATION,
              settings.wallMillis(w.runSeconds() == null ? 20.0 : w.runSeconds()) + "ms");
          template.getSpec().setRestartPolicy("Never");
          client.batch().v1().cronjobs().inNamespace(w.namespace()).resource(new CronJobBuilder()
              .withNewMetadata().withName(w.name()).withNamespace(w.namespace()).endMetadata()
              .withNewSpec().withSchedule(w.schedule() == null ? "* * * * *" : w.schedule())
              .withConcurrencyPolicy("Forbid").withNewJobTemplate().withNewSpec().withTemplate(template)
              .endSpec().endJobTemplate().endSpec().build()).create();
        }
        default -> client.apps().daemonSets().inNamespace(w.namespace()).resource(new DaemonSetBuilder()
            .withNewMetadata().withName(w.name()).withNamespace(w.namespace()).endMetadata()
            .withNewSpec().withSelector(selector).withTemplate(template).endSpec().build()).create();
      }
      if (w.pdb() != null) {
        var pdb = new PodDisruptionBudgetBuilder()
            .withNewMetadata().withName(w.name()).withNamespace(w.namespace()).endMetadata()
            .withNewSpec().withSelector(selector).endSpec();
        if (w.pdb().minAvailable() != null) {
          pdb.editSpec().withMinAvailable(intOrString(w.pdb().minAvailable())).endSpec();
        } else {
          pdb.editSpec().withMaxUnavailable(intOrString(w.pdb().maxUnavailable())).endSpec();
        }
        client.policy().v1().podDisruptionBudget().inNamespace(w.namespace()).resource(pdb.build()).create();
      }
    }
  }

  static PodTemplateSpec template(Scenario.WorkloadSpec w, KubeCluster.Settings settings) {
    // kwok's stages read the start-up delay from this annotation, in wall-clock time.
    Map<String, String> annotations = new HashMap<>();
    annotations.put(Objects.STARTUP_DELAY_ANNOTATION,
        settings.wallMillis(w.startupSeconds() == null ? DEFAULT_STARTUP_SECONDS : w.startupSeconds()) + "ms");
    // A real broker takes the time it takes: its grace period is not sped up with the scenario.
    long grace = w.kafkaOrNull() != null ? Math.round(w.terminationGracePeriodSecondsOrDefault())
        : (long) Math.ceil(settings.wallMillis(w.terminationGracePeriodSecondsOrDefault()) / 1000.0);
    Map<String, String> labels = new HashMap<>(Map.of("app", w.name()));
    if (w.kafkaOrNull() != null) {
      // kwok runs these pods but leaves Ready and the end of termination to BrokerPods.
      labels.put(BrokerPods.BROKER_LABEL, w.name());
    }
    PodTemplateSpecBuilder t = new PodTemplateSpecBuilder()
        .withNewMetadata().withLabels(labels).withAnnotations(annotations).endMetadata()
        .withNewSpec().withNodeSelector(w.nodeSelector()).withTerminationGracePeriodSeconds(grace).addNewContainer().withName(w.name())
        .withImage("registry.example/" + w.name() + ":1.0")
        .withNewResources().addToRequests("cpu", new Quantity(w.cpu() == null ? "100m" : w.cpu()))
        .addToRequests("memory", new Quantity(w.memory() == null ? "128Mi" : w.memory())).endResources()
        .endContainer().endSpec();
    if (Boolean.TRUE.equals(w.antiAffinity())) {
      t.editSpec().withNewAffinity().withNewPodAntiAffinity().addNewRequiredDuringSchedulingIgnoredDuringExecution()
          .withTopologyKey(Objects.HOSTNAME_LABEL).withLabelSelector(new LabelSelectorBuilder()
              .addToMatchLabels("app", w.name()).build()).endRequiredDuringSchedulingIgnoredDuringExecution()
          .endPodAntiAffinity().endAffinity().endSpec();
    }
    if ("DaemonSet".equals(w.kind())) {
      t.editSpec().addNewToleration().withOperator("Exists").endToleration().endSpec();
    }
    return t.build();
  }

  private static IntOrString intOrString(String value) {
    return value.endsWith("%") ? new IntOrString(value) : new IntOrString(Integer.parseInt(value.trim()));
  }
}
