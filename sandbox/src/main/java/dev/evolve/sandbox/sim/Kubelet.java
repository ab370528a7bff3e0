package dev.evolve.sandbox.sim;

import io.fabric8.kubernetes.api.model.Node;
import io.fabric8.kubernetes.api.model.Pod;
import io.fabric8.kubernetes.api.model.PodCondition;
import io.fabric8.kubernetes.api.model.PodConditionBuilder;
import java.util.ArrayList;
import java.util.List;
import java.util.Map;
import java.util.concurrent.ConcurrentHashMap;
import java.util.concurrent.atomic.AtomicInteger;
import java.util.function.BiConsumer;

/**
 * Every node's kubelet at once: a pod bound to a node starts Running at once and turns Ready
 * after its start-up delay; a pod that has a catch-up delay (the Kafka stand-in) is annotated
 * as caught up that much later. Times are kept in memory in wall-clock milliseconds so short
 * test delays are exact; the pod's own timestamps are what a client sees.
 */
final class Kubelet implements Controller {

  private final SimClock clock;
  private final double defaultStartupSeconds;
  private final BiConsumer<Pod, String> onStart;
  private final Map<String, Long> runningSince = new ConcurrentHashMap<>();
  private final Map<String, Long> readySince = new ConcurrentHashMap<>();
  private final AtomicInteger podIps = new AtomicInteger(2);

  Kubelet(SimClock clock, double defaultStartupSeconds, BiConsumer<Pod, String> onStart) {
    this.clock = clock;
    this.defaultStartupSeconds = defaultStartupSeconds;
    this.onStart = onStart;
  }

  @Override
  public void reconcile(ClusterView view) {
    boolean wrote = false;
    for (Pod pod : view.activePods()) {
      String nodeName = pod.getSpec().getNodeName();
      Node node = nodeName == null ? null : view.node(nodeName);
      if (node == null) {
        continue;
      }
      String uid = pod.getMetadata().getUid();
      String phase = pod.getStatus() == null ? null : pod.getStatus().getPhase();
      if (!"Running".equals(phase)) {
        start(view, pod, node);
        onStart.accept(pod, view.workloadOf(pod));
        wrote = true;
        continue;
      }
      long since = runningSince.computeIfAbsent(uid, u -> clock.millis());
      double startup = Objects.annotationSeconds(pod, Objects.STARTUP_ANNOTATION, defaultStartupSeconds);
      if (!Objects.isReady(pod)) {
        if (clock.millis() - since >= clock.wallMillis(startup)) {
          setReady(view, pod);
          readySince.put(uid, clock.millis());
          wrote = true;
        }
        continue;
      }
      double catchUp = Objects.annotationSeconds(pod, Objects.CATCH_UP_ANNOTATION, -1);
      boolean caughtUp = pod.getMetadata().getAnnotations() != null
          && pod.getMetadata().getAnnotations().containsKey(Objects.CAUGHT_UP_AT_ANNOTATION);
      if (catchUp >= 0 && !caughtUp) {
        long ready = readySince.computeIfAbsent(uid, u -> clock.millis());
        if (clock.millis() - ready >= clock.wallMillis(catchUp)) {
          view.client().pods().inNamespace(pod.getMetadata().getNamespace()).withName(pod.getMetadata().getName())
              .edit(p -> {
                p.getMetadata().getAnnotations().put(Objects.CAUGHT_UP_AT_ANNOTATION, Objects.now());
                return p;
              });
          wrote = true;
        }
      }
    }
    if (wrote) {
      view.invalidate();
    }
  }

  /** Pods that no longer exist need no timers. */
  void forget(java.util.Set<String> liveUids) {
    runningSince.keySet().retainAll(liveUids);
    readySince.keySet().retainAll(liveUids);
  }

  private void start(ClusterView view, Pod pod, Node node) {
    runningSince.put(pod.getMetadata().getUid(), clock.millis());
    String hostIp = node.getStatus() != null && node.getStatus().getAddresses() != null
        && !node.getStatus().getAddresses().isEmpty() ? node.getStatus().getAddresses().get(0).getAddress()
        : "10.132.0." + (Math.abs(node.getMetadata().getName().hashCode()) % 250 + 2);
    int ip = podIps.getAndIncrement();
    String podIp = "10.8." + (ip / 250 % 250) + "." + (ip % 250 + 2);
    String now = Objects.now();
    view.client().pods().inNamespace(pod.getMetadata().getNamespace()).withName(pod.getMetadata().getName())
        .editStatus(p -> {
          p.getStatus().setPhase("Running");
          p.getStatus().setHostIP(hostIp);
          p.getStatus().setPodIP(podIp);
          p.getStatus().setStartTime(now);
          List<PodCondition> conditions = new ArrayList<>();
          conditions.add(condition("PodScheduled", "True", now));
          conditions.add(condition("Initialized", "True", now));
          conditions.add(condition("ContainersReady", "False", now));
          conditions.add(condition("Ready", "False", now));
          p.getStatus().setConditions(conditions);
          return p;
        });
  }

  private void setReady(ClusterView view, Pod pod) {
    String now = Objects.now();
    view.client().pods().inNamespace(pod.getMetadata().getNamespace()).withName(pod.getMetadata().getName())
        .editStatus(p -> {
          p.getStatus().getConditions().removeIf(c -> c.getType().equals("Ready") || c.getType().equals("ContainersReady"));
          p.getStatus().getConditions().add(condition("ContainersReady", "True", now));
          p.getStatus().getConditions().add(condition("Ready", "True", now));
          return p;
        });
  }

  static PodCondition condition(String type, String status, String now) {
    return new PodConditionBuilder().withType(type).withStatus(status).withLastTransitionTime(now)
        .withLastProbeTime(null).build();
  }
}
