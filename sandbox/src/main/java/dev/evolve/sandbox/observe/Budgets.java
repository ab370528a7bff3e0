package dev.evolve.sandbox.observe;

import io.fabric8.kubernetes.api.model.IntOrString;
import io.fabric8.kubernetes.api.model.OwnerReference;
import io.fabric8.kubernetes.api.model.Pod;
import io.fabric8.kubernetes.api.model.PodTemplateSpec;
import io.fabric8.kubernetes.api.model.apps.Deployment;
import io.fabric8.kubernetes.api.model.apps.ReplicaSet;
import io.fabric8.kubernetes.api.model.apps.StatefulSet;
import io.fabric8.kubernetes.api.model.policy.v1.PodDisruptionBudget;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;

/**
 * PodDisruptionBudget arithmetic as the disruption controller does it: expected pods from the
 * scale of the controllers owning the selected pods, healthy = Ready pods, desired from
 * minAvailable (percentages round up) or expected - maxUnavailable (percentages round up too).
 */
public final class Budgets {

  /** One budget's state right now. */
  public record State(PodDisruptionBudget pdb, List<Pod> pods, int expected, int healthy, int desired,
      String workload) {

    public int disruptionsAllowed() {
      return Math.max(0, healthy - desired);
    }

    public String name() {
      return pdb.getMetadata().getNamespace() + "/" + pdb.getMetadata().getName();
    }
  }

  private Budgets() {}

  public static State of(PodDisruptionBudget pdb, List<Pod> allPods, List<ReplicaSet> replicaSets,
      List<Deployment> deployments, List<StatefulSet> statefulSets) {
    String ns = pdb.getMetadata().getNamespace();
    List<Pod> pods = allPods.stream().filter(Objects::isActive)
        .filter(p -> p.getMetadata().getNamespace().equals(ns))
        .filter(p -> Objects.matches(pdb.getSpec().getSelector(), p.getMetadata().getLabels()))
        .toList();
    Map<String, Integer> scaleByController = new LinkedHashMap<>();
    int bare = 0;
    for (Pod pod : pods) {
      String workload = Workloads.of(pod, replicaSets);
      Integer scale = scale(workload, deployments, statefulSets);
      if (scale == null) {
        bare++;
      } else {
        scaleByController.put(workload, scale);
      }
    }
    // A workload whose pods are all gone at this instant (deleted, their node lost) still expects
    // its replicas: find it by its pod template, or a budget would look satisfied by an outage.
    for (Deployment d : deployments) {
      if (d.getMetadata().getNamespace().equals(ns) && templateMatches(pdb, d.getSpec().getTemplate())) {
        scaleByController.putIfAbsent(ns + "/Deployment/" + d.getMetadata().getName(),
            d.getSpec().getReplicas() == null ? 1 : d.getSpec().getReplicas());
      }
    }
    for (StatefulSet s : statefulSets) {
      if (s.getMetadata().getNamespace().equals(ns) && templateMatches(pdb, s.getSpec().getTemplate())) {
        scaleByController.putIfAbsent(ns + "/StatefulSet/" + s.getMetadata().getName(),
            s.getSpec().getReplicas() == null ? 1 : s.getSpec().getReplicas());
      }
    }
    scaleByController.values().removeIf(scale -> scale == 0);
    int expected = bare + scaleByController.values().stream().mapToInt(Integer::intValue).sum();
    int healthy = (int) pods.stream().filter(Objects::isReady).count();
    int desired;
    if (pdb.getSpec().getMinAvailable() != null) {
      desired = resolve(pdb.getSpec().getMinAvailable(), expected);
    } else if (pdb.getSpec().getMaxUnavailable() != null) {
      desired = Math.max(0, expected - resolve(pdb.getSpec().getMaxUnavailable(), expected));
    } else {
      desired = expected;
    }
    String workload = scaleByController.isEmpty() ? ns + "/PodDisruptionBudget/" + pdb.getMetadata().getName()
        : String.join(",", scaleByController.keySet());
    return new State(pdb, pods, expected, healthy, desired, workload);
  }

  private static Integer scale(String workload, List<Deployment> deployments, List<StatefulSet> statefulSets) {
    String[] parts = workload.split("/", 3);
    if (parts[1].equals("Deployment")) {
      return deployments.stream().filter(d -> d.getMetadata().getNamespace().equals(parts[0])
          && d.getMetadata().getName().equals(parts[2])).findFirst()
          .map(d -> d.getSpec().getReplicas() == null ? 1 : d.getSpec().getReplicas()).orElse(null);
    }
    if (parts[1].equals("StatefulSet")) {
      return statefulSets.stream().filter(s -> s.getMetadata().getNamespace().equals(parts[0])
          && s.getMetadata().getName().equals(parts[2])).findFirst()
          .map(s -> s.getSpec().getReplicas() == null ? 1 : s.getSpec().getReplicas()).orElse(null);
    }
    return null;
  }

  private static boolean templateMatches(PodDisruptionBudget pdb, PodTemplateSpec template) {
    return template != null && template.getMetadata() != null
        && Objects.matches(pdb.getSpec().getSelector(), template.getMetadata().getLabels());
  }

  /**
   * An int or a percentage of {@code total}, rounded up. The watcher has its own, not the
   * activities' IntOrPercent: an observer that shared the product's arithmetic would share its bugs.
   */
  public static int resolve(IntOrString value, int total) {
    if (value.getIntVal() != null) {
      return value.getIntVal();
    }
    String text = value.getStrVal().trim();
    if (text.endsWith("%")) {
      return (int) Math.ceil(total * Integer.parseInt(text.substring(0, text.length() - 1)) / 100.0);
    }
    return Integer.parseInt(text);
  }

  /** Whether an owner reference names the given kind. */
  static boolean is(OwnerReference ref, String kind) {
    return ref != null && kind.equals(ref.getKind());
  }
}
