package dev.evolve.workflows.activities;

import dev.evolve.workflows.model.MoveResult;
import dev.evolve.workflows.model.NodeInfo;
import dev.evolve.workflows.model.PoolInventory;
import dev.evolve.workflows.model.WorkloadRef;
import dev.evolve.workflows.model.WorkloadSelection;
import io.temporal.activity.ActivityInterface;
import io.temporal.activity.ActivityMethod;
import java.util.List;

/**
 * The cluster's side of a move, through the Kubernetes API. Pools are found by the node label
 * {@code cloud.google.com/gke-nodepool}. Every method is idempotent: a retried attempt finds the
 * work half done and finishes it.
 */
@ActivityInterface(namePrefix = "Kube")
public interface KubernetesActivities {

  /** Nodes of the pool, the workloads with pods on it (DaemonSets excepted) and their PDBs. */
  @ActivityMethod
  PoolInventory inventory(String pool, WorkloadSelection selection);

  /** The pool's nodes, for a health check. */
  @ActivityMethod
  List<NodeInfo> nodes(String pool);

  /** Marks every node of the pool unschedulable; returns how many nodes it changed. */
  @ActivityMethod
  int cordonPool(String pool);

  /** Marks every node of the pool schedulable again; returns how many nodes it changed. */
  @ActivityMethod
  int uncordonPool(String pool);

  /**
   * Requires the Deployment's pods on {@code toPool} by node affinity, remembering the original
   * scheduling fields in an annotation, and waits until the rollout is done with every replica
   * ready on {@code toPool}.
   */
  @ActivityMethod
  MoveResult moveDeployment(WorkloadRef deployment, String toPool, long timeoutSeconds);

  /**
   * Puts back exactly the scheduling fields recorded by {@link #moveDeployment} and waits until
   * every replica is ready and none runs on {@code awayFromPool}.
   */
  @ActivityMethod
  MoveResult restoreDeployment(WorkloadRef deployment, String awayFromPool, long timeoutSeconds);

  /**
   * Moves one StatefulSet pod to {@code toPool}: pins the pod template to the pool (update strategy
   * OnDelete, originals remembered in an annotation), evicts the pod through the Eviction API and
   * waits until its successor runs on {@code toPool} and is Ready. A successor stuck Pending or
   * Unschedulable fails with {@link FailureTypes#UNSCHEDULABLE}.
   */
  @ActivityMethod
  MoveResult moveStatefulSetPod(WorkloadRef statefulSet, int ordinal, String toPool, long timeoutSeconds);

  /**
   * Moves one StatefulSet pod back: restores the template recorded by {@link #moveStatefulSetPod},
   * evicts the pod and waits until its successor is Ready off {@code awayFromPool}. When the last
   * pod is back, the original update strategy is restored and the annotation removed.
   */
  @ActivityMethod
  MoveResult restoreStatefulSetPod(
      WorkloadRef statefulSet, int ordinal, String awayFromPool, long timeoutSeconds);

  /**
   * Evicts the workload's pods from {@code fromPool} through the Eviction API, honouring PDBs.
   * A 429 is retried until {@code budgetSeconds} runs out, then fails with
   * {@link FailureTypes#EVICTION_BLOCKED} naming the PodDisruptionBudget. Never forced.
   */
  @ActivityMethod
  MoveResult evictPods(WorkloadRef workload, String fromPool, long budgetSeconds);

  /** Pods other than DaemonSet and mirror pods still running on the pool, as namespace/name. */
  @ActivityMethod
  List<String> workloadPodsOnPool(String pool);

  /**
   * Empties a cordoned pool that is about to be removed of everything but DaemonSet and mirror
   * pods. Pods already terminating are waited for (they hold their grace period); pods that others
   * started there during the cycle are evicted through the Eviction API, budgets honoured and never
   * forced, so that their owners start them on a schedulable pool. Returns, as "namespace/name:
   * why", the pods still there when {@code budgetSeconds} runs out or that must not be evicted
   * (no controller: evicting deletes them for good); empty means the pool holds no workload.
   */
  @ActivityMethod
  List<String> evacuatePool(String pool, long budgetSeconds);
}
