package dev.evolve.it.chaos;

import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.ObjectMapper;
import com.fasterxml.jackson.databind.node.ObjectNode;
import io.fabric8.kubernetes.api.model.HasMetadata;
import io.fabric8.kubernetes.client.KubernetesClient;
import java.util.ArrayList;
import java.util.List;
import java.util.Map;
import java.util.Set;
import java.util.TreeMap;

/**
 * How every workload is told to schedule and roll out, and every budget: each Deployment's,
 * StatefulSet's and DaemonSet's pod template (affinity, node selector, tolerations, labels,
 * annotations, ...), its strategy and its own annotations, minus what Kubernetes itself stamps on
 * them. A cycle changes these while it moves a workload and must put them back exactly.
 */
record SchedulingSnapshot(Map<String, JsonNode> objects) {

  private static final ObjectMapper JSON = new ObjectMapper();
  /** Written by Kubernetes' controllers, not by anyone who schedules. */
  private static final Set<String> STAMPED = Set.of("deployment.kubernetes.io/revision",
      "deprecated.daemonset.template.generation");

  static SchedulingSnapshot take(KubernetesClient kube) {
    Map<String, JsonNode> objects = new TreeMap<>();
    kube.apps().deployments().inAnyNamespace().list().getItems().forEach(d ->
        objects.put(key(d), workload(d, d.getSpec().getTemplate(), d.getSpec().getStrategy())));
    kube.apps().statefulSets().inAnyNamespace().list().getItems().forEach(s ->
        objects.put(key(s), workload(s, s.getSpec().getTemplate(), s.getSpec().getUpdateStrategy())));
    kube.apps().daemonSets().inAnyNamespace().list().getItems().forEach(d ->
        objects.put(key(d), workload(d, d.getSpec().getTemplate(), d.getSpec().getUpdateStrategy())));
    kube.policy().v1().podDisruptionBudget().inAnyNamespace().list().getItems().forEach(b ->
        objects.put(key(b), JSON.valueToTree(b.getSpec())));
    return new SchedulingSnapshot(objects);
  }

  /** What differs from {@code before}, one line per object; empty when nothing does. */
  List<String> differencesFrom(SchedulingSnapshot before) {
    List<String> differences = new ArrayList<>();
    for (String key : before.objects.keySet()) {
      JsonNode was = before.objects.get(key);
      JsonNode now = objects.get(key);
      if (now == null) {
        differences.add(key + " is gone");
      } else if (!was.equals(now)) {
        differences.add(key + " changed: before " + was + " after " + now);
      }
    }
    objects.keySet().stream().filter(k -> !before.objects.containsKey(k)).forEach(k -> differences.add(k + " is new"));
    return differences;
  }

  private static JsonNode workload(HasMetadata object, Object template, Object strategy) {
    ObjectNode node = JSON.createObjectNode();
    node.set("template", JSON.valueToTree(template));
    node.set("strategy", JSON.valueToTree(strategy));
    Map<String, String> annotations = new TreeMap<>(object.getMetadata().getAnnotations() == null ? Map.of()
        : object.getMetadata().getAnnotations());
    annotations.keySet().removeAll(STAMPED);
    node.set("annotations", JSON.valueToTree(annotations));
    return node;
  }

  private static String key(HasMetadata object) {
    return object.getMetadata().getNamespace() + "/" + object.getKind() + "/" + object.getMetadata().getName();
  }
}
