package dev.evolve.sandbox.observe;

import io.fabric8.kubernetes.api.model.LabelSelector;
import io.fabric8.kubernetes.api.model.LabelSelectorRequirement;
import io.fabric8.kubernetes.api.model.Node;
import io.fabric8.kubernetes.api.model.NodeSelectorRequirement;
import io.fabric8.kubernetes.api.model.OwnerReference;
import io.fabric8.kubernetes.api.model.Pod;
import io.fabric8.kubernetes.api.model.PodCondition;
import io.fabric8.kubernetes.api.model.Quantity;
import java.math.BigDecimal;
import java.util.List;
import java.util.Map;

/** Small facts about Kubernetes objects that the sandbox's observer, status and demo need alike. */
public final class Objects {

  public static final String POOL_LABEL = "cloud.google.com/gke-nodepool";
  public static final String ZONE_LABEL = "topology.kubernetes.io/zone";
  public static final String HOSTNAME_LABEL = "kubernetes.io/hostname";
  /** Pod annotation read by the kwok stages (sandbox/kwok/stages.yaml): scheduled -> Ready, as a Go duration. */
  public static final String STARTUP_DELAY_ANNOTATION = "sandbox.evolve.dev/startup-delay";

  private Objects() {}

  public static boolean isActive(Pod pod) {
    return pod.getMetadata().getDeletionTimestamp() == null && !isFinished(pod);
  }

  public static boolean isFinished(Pod pod) {
    String phase = pod.getStatus() == null ? null : pod.getStatus().getPhase();
    return "Succeeded".equals(phase) || "Failed".equals(phase);
  }

  public static boolean isReady(Pod pod) {
    return condition(pod, "Ready") != null && "True".equals(condition(pod, "Ready").getStatus());
  }

  public static PodCondition condition(Pod pod, String type) {
    if (pod.getStatus() == null || pod.getStatus().getConditions() == null) {
      return null;
    }
    return pod.getStatus().getConditions().stream().filter(c -> type.equals(c.getType())).findFirst().orElse(null);
  }

  public static boolean isReady(Node node) {
    return node.getStatus() != null && node.getStatus().getConditions() != null && node.getStatus().getConditions()
        .stream().anyMatch(c -> "Ready".equals(c.getType()) && "True".equals(c.getStatus()));
  }

  public static String label(Node node, String key) {
    return node.getMetadata().getLabels() == null ? null : node.getMetadata().getLabels().get(key);
  }

  public static OwnerReference controllerOf(io.fabric8.kubernetes.api.model.HasMetadata object) {
    List<OwnerReference> owners = object.getMetadata().getOwnerReferences();
    if (owners == null || owners.isEmpty()) {
      return null;
    }
    return owners.stream().filter(o -> Boolean.TRUE.equals(o.getController())).findFirst().orElse(owners.get(0));
  }

  /** DaemonSet pods run on every node and never move with a pool; the sandbox's counts leave them out. */
  public static boolean isDaemonSetPod(Pod pod) {
    OwnerReference owner = controllerOf(pod);
    return owner != null && "DaemonSet".equals(owner.getKind());
  }

  public static boolean ownedBy(io.fabric8.kubernetes.api.model.HasMetadata object,
      io.fabric8.kubernetes.api.model.HasMetadata owner) {
    OwnerReference ref = controllerOf(object);
    return ref != null && ref.getKind().equals(owner.getKind()) && ref.getName().equals(owner.getMetadata().getName())
        && (ref.getUid() == null || ref.getUid().equals(owner.getMetadata().getUid()));
  }

  /** A label selector as the API server applies it; a null selector matches nothing. */
  public static boolean matches(LabelSelector selector, Map<String, String> labels) {
    if (selector == null) {
      return false;
    }
    Map<String, String> l = labels == null ? Map.of() : labels;
    if (selector.getMatchLabels() != null
        && !selector.getMatchLabels().entrySet().stream().allMatch(e -> e.getValue().equals(l.get(e.getKey())))) {
      return false;
    }
    for (LabelSelectorRequirement r : selector.getMatchExpressions() == null
        ? List.<LabelSelectorRequirement>of() : selector.getMatchExpressions()) {
      if (!matches(r.getOperator(), r.getValues(), l.get(r.getKey()), l.containsKey(r.getKey()))) {
        return false;
      }
    }
    return true;
  }

  public static boolean matches(NodeSelectorRequirement r, Map<String, String> nodeLabels) {
    Map<String, String> l = nodeLabels == null ? Map.of() : nodeLabels;
    return matches(r.getOperator(), r.getValues(), l.get(r.getKey()), l.containsKey(r.getKey()));
  }

  private static boolean matches(String operator, List<String> values, String value, boolean present) {
    List<String> v = values == null ? List.of() : values;
    return switch (operator) {
      case "In" -> present && v.contains(value);
      case "NotIn" -> !present || !v.contains(value);
      case "Exists" -> present;
      case "DoesNotExist" -> !present;
      case "Gt" -> present && !v.isEmpty() && Long.parseLong(value) > Long.parseLong(v.get(0));
      case "Lt" -> present && !v.isEmpty() && Long.parseLong(value) < Long.parseLong(v.get(0));
      default -> false;
    };
  }

  public static long millicores(Quantity q) {
    return q == null ? 0 : Quantity.getAmountInBytes(q).multiply(BigDecimal.valueOf(1000)).longValue();
  }

  public static long bytes(Quantity q) {
    return q == null ? 0 : Quantity.getAmountInBytes(q).longValue();
  }

  /** Sum of the containers' requests: {cpu millicores, memory bytes}. */
  public static long[] requests(Pod pod) {
    long cpu = 0;
    long memory = 0;
    for (var c : pod.getSpec().getContainers()) {
      if (c.getResources() != null && c.getResources().getRequests() != null) {
        cpu += millicores(c.getResources().getRequests().get("cpu"));
        memory += bytes(c.getResources().getRequests().get("memory"));
      }
    }
    return new long[] {cpu, memory};
  }


}
