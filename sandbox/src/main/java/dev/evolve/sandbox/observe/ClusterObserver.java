package dev.evolve.sandbox.observe;

import dev.evolve.sandbox.Disruption;
import dev.evolve.sandbox.PodStart;
import io.fabric8.kubernetes.api.model.Node;
import io.fabric8.kubernetes.api.model.Pod;
import io.fabric8.kubernetes.api.model.apps.Deployment;
import io.fabric8.kubernetes.api.model.apps.ReplicaSet;
import io.fabric8.kubernetes.api.model.apps.StatefulSet;
import io.fabric8.kubernetes.api.model.policy.v1.PodDisruptionBudget;
import io.fabric8.kubernetes.client.KubernetesClient;
import io.fabric8.kubernetes.client.informers.ResourceEventHandler;
import io.fabric8.kubernetes.client.informers.SharedIndexInformer;
import java.time.Instant;
import java.util.ArrayList;
import java.util.HashSet;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.Set;
import java.util.function.Consumer;

/**
 * Watches the real API server and keeps the sandbox's evidence: every stretch in which a workload
 * had fewer Ready pods than its PodDisruptionBudget requires, every pod start, and every workload
 * pod that was still on a Node when the Node was deleted.
 *
 * <p>It is told, not polling: each watch event on pods or budgets re-evaluates the budgets of that
 * namespace, so a Ready condition that drops and comes back between two samples is still seen.
 * Events of one kind arrive in the order the API server applied them. The pods are taken as their
 * events told them, not from the informer's cache: fabric8 updates the cache before it runs the
 * handlers, so on a busy machine a handler can find the cache already past its event (the pod Ready
 * again, or its replacement Ready) and the drop would go unseen.
 */
public final class ClusterObserver implements AutoCloseable {

  private final List<SharedIndexInformer<?>> informers = new ArrayList<>();
  private final SharedIndexInformer<Pod> pods;
  private final SharedIndexInformer<PodDisruptionBudget> budgets;
  private final SharedIndexInformer<ReplicaSet> replicaSets;
  private final SharedIndexInformer<Deployment> deployments;
  private final SharedIndexInformer<StatefulSet> statefulSets;
  private final DisruptionWatcher watcher = new DisruptionWatcher();
  private final Set<String> startedUids = new HashSet<>();
  private final List<PodStart> starts = new ArrayList<>();
  private final List<String> lostWithNodes = new ArrayList<>();
  /** Every pod as its latest event handled so far told it, by UID. */
  private final Map<String, Pod> podsAsTold = new LinkedHashMap<>();

  public ClusterObserver(KubernetesClient client) {
    replicaSets = track(client.apps().replicaSets().inAnyNamespace().runnableInformer(0));
    deployments = track(client.apps().deployments().inAnyNamespace().runnableInformer(0));
    statefulSets = track(client.apps().statefulSets().inAnyNamespace().runnableInformer(0));
    budgets = track(client.policy().v1().podDisruptionBudget().inAnyNamespace().runnableInformer(0));
    pods = track(client.pods().inAnyNamespace().runnableInformer(0));
    SharedIndexInformer<Node> nodes = track(client.nodes().runnableInformer(0));
    budgets.addEventHandler(handler(pdb -> evaluate(pdb.getMetadata().getNamespace())));
    pods.addEventHandler(new ResourceEventHandler<>() {
      @Override public void onAdd(Pod pod) {
        podChanged(pod, false);
      }

      @Override public void onUpdate(Pod before, Pod after) {
        podChanged(after, false);
      }

      @Override public void onDelete(Pod pod, boolean finalStateUnknown) {
        podChanged(pod, true);
      }
    });
    nodes.addEventHandler(new ResourceEventHandler<>() {
      @Override public void onAdd(Node node) {}

      @Override public void onUpdate(Node before, Node after) {}

      @Override public void onDelete(Node node, boolean finalStateUnknown) {
        nodeDeleted(node.getMetadata().getName());
      }
    });
    // All at once (each lists, then watches); the cluster is new, so no pod event can find a cache behind.
    informers.stream().map(informer -> informer.start().toCompletableFuture()).toList()
        .forEach(java.util.concurrent.CompletableFuture::join);
  }

  private <T> SharedIndexInformer<T> track(SharedIndexInformer<T> informer) {
    informers.add(informer);
    return informer;
  }

  private static <T> ResourceEventHandler<T> handler(Consumer<T> changed) {
    return new ResourceEventHandler<>() {
      @Override public void onAdd(T object) {
        changed.accept(object);
      }

      @Override public void onUpdate(T before, T after) {
        changed.accept(after);
      }

      @Override public void onDelete(T object, boolean finalStateUnknown) {
        changed.accept(object);
      }
    };
  }

  private synchronized void podChanged(Pod pod, boolean deleted) {
    if (deleted) {
      podsAsTold.remove(pod.getMetadata().getUid());
    } else {
      podsAsTold.put(pod.getMetadata().getUid(), pod);
    }
    String node = pod.getSpec().getNodeName();
    if (node != null && Objects.isActive(pod) && startedUids.add(pod.getMetadata().getUid())) {
      starts.add(new PodStart(Workloads.of(pod, replicaSets.getStore().list()),
          pod.getMetadata().getNamespace() + "/" + pod.getMetadata().getName(), pod.getMetadata().getUid(), node,
          Instant.now()));
    }
    evaluate(pod.getMetadata().getNamespace());
  }

  private synchronized void evaluate(String namespace) {
    List<Pod> allPods = List.copyOf(podsAsTold.values());
    List<Budgets.State> states = new ArrayList<>();
    for (PodDisruptionBudget pdb : budgets.getStore().list()) {
      if (pdb.getMetadata().getNamespace().equals(namespace)) {
        states.add(Budgets.of(pdb, allPods, replicaSets.getStore().list(), deployments.getStore().list(),
            statefulSets.getStore().list()));
      }
    }
    watcher.observe(states);
  }

  /**
   * A pod still running on a deleted node went down with it; so did one still terminating there,
   * whose graceful shutdown (a broker's controlled shutdown, say) was cut short.
   */
  private synchronized void nodeDeleted(String node) {
    for (Pod pod : pods.getStore().list()) {
      if (!node.equals(pod.getSpec().getNodeName()) || Objects.isDaemonSetPod(pod) || Objects.isFinished(pod)) {
        continue;
      }
      String lost = pod.getMetadata().getNamespace() + "/" + pod.getMetadata().getName() + " on " + node;
      lostWithNodes.add(pod.getMetadata().getDeletionTimestamp() == null ? lost
          : lost + " (cut short while terminating)");
    }
  }

  /** Every time a workload with a budget had fewer Ready pods than it requires. */
  public List<Disruption> disruptions() {
    return watcher.disruptions();
  }

  public synchronized List<PodStart> podStartLog() {
    return List.copyOf(starts);
  }

  /** Pod starts per workload ("namespace/Kind/name"), the initial ones included. */
  public synchronized Map<String, Integer> podStarts() {
    Map<String, Integer> counts = new LinkedHashMap<>();
    starts.forEach(s -> counts.merge(s.workload(), 1, Integer::sum));
    return counts;
  }

  /** Workload pods still on a Node when it was deleted, running or terminating, as "namespace/pod on node". */
  public synchronized List<String> podsLostWithNodes() {
    return List.copyOf(lostWithNodes);
  }

  @Override
  public void close() {
    informers.forEach(SharedIndexInformer::close);
  }
}
