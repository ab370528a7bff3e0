package dev.evolve.sandbox.kafka;

import dev.evolve.sandbox.observe.Objects;
import io.fabric8.kubernetes.api.model.ContainerStatus;
import io.fabric8.kubernetes.api.model.Pod;
import io.fabric8.kubernetes.api.model.PodCondition;
import io.fabric8.kubernetes.client.KubernetesClient;
import io.fabric8.kubernetes.client.KubernetesClientException;
import io.fabric8.kubernetes.client.informers.ResourceEventHandler;
import io.fabric8.kubernetes.client.informers.SharedIndexInformer;
import java.time.Duration;
import java.time.Instant;
import java.util.ArrayList;
import java.util.HashMap;
import java.util.List;
import java.util.Map;
import java.util.concurrent.ExecutorService;
import java.util.concurrent.Executors;
import java.util.concurrent.ScheduledExecutorService;
import java.util.concurrent.TimeUnit;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;

/**
 * The kubelet of the broker pods: broker {@code b} runs while pod {@code STATEFULSET-b} runs.
 * <ul>
 *   <li>A pod that kwok has started (Running, not Ready) gets its broker process, on the same log
 *       directory as every earlier pod of that ordinal; the pod turns Ready once the broker accepts
 *       connections on its port, which is the readiness probe Kafka charts use.</li>
 *   <li>A pod being deleted (evicted, or deleted with a grace period) stops its broker as a kubelet
 *       stops a container: SIGTERM, which makes Kafka shut down in a controlled way, SIGKILL when
 *       the pod's grace period is over; then the pod goes, as it does once its containers exit.</li>
 *   <li>A pod that vanishes at once (its node deleted, a force delete) takes its broker with it:
 *       SIGKILL, no controlled shutdown.</li>
 *   <li>A broker that exits on its own makes its pod unready and is started again, as a kubelet
 *       restarts a failed container.</li>
 * </ul>
 * Every change of one ordinal is handled on a single thread, in the order the pods changed.
 */
public final class BrokerPods implements AutoCloseable {

  private static final Logger log = LoggerFactory.getLogger(BrokerPods.class);

  /** Pod label that keeps kwok's own Ready and delete stages off broker pods (sandbox/kwok/stages.yaml). */
  public static final String BROKER_LABEL = "sandbox.evolve.dev/kafka-broker";

  private static final Duration READY_LIMIT = Duration.ofMinutes(3);

  private final KubernetesClient client;
  private final KafkaCluster kafka;
  private final String namespace;
  private final String statefulSet;
  private final ExecutorService worker = Executors.newSingleThreadExecutor(r -> daemon(r, "broker-pods"));
  private final ScheduledExecutorService probes = Executors.newScheduledThreadPool(2, r -> daemon(r, "broker-probe"));
  private final Map<Integer, Running> running = new HashMap<>();
  /** UIDs of the pods this class has finished deleting: each is deleted once. */
  private final java.util.Set<String> deleted = new java.util.HashSet<>();
  private final List<BrokerEvent> events = new java.util.concurrent.CopyOnWriteArrayList<>();
  private final SharedIndexInformer<Pod> informer;
  private volatile boolean closed;

  /** The broker process of one pod. */
  private static final class Running {
    final String podUid;
    final KafkaProcess process;
    boolean stopping;

    Running(String podUid, KafkaProcess process) {
      this.podUid = podUid;
      this.process = process;
    }
  }

  /**
   * What happened to a broker, for the demo's report.
   *
   * @param what "started", "serving", "stopped" (controlled), "killed after grace", "killed with its pod",
   *     "exited" (on its own)
   */
  public record BrokerEvent(int ordinal, String what, long atMillis, long tookMillis) {}

  public BrokerPods(KubernetesClient client, KafkaCluster kafka, String namespace, String statefulSet) {
    this.client = client;
    this.kafka = kafka;
    this.namespace = namespace;
    this.statefulSet = statefulSet;
    this.informer = client.pods().inNamespace(namespace).withLabel(BROKER_LABEL, statefulSet)
        .inform(new ResourceEventHandler<>() {
          @Override
          public void onAdd(Pod pod) {
            changed(pod);
          }

          @Override
          public void onUpdate(Pod before, Pod pod) {
            changed(pod);
          }

          @Override
          public void onDelete(Pod pod, boolean finalStateUnknown) {
            changed(pod);
          }
        }, 0);
  }

  /** Every start, stop and kill so far. */
  public List<BrokerEvent> events() {
    return List.copyOf(events);
  }

  private void changed(Pod pod) {
    Integer ordinal = ordinalOf(pod);
    if (ordinal != null && !closed) {
      worker.execute(() -> reconcile(ordinal));
    }
  }

  private Integer ordinalOf(Pod pod) {
    String name = pod.getMetadata().getName();
    String prefix = statefulSet + "-";
    if (!name.startsWith(prefix)) {
      return null;
    }
    try {
      int ordinal = Integer.parseInt(name.substring(prefix.length()));
      return ordinal < kafka.brokers() ? ordinal : null;
    } catch (NumberFormatException e) {
      return null;
    }
  }

  /** Brings broker {@code ordinal} in line with its pod as the informer sees it now. */
  private void reconcile(int ordinal) {
    if (closed) {
      return;
    }
    Pod pod = informer.getStore().getByKey(namespace + "/" + statefulSet + "-" + ordinal);
    Running current = running.get(ordinal);
    String uid = pod == null ? null : pod.getMetadata().getUid();
    try {
      if (current != null && !current.podUid.equals(uid)) {
        if (current.process.isAlive() && !current.stopping) {
          // The pod is gone without a graceful deletion: its node was deleted, or it was force-deleted.
          long began = System.currentTimeMillis();
          current.process.kill();
          record(ordinal, "killed with its pod", began);
        }
        if (!current.process.isAlive()) {
          running.remove(ordinal);
          current = null;
        } else {
          return; // still stopping: the exit reconciles again
        }
      }
      if (pod == null) {
        return;
      }
      if (pod.getMetadata().getDeletionTimestamp() != null) {
        if (current == null) {
          deletePodNow(pod); // never started a broker: nothing to stop
        } else if (!current.stopping) {
          current.stopping = true;
          stopThenDelete(ordinal, current, pod);
        }
        return;
      }
      if (current == null && pod.getSpec().getNodeName() != null
          && "Running".equals(pod.getStatus() == null ? null : pod.getStatus().getPhase())) {
        start(ordinal, pod);
      }
    } catch (Exception e) {
      log.warn("broker {}: cannot reconcile with pod {}: {}", ordinal, uid, e.toString());
    }
  }

  private void start(int ordinal, Pod pod) throws java.io.IOException {
    long began = System.currentTimeMillis();
    KafkaProcess process = kafka.startBroker(ordinal);
    Running run = new Running(pod.getMetadata().getUid(), process);
    running.put(ordinal, run);
    record(ordinal, "started on " + pod.getSpec().getNodeName(), began);
    log.info("broker {} started (pid {}) for pod {} on {}", ordinal, process.pid(), pod.getMetadata().getName(),
        pod.getSpec().getNodeName());
    process.process().onExit().thenRun(() -> worker.execute(() -> exited(ordinal, run)));
    probe(ordinal, run, began);
  }

  /** The readiness probe: every 200 ms until the port answers, then the pod is Ready. */
  private void probe(int ordinal, Running run, long began) {
    probes.schedule(() -> {
      if (closed || !run.process.isAlive() || run.stopping) {
        return;
      }
      if (kafka.accepts(ordinal)) {
        worker.execute(() -> {
          if (!run.stopping && run.process.isAlive() && running.get(ordinal) == run) {
            setReady(run.podUid, ordinal, true);
            record(ordinal, "serving", began);
          }
        });
      } else if (System.currentTimeMillis() - began > READY_LIMIT.toMillis()) {
        log.warn("broker {} does not accept connections after {}; see {}", ordinal, READY_LIMIT,
            kafka.logOf("broker-" + ordinal));
      } else {
        probe(ordinal, run, began);
      }
    }, 200, TimeUnit.MILLISECONDS);
  }

  /** SIGTERM and the grace period on a thread of its own; then the pod goes. */
  private void stopThenDelete(int ordinal, Running run, Pod pod) {
    Long grace = pod.getMetadata().getDeletionGracePeriodSeconds();
    Duration limit = Duration.ofSeconds(grace == null ? 30 : Math.max(grace, 0));
    Thread stopper = new Thread(() -> {
      long began = System.currentTimeMillis();
      try {
        boolean controlled = run.process.stop(limit);
        record(ordinal, controlled ? "stopped" : "killed after grace " + limit.toSeconds() + "s", began);
        log.info("broker {} {} in {} ms", ordinal, controlled ? "shut down" : "was killed after its grace period",
            System.currentTimeMillis() - began);
      } catch (InterruptedException e) {
        Thread.currentThread().interrupt();
      }
      worker.execute(() -> {
        Pod now = informer.getStore().getByKey(namespace + "/" + pod.getMetadata().getName());
        if (now != null && now.getMetadata().getUid().equals(run.podUid)) {
          deletePodNow(now);
        }
        running.remove(ordinal, run);
        reconcile(ordinal);
      });
    }, "broker-stop-" + ordinal);
    stopper.setDaemon(true);
    stopper.start();
  }

  /** A broker that exits without being asked: unready, and started again as a container would be. */
  private void exited(int ordinal, Running run) {
    if (closed || run.stopping || running.get(ordinal) != run) {
      if (running.get(ordinal) != run) {
        reconcile(ordinal);
      }
      return;
    }
    record(ordinal, "exited (code " + run.process.process().exitValue() + ")", System.currentTimeMillis());
    log.warn("broker {} exited on its own (code {}); restarting it; see {}", ordinal,
        run.process.process().exitValue(), kafka.logOf("broker-" + ordinal));
    setReady(run.podUid, ordinal, false);
    running.remove(ordinal);
    reconcile(ordinal);
  }

  /**
   * The kubelet removes a pod once its containers have stopped; grace 0 so that nothing waits on.
   * Only this pod, never a successor the StatefulSet controller made under the same name: the
   * delete goes by name, so the pod is read first and must still be the one with this UID (it
   * cannot vanish in between: only this class finishes a broker pod's deletion).
   */
  private void deletePodNow(Pod pod) {
    String name = pod.getMetadata().getName();
    String uid = pod.getMetadata().getUid();
    if (!deleted.add(uid)) {
      return;
    }
    try {
      Pod current = client.pods().inNamespace(namespace).withName(name).get();
      if (current != null && uid.equals(current.getMetadata().getUid())) {
        client.pods().inNamespace(namespace).withName(name).withGracePeriod(0).delete();
      }
    } catch (KubernetesClientException e) {
      log.debug("pod {} already gone: {}", name, e.getMessage());
    }
  }

  private void setReady(String podUid, int ordinal, boolean ready) {
    String name = statefulSet + "-" + ordinal;
    for (int attempt = 0; attempt < 5; attempt++) {
      Pod pod = client.pods().inNamespace(namespace).withName(name).get();
      if (pod == null || !pod.getMetadata().getUid().equals(podUid) || pod.getMetadata().getDeletionTimestamp() != null) {
        return;
      }
      String status = ready ? "True" : "False";
      String now = Instant.now().toString();
      List<PodCondition> conditions = new ArrayList<>(pod.getStatus().getConditions());
      for (String type : List.of("Ready", "ContainersReady")) {
        conditions.removeIf(c -> type.equals(c.getType()));
        PodCondition condition = new PodCondition();
        condition.setType(type);
        condition.setStatus(status);
        condition.setLastTransitionTime(now);
        conditions.add(condition);
      }
      pod.getStatus().setConditions(conditions);
      for (ContainerStatus container : pod.getStatus().getContainerStatuses()) {
        container.setReady(ready);
      }
      try {
        client.pods().inNamespace(namespace).resource(pod).updateStatus();
        return;
      } catch (KubernetesClientException e) {
        if (e.getCode() != 409) {
          log.warn("cannot mark pod {} {}: {}", name, ready ? "Ready" : "unready", e.getMessage());
          return;
        }
      }
    }
  }

  private void record(int ordinal, String what, long began) {
    long now = System.currentTimeMillis();
    events.add(new BrokerEvent(ordinal, what, now, now - began));
  }

  /** Whether every broker pod is Ready with its broker serving. */
  public boolean allServing() {
    return informer.getStore().list().stream().filter(p -> ordinalOf(p) != null && Objects.isActive(p))
        .filter(Objects::isReady).count() == kafka.brokers();
  }

  private static Thread daemon(Runnable r, String name) {
    Thread t = new Thread(r, name);
    t.setDaemon(true);
    return t;
  }

  @Override
  public void close() {
    closed = true;
    informer.close();
    probes.shutdownNow();
    worker.shutdownNow();
  }
}
