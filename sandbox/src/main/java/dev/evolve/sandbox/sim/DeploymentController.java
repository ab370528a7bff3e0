package dev.evolve.sandbox.sim;

import io.fabric8.kubernetes.api.model.IntOrString;
import io.fabric8.kubernetes.api.model.ObjectMeta;
import io.fabric8.kubernetes.api.model.Pod;
import io.fabric8.kubernetes.api.model.PodTemplateSpec;
import io.fabric8.kubernetes.api.model.apps.Deployment;
import io.fabric8.kubernetes.api.model.apps.DeploymentStatusBuilder;
import io.fabric8.kubernetes.api.model.apps.ReplicaSet;
import io.fabric8.kubernetes.api.model.apps.ReplicaSetBuilder;
import io.fabric8.kubernetes.client.utils.Serialization;
import java.util.ArrayList;
import java.util.Comparator;
import java.util.HashMap;
import java.util.List;
import java.util.Map;

/**
 * Deployments as the deployment controller runs them: one ReplicaSet per pod template
 * (DEPLOYMENT-HASH, labelled pod-template-hash), and a changed template rolled out either
 * RollingUpdate (new ReplicaSet up to replicas + maxSurge, old ones down only as far as
 * Ready pods above replicas - maxUnavailable allow) or Recreate (old ones to zero first).
 * Status: observedGeneration, replicas, updatedReplicas, readyReplicas, availableReplicas.
 */
final class DeploymentController implements Controller {

  @Override
  public void reconcile(ClusterView view) {
    for (Deployment d : view.deployments()) {
      reconcile(view, d);
    }
  }

  private void reconcile(ClusterView view, Deployment d) {
    String ns = d.getMetadata().getNamespace();
    int replicas = d.getSpec().getReplicas() == null ? 1 : d.getSpec().getReplicas();
    String hash = templateHash(d.getSpec().getTemplate());
    List<ReplicaSet> owned = view.replicaSets().stream().filter(rs -> Objects.ownedBy(rs, d)).toList();
    ReplicaSet found = owned.stream().filter(rs -> hash.equals(label(rs))).findFirst().orElse(null);
    List<ReplicaSet> old = owned.stream().filter(rs -> rs != found).toList();
    ReplicaSet current = found;
    boolean recreate = d.getSpec().getStrategy() != null && "Recreate".equals(d.getSpec().getStrategy().getType());
    if (current == null) {
      boolean oldGone = old.stream().allMatch(rs -> spec(rs) == 0);
      int start = old.isEmpty() ? replicas : 0;
      current = createReplicaSet(view, d, hash, recreate && !oldGone ? 0 : start);
      view.invalidate();
    }
    if (recreate) {
      for (ReplicaSet rs : old) {
        scale(view, rs, 0);
      }
      boolean oldPodsGone = old.stream().allMatch(rs -> pods(view, rs).isEmpty());
      if (oldPodsGone) {
        scale(view, current, replicas);
      }
    } else {
      rollingUpdate(view, d, replicas, current, old);
    }
    updateStatus(view, d, replicas, current, old);
  }

  private void rollingUpdate(ClusterView view, Deployment d, int replicas, ReplicaSet current, List<ReplicaSet> old) {
    var rolling = d.getSpec().getStrategy() == null ? null : d.getSpec().getStrategy().getRollingUpdate();
    int maxSurge = resolve(rolling == null ? null : rolling.getMaxSurge(), replicas, true);
    int maxUnavailable = resolve(rolling == null ? null : rolling.getMaxUnavailable(), replicas, false);
    if (maxSurge == 0 && maxUnavailable == 0) {
      maxUnavailable = 1;
    }
    if (old.stream().allMatch(rs -> spec(rs) == 0)) {
      scale(view, current, replicas);
      return;
    }
    // scale up the new ReplicaSet within replicas + maxSurge
    int total = spec(current) + old.stream().mapToInt(DeploymentController::spec).sum();
    int room = replicas + maxSurge - total;
    if (room > 0 && spec(current) < replicas) {
      scale(view, current, Math.min(replicas, spec(current) + room));
    }
    // scale down old ones: first their pods that are not Ready, then as far as Ready pods allow
    int minAvailable = replicas - maxUnavailable;
    int newUnavailable = spec(current) - (int) pods(view, current).stream().filter(Objects::isReady).count();
    int allPods = spec(current) + old.stream().mapToInt(DeploymentController::spec).sum();
    int cleanup = allPods - minAvailable - Math.max(0, newUnavailable);
    List<ReplicaSet> oldest = new ArrayList<>(old);
    oldest.sort(Comparator.comparing(rs -> rs.getMetadata().getCreationTimestamp()));
    for (ReplicaSet rs : oldest) {
      if (cleanup <= 0) {
        break;
      }
      int unhealthy = spec(rs) - (int) pods(view, rs).stream().filter(Objects::isReady).count();
      int down = Math.min(Math.max(0, unhealthy), cleanup);
      if (down > 0) {
        scale(view, rs, spec(rs) - down);
        cleanup -= down;
      }
    }
    int available = (int) view.activePods().stream().filter(p -> owned(view, d).stream().anyMatch(rs -> Objects.ownedBy(p, rs)))
        .filter(Objects::isReady).count();
    int canScaleDown = available - minAvailable;
    for (ReplicaSet rs : oldest) {
      if (canScaleDown <= 0) {
        break;
      }
      int down = Math.min(spec(rs), canScaleDown);
      if (down > 0) {
        scale(view, rs, spec(rs) - down);
        canScaleDown -= down;
      }
    }
  }

  private void updateStatus(ClusterView view, Deployment d, int replicas, ReplicaSet current, List<ReplicaSet> old) {
    view.invalidate();
    List<ReplicaSet> all = owned(view, d);
    List<Pod> pods = view.activePods().stream().filter(p -> all.stream().anyMatch(rs -> Objects.ownedBy(p, rs))).toList();
    String currentName = current.getMetadata().getName();
    int updated = (int) pods.stream().filter(p -> Objects.controllerOf(p).getName().equals(currentName)).count();
    int ready = (int) pods.stream().filter(Objects::isReady).count();
    Long generation = d.getMetadata().getGeneration();
    var status = new DeploymentStatusBuilder().withObservedGeneration(generation).withReplicas(pods.size())
        .withUpdatedReplicas(updated).withReadyReplicas(ready).withAvailableReplicas(ready)
        .withUnavailableReplicas(Math.max(0, replicas - ready))
        .addNewCondition().withType("Available").withStatus(ready >= replicas - maxUnavailableOf(d, replicas) ? "True" : "False")
        .withReason(ready >= replicas ? "MinimumReplicasAvailable" : "MinimumReplicasUnavailable").endCondition()
        .addNewCondition().withType("Progressing").withStatus("True")
        .withReason(updated == replicas && pods.size() == replicas ? "NewReplicaSetAvailable" : "ReplicaSetUpdated")
        .withMessage("ReplicaSet \"" + currentName + "\" is progressing.").endCondition()
        .build();
    var was = d.getStatus();
    if (was != null && java.util.Objects.equals(was.getObservedGeneration(), generation)
        && java.util.Objects.equals(was.getReplicas(), status.getReplicas())
        && java.util.Objects.equals(was.getUpdatedReplicas(), status.getUpdatedReplicas())
        && java.util.Objects.equals(was.getReadyReplicas(), status.getReadyReplicas())) {
      return;
    }
    view.client().apps().deployments().inNamespace(d.getMetadata().getNamespace()).withName(d.getMetadata().getName())
        .editStatus(x -> {
          x.setStatus(status);
          return x;
        });
    view.invalidate();
  }

  private static int maxUnavailableOf(Deployment d, int replicas) {
    var rolling = d.getSpec().getStrategy() == null ? null : d.getSpec().getStrategy().getRollingUpdate();
    return resolve(rolling == null ? null : rolling.getMaxUnavailable(), replicas, false);
  }

  private static List<ReplicaSet> owned(ClusterView view, Deployment d) {
    return view.replicaSets().stream().filter(rs -> Objects.ownedBy(rs, d)).toList();
  }

  private static List<Pod> pods(ClusterView view, ReplicaSet rs) {
    return view.activePods().stream().filter(p -> Objects.ownedBy(p, rs)).toList();
  }

  private ReplicaSet createReplicaSet(ClusterView view, Deployment d, String hash, int replicas) {
    PodTemplateSpec template = Serialization.clone(d.getSpec().getTemplate());
    if (template.getMetadata() == null) {
      template.setMetadata(new ObjectMeta());
    }
    Map<String, String> labels = new HashMap<>(template.getMetadata().getLabels() == null ? Map.of()
        : template.getMetadata().getLabels());
    labels.put("pod-template-hash", hash);
    template.getMetadata().setLabels(labels);
    var selector = Serialization.clone(d.getSpec().getSelector());
    if (selector.getMatchLabels() == null) {
      selector.setMatchLabels(new HashMap<>());
    }
    selector.getMatchLabels().put("pod-template-hash", hash);
    ReplicaSet rs = new ReplicaSetBuilder()
        .withNewMetadata().withName(d.getMetadata().getName() + "-" + hash).withNamespace(d.getMetadata().getNamespace())
        .withLabels(labels).withOwnerReferences(PodFactory.ownerReference(d)).endMetadata()
        .withNewSpec().withReplicas(replicas).withSelector(selector).withTemplate(template).endSpec()
        .build();
    return view.client().apps().replicaSets().inNamespace(d.getMetadata().getNamespace()).resource(rs).create();
  }

  private static void scale(ClusterView view, ReplicaSet rs, int replicas) {
    if (spec(rs) == replicas) {
      return;
    }
    view.client().apps().replicaSets().inNamespace(rs.getMetadata().getNamespace()).withName(rs.getMetadata().getName())
        .edit(r -> {
          r.getSpec().setReplicas(replicas);
          return r;
        });
    rs.getSpec().setReplicas(replicas);
    view.invalidate();
  }

  private static int spec(ReplicaSet rs) {
    return rs.getSpec().getReplicas() == null ? 1 : rs.getSpec().getReplicas();
  }

  private static String label(ReplicaSet rs) {
    return rs.getMetadata().getLabels() == null ? null : rs.getMetadata().getLabels().get("pod-template-hash");
  }

  /** The template's hash, without the hash label itself so that it is stable. */
  static String templateHash(PodTemplateSpec template) {
    PodTemplateSpec copy = Serialization.clone(template);
    if (copy.getMetadata() != null && copy.getMetadata().getLabels() != null) {
      copy.getMetadata().getLabels().remove("pod-template-hash");
    }
    try {
      // map entries sorted so that the same template always hashes the same
      return Names.hash(Serialization.jsonMapper().writer()
          .with(com.fasterxml.jackson.databind.SerializationFeature.ORDER_MAP_ENTRIES_BY_KEYS).writeValueAsString(copy));
    } catch (com.fasterxml.jackson.core.JsonProcessingException e) {
      throw new IllegalStateException(e);
    }
  }

  /** maxSurge rounds up, maxUnavailable down; 25% when not given. */
  static int resolve(IntOrString value, int replicas, boolean roundUp) {
    if (value == null) {
      value = new IntOrString("25%");
    }
    if (value.getIntVal() != null) {
      return value.getIntVal();
    }
    String text = value.getStrVal().trim();
    if (!text.endsWith("%")) {
      return Integer.parseInt(text);
    }
    double exact = replicas * Integer.parseInt(text.substring(0, text.length() - 1)) / 100.0;
    return (int) (roundUp ? Math.ceil(exact) : Math.floor(exact));
  }
}
