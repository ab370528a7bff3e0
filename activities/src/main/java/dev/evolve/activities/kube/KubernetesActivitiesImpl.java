package dev.evolve.activities.kube;

import dev.evolve.activities.ActivityMetrics;

import dev.evolve.workflows.activities.FailureTypes;
import dev.evolve.workflows.activities.KubernetesActivities;
import dev.evolve.workflows.model.MoveResult;
import dev.evolve.workflows.model.NodeInfo;
import dev.evolve.workflows.model.PoolInventory;
import dev.evolve.workflows.model.WorkloadRef;
import dev.evolve.workflows.model.WorkloadSelection;
import io.fabric8.kubernetes.api.model.HasMetadata;
import io.fabric8.kubernetes.api.model.Node;
import io.fabric8.kubernetes.api.model.Pod;
import io.fabric8.kubernetes.api.model.PodCondition;
import io.fabric8.kubernetes.api.model.apps.Deployment;
import io.fabric8.kubernetes.api.model.apps.StatefulSet;
import io.fabric8.kubernetes.api.model.apps.StatefulSetUpdateStrategy;
import io.fabric8.kubernetes.client.KubernetesClient;
import io.fabric8.kubernetes.client.dsl.base.PatchContext;
import io.fabric8.kubernetes.client.dsl.base.PatchType;
import io.temporal.activity.Activity;
import io.temporal.failure.ApplicationFailure;
import java.time.Duration;
import java.util.HashMap;
import java.util.List;
import java.util.Map;
import java.util.Optional;
import java.util.Set;
import java.util.function.Predicate;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;

/**
 * The Kubernetes side of the cycle on the fabric8 client. Every wait polls and heartbeats, and
 * every method can be called again after a crash: it finds the work half done and finishes it.
 */
public class KubernetesActivitiesImpl implements KubernetesActivities {

  private static final Logger log = LoggerFactory.getLogger(KubernetesActivitiesImpl.class);

  private final KubernetesClient client;
  private final Duration pollInterval;
  private final Duration unschedulableGrace;
  private final Inventory inventory;

  public KubernetesActivitiesImpl(KubernetesClient client) {
    this(client, Duration.ofSeconds(2), Duration.ofSeconds(60));
  }

  /** @param unschedulableGrace how long a moved pod may stay Unschedulable before the move fails */
  public KubernetesActivitiesImpl(KubernetesClient client, Duration pollInterval, Duration unschedulableGrace) {
    this.client = client;
    this.pollInterval = pollInterval;
    this.unschedulableGrace = unschedulableGrace;
    this.inventory = new Inventory(client);
  }

  @Override
  public PoolInventory inventory(String pool, WorkloadSelection selection) {
    return KubeErrors.call("inventory", () -> {
      return inventory.of(pool, selection);
    });
  }

  @Override
  public List<NodeInfo> nodes(String pool) {
    return KubeErrors.call("nodes", () -> {
      return Pools.nodes(client, pool).stream().map(Pools::info).toList();
    });
  }

  @Override
  public int cordonPool(String pool) {
    return KubeErrors.call("cordoning pool " + pool, () -> {
      return setUnschedulable(pool, true);
    });
  }

  @Override
  public int uncordonPool(String pool) {
    return KubeErrors.call("uncordoning pool " + pool, () -> {
      return setUnschedulable(pool, false);
    });
  }

  private int setUnschedulable(String pool, boolean unschedulable) {
    int changed = 0;
    for (Node node : Pools.nodes(client, pool)) {
      if (Boolean.TRUE.equals(node.getSpec().getUnschedulable()) != unschedulable) {
        // a merge patch of the one field, as kubectl cordon sends: no resourceVersion, so the
        // kubelet's status updates in between (every few seconds on a real node) cause no 409
        client.nodes().withName(node.getMetadata().getName()).patch(PatchContext.of(PatchType.JSON_MERGE),
            unschedulable ? "{\"spec\":{\"unschedulable\":true}}" : "{\"spec\":{\"unschedulable\":null}}");
        changed++;
      }
    }
    log.info("{} {} node(s) of pool {}", unschedulable ? "cordoned" : "uncordoned", changed, pool);
    return changed;
  }

  @Override
  public MoveResult moveDeployment(WorkloadRef ref, String toPool, long timeoutSeconds) {
    return KubeErrors.call("moving " + ref + " to " + toPool, () -> {
      client.apps().deployments().inNamespace(ref.namespace()).withName(ref.name()).edit(d -> {
        annotations(d.getMetadata().getAnnotations(), d::getMetadata).putIfAbsent(OriginalScheduling.ANNOTATION,
            OriginalScheduling.of(d).toJson());
        OriginalScheduling.requirePool(d.getSpec().getTemplate(), toPool);
        SurgeOnlyRollout.applyTo(d);
        return d;
      });
      Set<String> target = Pools.nodeNames(client, toPool);
      int ready = awaitRollout(ref, pod -> target.contains(pod.getSpec().getNodeName()), timeoutSeconds, "on " + toPool,
          toPool);
      return new MoveResult(ref, ready, "rollout done: " + ready + " ready on " + toPool);
    });
  }

  @Override
  public MoveResult restoreDeployment(WorkloadRef ref, String awayFromPool, long timeoutSeconds) {
    return KubeErrors.call("moving " + ref + " off " + awayFromPool, () -> {
      // The template goes back first and rolls out still surge-only; the strategy and the record go
      // last, so a retry after a crash finds the record and finishes the job.
      var deployment = client.apps().deployments().inNamespace(ref.namespace()).withName(ref.name());
      deployment.edit(d -> {
        recorded(d).ifPresent(original -> original.restoreInto(d.getSpec().getTemplate()));
        return d;
      });
      Set<String> away = Pools.nodeNames(client, awayFromPool);
      int ready = awaitRollout(ref, pod -> !away.contains(pod.getSpec().getNodeName()), timeoutSeconds,
          "off " + awayFromPool, null);
      deployment.edit(d -> {
        recorded(d).ifPresent(original -> {
          if (original.deploymentStrategy() != null) {
            d.getSpec().setStrategy(original.deploymentStrategy());
          }
          d.getMetadata().getAnnotations().remove(OriginalScheduling.ANNOTATION);
        });
        return d;
      });
      return new MoveResult(ref, ready, "rollout done: " + ready + " ready off " + awayFromPool);
    });
  }

  /** What the move recorded on the workload before it changed anything, if it is still there. */
  private static Optional<OriginalScheduling> recorded(HasMetadata workload) {
    Map<String, String> annotations = workload.getMetadata().getAnnotations();
    return Optional.ofNullable(annotations == null ? null : annotations.get(OriginalScheduling.ANNOTATION))
        .map(OriginalScheduling::fromJson);
  }

  /** Waits until the Deployment's rollout is complete and every pod is Ready where it should be. */
  private int awaitRollout(WorkloadRef ref, Predicate<Pod> placed, long timeoutSeconds, String where,
      String toPool) {
    long deadline = System.currentTimeMillis() + timeoutSeconds * 1000;
    SurgeReplacement surge = new SurgeReplacement(client);
    Long shortSince = null;
    Long stuckSince = null;
    while (true) {
      Deployment d = client.apps().deployments().inNamespace(ref.namespace()).withName(ref.name()).get();
      if (d == null) {
        throw ApplicationFailure.newNonRetryableFailure(ref + " no longer exists", FailureTypes.NOT_FOUND);
      }
      int replicas = d.getSpec().getReplicas() == null ? 1 : d.getSpec().getReplicas();
      var status = d.getStatus();
      List<Pod> pods = client.pods().inNamespace(ref.namespace())
          .withLabels(d.getSpec().getSelector().getMatchLabels()).list().getItems().stream()
          .filter(p -> p.getMetadata().getDeletionTimestamp() == null && !Pools.isFinished(p)).toList();
      long good = pods.stream().filter(p -> Pools.isReady(p) && p.getSpec().getNodeName() != null && placed.test(p))
          .count();
      // an API server always sets generation; without one there is nothing to compare
      boolean observed = d.getMetadata().getGeneration() == null || (status != null
          && status.getObservedGeneration() != null && status.getObservedGeneration() >= d.getMetadata().getGeneration());
      boolean rolledOut = status != null && observed
          && value(status.getUpdatedReplicas()) == replicas && value(status.getAvailableReplicas()) == replicas
          && value(status.getReplicas()) == replicas;
      Optional<Integer> surgedFrom = SurgeReplacement.startedFrom(d);
      String progress = ref + ": " + good + "/" + replicas + " ready " + where + ", " + pods.size() + " pods"
          + pendingReason(pods) + surgedFrom.map(n -> "; replacing misplaced pods, " + n + " replicas after").orElse("");
      Activity.getExecutionContext().heartbeat(progress);
      if (surgedFrom.isPresent()) {
        // a replacement under way (this attempt's, or one before a crash) ends once every pod is Ready
        if (pods.size() >= replicas && pods.stream().allMatch(Pools::isReady)) {
          surge.end(ref);
        }
      } else if (rolledOut && pods.size() == replicas && good == replicas) {
        return replicas;
      } else if (rolledOut) {
        // The rollout is over, yet a pod of it runs in the wrong place: a scheduler whose cache had not
        // seen the cordon put it there (chaos soak seed 1127 cycle 37 and seed 1128 cycle 19, after an
        // API server restart), or it tolerates the cordon. Nothing else would move it; it is replaced
        // by a surge, as the rollout would have, since its budget may allow no eviction at all.
        List<Pod> misplaced = pods.stream()
            .filter(p -> Pools.isReady(p) && p.getSpec().getNodeName() != null && !placed.test(p)).toList();
        if (!misplaced.isEmpty()) {
          log.warn("{}: {} runs in the wrong pool after the rollout (should run {}); replacing it by a surge",
              ref, names(misplaced), where);
          surge.start(ref, misplaced);
        }
      }
      Optional<Pod> surgeStuck = surgedFrom.isEmpty() ? Optional.empty()
          : pods.stream().filter(KubernetesActivitiesImpl::isUnschedulable).findFirst();
      stuckSince = surgeStuck.isEmpty() ? null : stuckSince == null ? System.currentTimeMillis() : stuckSince;
      if (surgeStuck.isPresent() && System.currentTimeMillis() - stuckSince > unschedulableGrace.toMillis()) {
        surge.end(ref);
        throw ApplicationFailure.newNonRetryableFailure(ref + " has a pod in the wrong pool after its rollout, and the"
            + " pod to replace it cannot be scheduled " + where + pendingReason(List.of(surgeStuck.get()))
            .replaceFirst("^; ", ": ") + " — no other pod is moved until this is fixed", FailureTypes.UNSCHEDULABLE);
      }
      // surge-only: the old pods keep running while a new one waits for room that will not come
      Optional<String> noRoom = toPool == null || surgedFrom.isPresent() ? Optional.empty()
          : pods.stream().filter(KubernetesActivitiesImpl::isUnschedulable)
              .map(p -> pendingReason(List.of(p)).replace("; ", "")).filter(TooSmall::isCapacity).findFirst();
      shortSince = noRoom.isEmpty() ? null : shortSince == null ? System.currentTimeMillis() : shortSince;
      if (noRoom.isPresent() && System.currentTimeMillis() - shortSince > unschedulableGrace.toMillis()) {
        throw ApplicationFailure.newNonRetryableFailure(ref + " cannot roll out " + where + ": " + noRoom.get()
            + " — " + TooSmall.hint(client, toPool), FailureTypes.TEMP_POOL_TOO_SMALL);
      }
      if (System.currentTimeMillis() > deadline) {
        surge.end(ref);
        throw ApplicationFailure.newFailure("rollout not finished after " + timeoutSeconds + "s: " + progress,
            FailureTypes.MOVE_TIMED_OUT);
      }
      Evictions.sleep(pollInterval.toMillis());
    }
  }

  @Override
  public MoveResult moveStatefulSetPod(WorkloadRef ref, int ordinal, String toPool, long timeoutSeconds) {
    return KubeErrors.call("moving " + ref + " pod " + ordinal + " to " + toPool, () -> {
      client.apps().statefulSets().inNamespace(ref.namespace()).withName(ref.name()).edit(s -> {
        annotations(s.getMetadata().getAnnotations(), s::getMetadata).putIfAbsent(OriginalScheduling.ANNOTATION,
            OriginalScheduling.of(s).toJson());
        // OnDelete: the controller must never roll the other pods because the template changed
        s.getSpec().setUpdateStrategy(new StatefulSetUpdateStrategy(null, "OnDelete"));
        OriginalScheduling.requirePool(s.getSpec().getTemplate(), toPool);
        return s;
      });
      Set<String> target = Pools.nodeNames(client, toPool);
      return movePod(ref, ordinal, pod -> target.contains(pod.getSpec().getNodeName()), timeoutSeconds, "on " + toPool,
          toPool);
    });
  }

  @Override
  public MoveResult restoreStatefulSetPod(WorkloadRef ref, int ordinal, String awayFromPool, long timeoutSeconds) {
    return KubeErrors.call("moving " + ref + " pod " + ordinal + " off " + awayFromPool, () -> {
      StatefulSet sts = client.apps().statefulSets().inNamespace(ref.namespace()).withName(ref.name()).edit(s -> {
        recorded(s).ifPresent(original -> original.restoreInto(s.getSpec().getTemplate()));
        return s;
      });
      Set<String> away = Pools.nodeNames(client, awayFromPool);
      MoveResult result = movePod(ref, ordinal, pod -> !away.contains(pod.getSpec().getNodeName()), timeoutSeconds,
          "off " + awayFromPool, null);
      finishRestoreWhenAllBack(sts, away);
      return result;
    });
  }

  /** Once every pod is back and Ready, the StatefulSet gets its own update strategy back. */
  private void finishRestoreWhenAllBack(StatefulSet sts, Set<String> away) {
    int replicas = sts.getSpec().getReplicas() == null ? 1 : sts.getSpec().getReplicas();
    List<Pod> pods = client.pods().inNamespace(sts.getMetadata().getNamespace())
        .withLabels(sts.getSpec().getSelector().getMatchLabels()).list().getItems();
    boolean allBack = pods.size() == replicas && pods.stream()
        .allMatch(p -> Pools.isReady(p) && !away.contains(p.getSpec().getNodeName()));
    if (!allBack) {
      return;
    }
    client.apps().statefulSets().inNamespace(sts.getMetadata().getNamespace()).withName(sts.getMetadata().getName())
        .edit(s -> {
          recorded(s).ifPresent(original -> {
            s.getSpec().setUpdateStrategy(original.updateStrategy());
            s.getMetadata().getAnnotations().remove(OriginalScheduling.ANNOTATION);
          });
          return s;
        });
  }

  /**
   * Evicts pod NAME-ORDINAL unless it already runs where it should, then waits for its successor
   * (a new UID) to be Ready in the right place. A successor that stays Unschedulable stops the
   * move: nothing else is touched while a broker cannot be placed.
   */
  private MoveResult movePod(WorkloadRef ref, int ordinal, Predicate<Pod> placed, long timeoutSeconds, String where,
      String toPool) {
    String name = ref.name() + "-" + ordinal;
    var podResource = client.pods().inNamespace(ref.namespace()).withName(name);
    Pod pod = podResource.get();
    if (pod != null && pod.getSpec().getNodeName() != null && placed.test(pod) && Pools.isReady(pod)) {
      return new MoveResult(ref, 0, name + " already ready " + where);
    }
    String oldUid = null;
    if (pod != null && pod.getSpec().getNodeName() != null && !placed.test(pod)
        && pod.getMetadata().getDeletionTimestamp() == null) {
      oldUid = pod.getMetadata().getUid();
      evictions()
          .evict(pod, Duration.ofSeconds(timeoutSeconds));
    }
    long deadline = System.currentTimeMillis() + timeoutSeconds * 1000;
    Long unschedulableSince = null;
    while (true) {
      Pod now = podResource.get();
      boolean successor = now != null && !now.getMetadata().getUid().equals(oldUid)
          && now.getMetadata().getDeletionTimestamp() == null;
      String state = now == null ? "not recreated yet" : now.getSpec().getNodeName() == null
          ? "Pending" + pendingReason(List.of(now)) : "on " + now.getSpec().getNodeName()
              + (Pools.isReady(now) ? ", Ready" : ", not Ready");
      Activity.getExecutionContext().heartbeat(name + ": " + state);
      if (successor && now.getSpec().getNodeName() != null && placed.test(now) && Pools.isReady(now)) {
        return new MoveResult(ref, 1, name + " ready " + where + " on " + now.getSpec().getNodeName());
      }
      if (successor && now.getSpec().getNodeName() != null && !placed.test(now) && Pools.isReady(now)
          && evictMisplaced(now, where)) {
        // placed in the wrong pool (see awaitRollout): its successor is the one to wait for
        oldUid = now.getMetadata().getUid();
      }
      if (successor && isUnschedulable(now)) {
        unschedulableSince = unschedulableSince == null ? System.currentTimeMillis() : unschedulableSince;
        if (System.currentTimeMillis() - unschedulableSince > unschedulableGrace.toMillis()) {
          String reason = pendingReason(List.of(now)).replace("; ", "");
          if (toPool != null && TooSmall.isCapacity(reason)) {
            throw ApplicationFailure.newNonRetryableFailure(name + " cannot be scheduled " + where + ": " + reason
                + " — " + TooSmall.hint(client, toPool), FailureTypes.TEMP_POOL_TOO_SMALL);
          }
          throw ApplicationFailure.newNonRetryableFailure(name + " cannot be scheduled " + where + ": "
              + reason + " — no other pod is moved until this is fixed", FailureTypes.UNSCHEDULABLE);
        }
      } else {
        unschedulableSince = null;
      }
      if (System.currentTimeMillis() > deadline) {
        throw ApplicationFailure.newFailure(name + " not ready " + where + " after " + timeoutSeconds + "s: " + state,
            FailureTypes.MOVE_TIMED_OUT);
      }
      Evictions.sleep(pollInterval.toMillis());
    }
  }

  /**
   * Evicts a pod that a move placed in the wrong pool; a budget that refuses for now is asked
   * again at the next look.
   *
   * @return whether it was evicted
   */
  private boolean evictMisplaced(Pod pod, String where) {
    String name = pod.getMetadata().getNamespace() + "/" + pod.getMetadata().getName();
    try {
      evictions().evict(pod, Duration.ofSeconds(5));
      log.warn("evicted {} from {}: it should run {}", name, pod.getSpec().getNodeName(), where);
      return true;
    } catch (ApplicationFailure refused) {
      log.info("{} runs on {}, not {}, and cannot be evicted yet: {}", name, pod.getSpec().getNodeName(), where,
          refused.getOriginalMessage());
      return false;
    }
  }

  /** Evictions that heartbeat the running activity and count each refusal by a budget. */
  private Evictions evictions() {
    return new Evictions(client, pollInterval, what -> Activity.getExecutionContext().heartbeat(what),
        () -> ActivityMetrics.disruptionSeen(ActivityMetrics.EVICTION_REFUSED_BY_BUDGET));
  }

  @Override
  public MoveResult evictPods(WorkloadRef ref, String fromPool, long budgetSeconds) {
    return KubeErrors.call("evicting " + ref + " from " + fromPool, () -> {
      if (ref.kind().equals("Pod")) {
        throw ApplicationFailure.newNonRetryableFailure(ref + " has no controller: evicting it would delete it for good",
            FailureTypes.UNSAFE);
      }
      Evictions evictions = evictions();
      long deadline = System.currentTimeMillis() + budgetSeconds * 1000;
      int evicted = 0;
      Long unschedulableSince = null;
      while (true) {
        for (Pod pod : podsOf(ref, fromPool)) {
          evictions.evict(pod, Duration.ofMillis(Math.max(1_000, deadline - System.currentTimeMillis())));
          evicted++;
        }
        // The pool is emptied to be upgraded or deleted next. A replacement that has no node yet may
        // still be placed on it (a scheduler whose cache has not seen the cordon, a pod that tolerates
        // it), so the move is done only when every pod of the workload runs elsewhere.
        List<Pod> unplaced = unplaced(ref);
        List<Pod> back = podsOf(ref, fromPool);
        if (unplaced.isEmpty() && back.isEmpty()) {
          return new MoveResult(ref, evicted, "evicted " + evicted + " pod(s) from " + fromPool
              + "; every pod of it runs elsewhere");
        }
        String progress = ref + ": evicted " + evicted + " pod(s) from " + fromPool + "; " + unplaced.size()
            + " waiting for a node" + pendingReason(unplaced)
            + (back.isEmpty() ? "" : "; placed back on " + fromPool + ": " + names(back));
        Activity.getExecutionContext().heartbeat(progress);
        boolean stuck = !unplaced.isEmpty() && back.isEmpty()
            && unplaced.stream().allMatch(KubernetesActivitiesImpl::isUnschedulable);
        unschedulableSince = !stuck ? null : unschedulableSince == null ? System.currentTimeMillis() : unschedulableSince;
        if (stuck && System.currentTimeMillis() - unschedulableSince > unschedulableGrace.toMillis()) {
          throw ApplicationFailure.newNonRetryableFailure(ref + " cannot be scheduled off " + fromPool
              + pendingReason(unplaced).replaceFirst("^; ", ": ") + " — no other pod is moved until this is fixed",
              FailureTypes.UNSCHEDULABLE);
        }
        if (System.currentTimeMillis() > deadline) {
          throw ApplicationFailure.newFailure("not every pod placed off " + fromPool + " after " + budgetSeconds
              + "s: " + progress, FailureTypes.MOVE_TIMED_OUT);
        }
        Evictions.sleep(pollInterval.toMillis());
      }
    });
  }

  /** The workload's pods that have no node yet (not those on their way out or done). */
  private List<Pod> unplaced(WorkloadRef ref) {
    return client.pods().inNamespace(ref.namespace()).list().getItems().stream()
        .filter(p -> p.getSpec().getNodeName() == null && p.getMetadata().getDeletionTimestamp() == null
            && !Pools.isFinished(p) && inventory.owner(p).equals(ref))
        .toList();
  }

  /** The workload's pods on the pool that are not already on their way out. */
  private List<Pod> podsOf(WorkloadRef ref, String pool) {
    return Pools.pods(client, pool).stream()
        .filter(p -> p.getMetadata().getDeletionTimestamp() == null && inventory.owner(p).equals(ref))
        .toList();
  }

  private static String names(List<Pod> pods) {
    return pods.stream().map(p -> p.getMetadata().getName()).toList().toString();
  }

  @Override
  public List<String> workloadPodsOnPool(String pool) {
    return KubeErrors.call("workloadPodsOnPool", () -> {
      return Pools.pods(client, pool).stream()
          .filter(p -> !isMirror(p))
          .filter(p -> !inventory.owner(p).kind().equals("DaemonSet"))
          .map(p -> p.getMetadata().getNamespace() + "/" + p.getMetadata().getName())
          .toList();
    });
  }

  @Override
  public List<String> evacuatePool(String pool, long budgetSeconds) {
    return KubeErrors.call("emptying pool " + pool, () -> {
      Evictions evictions = evictions();
      long deadline = System.currentTimeMillis() + budgetSeconds * 1000;
      Set<WorkloadRef> evictedOwners = new java.util.HashSet<>();
      while (true) {
        List<String> staying = new java.util.ArrayList<>();
        List<Pod> leaving = new java.util.ArrayList<>();
        for (Pod pod : Pools.pods(client, pool)) {
          WorkloadRef owner = inventory.owner(pod);
          String name = pod.getMetadata().getNamespace() + "/" + pod.getMetadata().getName();
          if (owner.kind().equals("DaemonSet") || isMirror(pod)) {
            continue;
          }
          if (owner.kind().equals("Pod")) {
            staying.add(name + ": has no controller, evicting it would delete it for good");
          } else if (pod.getMetadata().getDeletionTimestamp() != null) {
            leaving.add(pod);
          } else {
            // Not in the plan (someone started it here during the cycle): its owner restarts it elsewhere.
            long left = Math.max(1, (deadline - System.currentTimeMillis()) / 1000);
            try {
              evictions.evict(pod, Duration.ofSeconds(left));
              log.info("evicted {} ({}) from pool {}, which is about to be removed", name, owner, pool);
              leaving.add(pod);
              evictedOwners.add(owner);
            } catch (ApplicationFailure refused) {
              staying.add(name + ": " + refused.getOriginalMessage());
            }
          }
        }
        // the replacements of what was evicted must have a node first: one without may land here yet
        List<Pod> unplaced = evictedOwners.stream().flatMap(owner -> unplaced(owner).stream()).toList();
        Activity.getExecutionContext().heartbeat(pool + ": " + leaving.size() + " pod(s) terminating, "
            + unplaced.size() + " replacement(s) without a node, " + staying.size() + " staying");
        if ((leaving.isEmpty() && unplaced.isEmpty()) || System.currentTimeMillis() > deadline) {
          leaving.forEach(p -> staying.add(p.getMetadata().getNamespace() + "/" + p.getMetadata().getName()
              + ": still terminating after " + budgetSeconds + "s"));
          unplaced.forEach(p -> staying.add(p.getMetadata().getNamespace() + "/" + p.getMetadata().getName()
              + ": replaces a pod evicted from " + pool + " and still has no node after " + budgetSeconds + "s"
              + pendingReason(List.of(p))));
          return staying;
        }
        Evictions.sleep(pollInterval.toMillis());
      }
    });
  }

  private static boolean isMirror(Pod pod) {
    return pod.getMetadata().getAnnotations() != null
        && pod.getMetadata().getAnnotations().containsKey("kubernetes.io/config.mirror");
  }

  private static boolean isUnschedulable(Pod pod) {
    return pod.getSpec().getNodeName() == null && conditions(pod).stream()
        .anyMatch(c -> "PodScheduled".equals(c.getType()) && "False".equals(c.getStatus())
            && "Unschedulable".equals(c.getReason()));
  }

  private static String pendingReason(List<Pod> pods) {
    return pods.stream().filter(p -> p.getSpec().getNodeName() == null)
        .flatMap(p -> conditions(p).stream().filter(c -> "PodScheduled".equals(c.getType()) && c.getMessage() != null)
            .map(c -> "; " + p.getMetadata().getName() + " " + c.getReason() + ": " + c.getMessage()))
        .findFirst().orElse("");
  }

  private static List<PodCondition> conditions(Pod pod) {
    return pod.getStatus() == null || pod.getStatus().getConditions() == null ? List.of()
        : pod.getStatus().getConditions();
  }

  private static Map<String, String> annotations(Map<String, String> existing,
      java.util.function.Supplier<io.fabric8.kubernetes.api.model.ObjectMeta> meta) {
    if (existing == null) {
      meta.get().setAnnotations(new HashMap<>());
    }
    return meta.get().getAnnotations();
  }

  private static int value(Integer i) {
    return i == null ? 0 : i;
  }
}
