package dev.evolve.activities.kube;

import com.fasterxml.jackson.annotation.JsonIgnoreProperties;
import io.fabric8.kubernetes.api.model.Affinity;
import io.fabric8.kubernetes.api.model.NodeAffinity;
import io.fabric8.kubernetes.api.model.NodeSelector;
import io.fabric8.kubernetes.api.model.NodeSelectorRequirement;
import io.fabric8.kubernetes.api.model.NodeSelectorTerm;
import io.fabric8.kubernetes.api.model.PodSpec;
import io.fabric8.kubernetes.api.model.PodTemplateSpec;
import io.fabric8.kubernetes.api.model.apps.Deployment;
import io.fabric8.kubernetes.api.model.apps.DeploymentStrategy;
import io.fabric8.kubernetes.api.model.apps.StatefulSet;
import io.fabric8.kubernetes.api.model.apps.StatefulSetUpdateStrategy;
import io.fabric8.kubernetes.client.utils.Serialization;
import java.util.ArrayList;
import java.util.List;
import java.util.Map;

/**
 * The scheduling fields of a pod template as they were before a move, kept as JSON in the
 * annotation {@value #ANNOTATION} on the workload itself, so that restoring puts back exactly
 * what was there, even after a worker crash, and a human can read what will be put back.
 *
 * @param hadAffinity whether spec.affinity existed at all (an empty one is not the same as none)
 * @param updateStrategy for StatefulSets: the strategy before it was set to OnDelete
 * @param deploymentStrategy for Deployments: the strategy before the move made it surge-only (null in
 *     annotations written before that, which then leave the strategy alone)
 */
@JsonIgnoreProperties(ignoreUnknown = true)
record OriginalScheduling(Map<String, String> nodeSelector, boolean hadAffinity, NodeAffinity nodeAffinity,
    StatefulSetUpdateStrategy updateStrategy, DeploymentStrategy deploymentStrategy) {

  static final String ANNOTATION = "evolve.dev/original-scheduling";

  static OriginalScheduling of(StatefulSet statefulSet) {
    return of(statefulSet.getSpec().getTemplate(), statefulSet.getSpec().getUpdateStrategy(), null);
  }

  static OriginalScheduling of(Deployment deployment) {
    return of(deployment.getSpec().getTemplate(), null, deployment.getSpec().getStrategy());
  }

  private static OriginalScheduling of(PodTemplateSpec template, StatefulSetUpdateStrategy updateStrategy,
      DeploymentStrategy deploymentStrategy) {
    PodSpec spec = template.getSpec();
    Affinity affinity = spec.getAffinity();
    return new OriginalScheduling(spec.getNodeSelector() == null || spec.getNodeSelector().isEmpty() ? null
        : Map.copyOf(spec.getNodeSelector()), affinity != null, affinity == null ? null : affinity.getNodeAffinity(),
        updateStrategy, deploymentStrategy);
  }

  String toJson() {
    return Serialization.asJson(this);
  }

  static OriginalScheduling fromJson(String json) {
    return Serialization.unmarshal(json, OriginalScheduling.class);
  }

  /** Puts the recorded fields back into the template, deep-copied from the record. */
  void restoreInto(PodTemplateSpec template) {
    OriginalScheduling copy = fromJson(toJson());
    PodSpec spec = template.getSpec();
    spec.setNodeSelector(copy.nodeSelector());
    if (!copy.hadAffinity()) {
      spec.setAffinity(null);
      return;
    }
    if (spec.getAffinity() == null) {
      spec.setAffinity(new Affinity());
    }
    spec.getAffinity().setNodeAffinity(copy.nodeAffinity());
  }

  /**
   * Requires nodes of {@code pool}: the pool expression is added to every required term (terms
   * are ORed, expressions within a term ANDed), replacing an earlier pool expression, so the
   * workload's own placement rules still hold on the new pool.
   */
  static void requirePool(PodTemplateSpec template, String pool) {
    PodSpec spec = template.getSpec();
    if (spec.getAffinity() == null) {
      spec.setAffinity(new Affinity());
    }
    Affinity affinity = spec.getAffinity();
    if (affinity.getNodeAffinity() == null) {
      affinity.setNodeAffinity(new NodeAffinity());
    }
    NodeAffinity nodeAffinity = affinity.getNodeAffinity();
    if (nodeAffinity.getRequiredDuringSchedulingIgnoredDuringExecution() == null) {
      nodeAffinity.setRequiredDuringSchedulingIgnoredDuringExecution(new NodeSelector(new ArrayList<>()));
    }
    List<NodeSelectorTerm> terms = nodeAffinity.getRequiredDuringSchedulingIgnoredDuringExecution().getNodeSelectorTerms();
    if (terms.isEmpty()) {
      terms.add(new NodeSelectorTerm(new ArrayList<>(), new ArrayList<>()));
    }
    NodeSelectorRequirement onPool = new NodeSelectorRequirement(Pools.POOL_LABEL, "In", List.of(pool));
    for (NodeSelectorTerm term : terms) {
      List<NodeSelectorRequirement> expressions = term.getMatchExpressions() == null
          ? new ArrayList<>() : new ArrayList<>(term.getMatchExpressions());
      expressions.removeIf(e -> Pools.POOL_LABEL.equals(e.getKey()));
      expressions.add(onPool);
      term.setMatchExpressions(expressions);
    }
    // a nodeSelector naming the old pool would contradict the requirement
    if (spec.getNodeSelector() != null && spec.getNodeSelector().containsKey(Pools.POOL_LABEL)) {
      Map<String, String> selector = new java.util.HashMap<>(spec.getNodeSelector());
      selector.remove(Pools.POOL_LABEL);
      spec.setNodeSelector(selector.isEmpty() ? null : selector);
    }
  }
}
