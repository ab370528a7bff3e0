package dev.evolve.sandbox.sim;

import io.fabric8.kubernetes.api.model.Node;
import io.fabric8.kubernetes.api.model.NodeSelectorTerm;
import io.fabric8.kubernetes.api.model.PersistentVolume;
import io.fabric8.kubernetes.api.model.PersistentVolumeClaim;
import io.fabric8.kubernetes.api.model.Pod;
import io.fabric8.kubernetes.api.model.PodAffinityTerm;
import io.fabric8.kubernetes.api.model.PodCondition;
import io.fabric8.kubernetes.api.model.Taint;
import io.fabric8.kubernetes.api.model.Toleration;
import io.fabric8.kubernetes.api.model.Volume;
import java.util.ArrayList;
import java.util.Comparator;
import java.util.HashMap;
import java.util.List;
import java.util.Map;
import java.util.Optional;
import java.util.TreeMap;
import java.util.stream.Collectors;

/**
 * The default scheduler, reduced to the filters an upgrade runs into: node readiness and
 * cordon, taints (NoSchedule/NoExecute), nodeSelector and required node affinity, CPU and
 * memory requests against allocatable, zonal volumes, and required pod anti-affinity. Each
 * node that does not fit is counted under the first filter it fails, and a pod that fits
 * nowhere gets the scheduler's own kind of message in its PodScheduled condition. Among the
 * nodes that fit it prefers those with fewest pods of the same workload, then the emptiest.
 */
final class Scheduler implements Controller {

  @Override
  public void reconcile(ClusterView view) {
    List<Pod> pending = view.activePods().stream().filter(p -> p.getSpec().getNodeName() == null)
        .sorted(Comparator.comparing(p -> p.getMetadata().getCreationTimestamp() == null ? ""
            : p.getMetadata().getCreationTimestamp()))
        .toList();
    if (pending.isEmpty()) {
      return;
    }
    List<Node> nodes = view.nodes();
    // pods bound in this tick count against capacity at once
    List<Pod> placed = new ArrayList<>(view.activePods().stream().filter(p -> p.getSpec().getNodeName() != null).toList());
    boolean wrote = false;
    for (Pod pod : pending) {
      Map<String, Integer> reasons = new TreeMap<>();
      List<Node> fitting = new ArrayList<>();
      for (Node node : nodes) {
        Optional<List<String>> failed = failures(pod, node, placed, view);
        if (failed.isEmpty()) {
          fitting.add(node);
        } else {
          failed.get().forEach(r -> reasons.merge(r, 1, Integer::sum));
        }
      }
      String ns = pod.getMetadata().getNamespace();
      String name = pod.getMetadata().getName();
      if (fitting.isEmpty()) {
        String message = message(nodes.size(), reasons);
        PodCondition current = Objects.condition(pod, "PodScheduled");
        if (current == null || !message.equals(current.getMessage())) {
          view.client().pods().inNamespace(ns).withName(name).editStatus(p -> {
            if (p.getStatus() == null) {
              p.setStatus(new io.fabric8.kubernetes.api.model.PodStatus());
            }
            p.getStatus().setPhase("Pending");
            p.getStatus().setConditions(new ArrayList<>(List.of(new io.fabric8.kubernetes.api.model.PodConditionBuilder()
                .withType("PodScheduled").withStatus("False").withReason("Unschedulable").withMessage(message)
                .withLastTransitionTime(Objects.now()).build())));
            return p;
          });
          wrote = true;
        }
        continue;
      }
      Node best = fitting.stream().min(Comparator
          .comparingLong((Node n) -> siblingsOn(pod, n, placed, view))
          .thenComparingLong(n -> siblingsInZone(pod, n, placed, view))
          .thenComparingLong(n -> usedCpu(n, placed))
          .thenComparing(n -> n.getMetadata().getName())).orElseThrow();
      String nodeName = best.getMetadata().getName();
      Pod bound = view.client().pods().inNamespace(ns).withName(name).edit(p -> {
        p.getSpec().setNodeName(nodeName);
        return p;
      });
      placed.add(bound);
      wrote = true;
    }
    if (wrote) {
      view.invalidate();
    }
  }

  /** Why the pod cannot go to the node (the first filter that fails), or empty when it can. */
  private Optional<List<String>> failures(Pod pod, Node node, List<Pod> placed, ClusterView view) {
    if (!Objects.isReady(node) && !tolerates(pod, new Taint("NoSchedule", "node.kubernetes.io/not-ready", null, null))) {
      return Optional.of(List.of("node(s) had untolerated taint {node.kubernetes.io/not-ready: }"));
    }
    if (Boolean.TRUE.equals(node.getSpec().getUnschedulable())
        && !tolerates(pod, new Taint("NoSchedule", "node.kubernetes.io/unschedulable", null, null))) {
      return Optional.of(List.of("node(s) were unschedulable"));
    }
    for (Taint taint : node.getSpec().getTaints() == null ? List.<Taint>of() : node.getSpec().getTaints()) {
      if (!"PreferNoSchedule".equals(taint.getEffect()) && !tolerates(pod, taint)) {
        return Optional.of(List.of("node(s) had untolerated taint {" + taint.getKey() + ": "
            + (taint.getValue() == null ? "" : taint.getValue()) + "}"));
      }
    }
    if (!matchesNodeSelectorAndAffinity(pod, node)) {
      return Optional.of(List.of("node(s) didn't match Pod's node affinity/selector"));
    }
    List<String> insufficient = insufficient(pod, node, placed);
    if (!insufficient.isEmpty()) {
      return Optional.of(insufficient);
    }
    List<String> zones = volumeZones(pod, view);
    if (zones != null && !zones.contains(Objects.label(node, Objects.ZONE_LABEL))) {
      return Optional.of(List.of("node(s) had volume node affinity conflict"));
    }
    if (violatesAntiAffinity(pod, node, placed, view)) {
      return Optional.of(List.of("node(s) didn't match pod anti-affinity rules"));
    }
    return Optional.empty();
  }

  static String message(int nodeCount, Map<String, Integer> reasons) {
    // as the real scheduler: "COUNT REASON" strings, sorted as strings
    String details = reasons.entrySet().stream().map(e -> e.getValue() + " " + e.getKey()).sorted()
        .collect(Collectors.joining(", "));
    return "0/" + nodeCount + " nodes are available" + (details.isEmpty() ? "" : ": " + details) + ". preemption: 0/"
        + nodeCount + " nodes are available: " + nodeCount + " Preemption is not helpful for scheduling.";
  }

  private static boolean tolerates(Pod pod, Taint taint) {
    for (Toleration t : pod.getSpec().getTolerations() == null ? List.<Toleration>of() : pod.getSpec().getTolerations()) {
      boolean effect = t.getEffect() == null || t.getEffect().isEmpty() || t.getEffect().equals(taint.getEffect());
      boolean key = t.getKey() == null || t.getKey().isEmpty() ? "Exists".equals(t.getOperator())
          : t.getKey().equals(taint.getKey());
      boolean value = "Exists".equals(t.getOperator())
          || java.util.Objects.equals(t.getValue() == null ? "" : t.getValue(), taint.getValue() == null ? "" : taint.getValue());
      if (effect && key && value) {
        return true;
      }
    }
    return false;
  }

  static boolean matchesNodeSelectorAndAffinity(Pod pod, Node node) {
    Map<String, String> labels = node.getMetadata().getLabels() == null ? Map.of() : node.getMetadata().getLabels();
    if (pod.getSpec().getNodeSelector() != null && !pod.getSpec().getNodeSelector().entrySet().stream()
        .allMatch(e -> e.getValue().equals(labels.get(e.getKey())))) {
      return false;
    }
    var affinity = pod.getSpec().getAffinity();
    if (affinity == null || affinity.getNodeAffinity() == null
        || affinity.getNodeAffinity().getRequiredDuringSchedulingIgnoredDuringExecution() == null) {
      return true;
    }
    List<NodeSelectorTerm> terms = affinity.getNodeAffinity().getRequiredDuringSchedulingIgnoredDuringExecution()
        .getNodeSelectorTerms();
    if (terms == null || terms.isEmpty()) {
      return false;
    }
    // terms are ORed, the expressions of one term ANDed
    return terms.stream().anyMatch(term -> (term.getMatchExpressions() == null ? List.<io.fabric8.kubernetes.api.model.NodeSelectorRequirement>of()
        : term.getMatchExpressions()).stream().allMatch(r -> Objects.matches(r, labels))
        && (term.getMatchFields() == null ? List.<io.fabric8.kubernetes.api.model.NodeSelectorRequirement>of()
        : term.getMatchFields()).stream().allMatch(r -> Objects.matches(r,
            Map.of("metadata.name", node.getMetadata().getName()))));
  }

  private static List<String> insufficient(Pod pod, Node node, List<Pod> placed) {
    long[] wants = Objects.requests(pod);
    var allocatable = node.getStatus() == null || node.getStatus().getAllocatable() == null ? Map.<String,
        io.fabric8.kubernetes.api.model.Quantity>of() : node.getStatus().getAllocatable();
    long cpu = Objects.millicores(allocatable.get("cpu"));
    long memory = Objects.bytes(allocatable.get("memory"));
    long usedCpu = 0;
    long usedMemory = 0;
    for (Pod p : placed) {
      if (node.getMetadata().getName().equals(p.getSpec().getNodeName())) {
        long[] r = Objects.requests(p);
        usedCpu += r[0];
        usedMemory += r[1];
      }
    }
    List<String> reasons = new ArrayList<>();
    if (allocatable.containsKey("cpu") && usedCpu + wants[0] > cpu) {
      reasons.add("Insufficient cpu");
    }
    if (allocatable.containsKey("memory") && usedMemory + wants[1] > memory) {
      reasons.add("Insufficient memory");
    }
    return reasons;
  }

  /** The zones the pod's bound volumes allow, or null when no volume restricts it. */
  private static List<String> volumeZones(Pod pod, ClusterView view) {
    List<String> allowed = null;
    for (Volume v : pod.getSpec().getVolumes() == null ? List.<Volume>of() : pod.getSpec().getVolumes()) {
      if (v.getPersistentVolumeClaim() == null) {
        continue;
      }
      String claim = v.getPersistentVolumeClaim().getClaimName();
      PersistentVolumeClaim pvc = view.pvcs().stream().filter(c -> c.getMetadata().getNamespace()
          .equals(pod.getMetadata().getNamespace()) && c.getMetadata().getName().equals(claim)).findFirst().orElse(null);
      if (pvc == null || pvc.getSpec().getVolumeName() == null) {
        continue;
      }
      PersistentVolume pv = view.pvs().stream().filter(p -> p.getMetadata().getName()
          .equals(pvc.getSpec().getVolumeName())).findFirst().orElse(null);
      List<String> zones = pv == null ? List.of() : zonesOf(pv);
      if (!zones.isEmpty()) {
        allowed = allowed == null ? new ArrayList<>(zones) : allowed;
        allowed.retainAll(zones);
      }
    }
    return allowed;
  }

  static List<String> zonesOf(PersistentVolume pv) {
    List<String> zones = new ArrayList<>();
    if (pv.getSpec().getNodeAffinity() != null && pv.getSpec().getNodeAffinity().getRequired() != null) {
      for (NodeSelectorTerm term : pv.getSpec().getNodeAffinity().getRequired().getNodeSelectorTerms()) {
        term.getMatchExpressions().stream().filter(e -> e.getKey().equals(Objects.ZONE_LABEL))
            .forEach(e -> zones.addAll(e.getValues()));
      }
    }
    return zones;
  }

  private static boolean violatesAntiAffinity(Pod pod, Node node, List<Pod> placed, ClusterView view) {
    Map<String, Node> nodesByName = new HashMap<>();
    view.nodes().forEach(n -> nodesByName.put(n.getMetadata().getName(), n));
    for (Pod other : placed) {
      Node otherNode = nodesByName.get(other.getSpec().getNodeName());
      if (otherNode == null || other.getMetadata().getUid() != null
          && other.getMetadata().getUid().equals(pod.getMetadata().getUid())) {
        continue;
      }
      // the incoming pod's terms against pods already there, and theirs against it
      if (conflicts(pod, other, node, otherNode) || conflicts(other, pod, otherNode, node)) {
        return true;
      }
    }
    return false;
  }

  private static boolean conflicts(Pod owner, Pod target, Node ownerNode, Node targetNode) {
    var affinity = owner.getSpec().getAffinity();
    if (affinity == null || affinity.getPodAntiAffinity() == null
        || affinity.getPodAntiAffinity().getRequiredDuringSchedulingIgnoredDuringExecution() == null) {
      return false;
    }
    for (PodAffinityTerm term : affinity.getPodAntiAffinity().getRequiredDuringSchedulingIgnoredDuringExecution()) {
      List<String> namespaces = term.getNamespaces() == null || term.getNamespaces().isEmpty()
          ? List.of(owner.getMetadata().getNamespace()) : term.getNamespaces();
      String topology = term.getTopologyKey();
      String a = Objects.label(ownerNode, topology);
      if (a != null && a.equals(Objects.label(targetNode, topology))
          && namespaces.contains(target.getMetadata().getNamespace())
          && Objects.matches(term.getLabelSelector(), target.getMetadata().getLabels())) {
        return true;
      }
    }
    return false;
  }

  private static String family(Pod pod) {
    Map<String, String> labels = new TreeMap<>(pod.getMetadata().getLabels() == null ? Map.of()
        : pod.getMetadata().getLabels());
    labels.remove("pod-template-hash");
    labels.remove("controller-revision-hash");
    labels.remove("statefulset.kubernetes.io/pod-name");
    labels.remove("apps.kubernetes.io/pod-index");
    return pod.getMetadata().getNamespace() + labels;
  }

  private static long siblingsOn(Pod pod, Node node, List<Pod> placed, ClusterView view) {
    String family = family(pod);
    return placed.stream().filter(p -> node.getMetadata().getName().equals(p.getSpec().getNodeName()))
        .filter(p -> family(p).equals(family)).count();
  }

  private static long siblingsInZone(Pod pod, Node node, List<Pod> placed, ClusterView view) {
    String zone = Objects.label(node, Objects.ZONE_LABEL);
    if (zone == null) {
      return 0;
    }
    String family = family(pod);
    return placed.stream().filter(p -> family(p).equals(family)).filter(p -> {
      Node n = view.node(p.getSpec().getNodeName());
      return n != null && zone.equals(Objects.label(n, Objects.ZONE_LABEL));
    }).count();
  }

  private static long usedCpu(Node node, List<Pod> placed) {
    return placed.stream().filter(p -> node.getMetadata().getName().equals(p.getSpec().getNodeName()))
        .mapToLong(p -> Objects.requests(p)[0]).sum();
  }
}
