package dev.evolve.it.chaos;

import dev.evolve.it.Await;
import dev.evolve.it.CycleClient;
import dev.evolve.it.WorkerProcess;
import io.fabric8.kubernetes.api.model.IntOrString;
import io.fabric8.kubernetes.api.model.Node;
import io.fabric8.kubernetes.api.model.NodeCondition;
import io.fabric8.kubernetes.api.model.Pod;
import io.fabric8.kubernetes.api.model.Taint;
import io.fabric8.kubernetes.api.model.TaintBuilder;
import io.fabric8.kubernetes.api.model.policy.v1.PodDisruptionBudget;
import io.fabric8.kubernetes.client.KubernetesClient;
import java.time.Duration;
import java.time.Instant;
import java.util.ArrayList;
import java.util.Comparator;
import java.util.List;
import java.util.Map;
import java.util.Objects;
import java.util.Optional;
import java.util.Set;
import java.util.stream.Collectors;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;

/**
 * Starts and clears the faults of a plan, each through the part it breaks: the fake GKE and the
 * control plane's processes through the sandbox's control port, nodes and budgets through the API
 * server (as another actor in the cluster would), the worker and the dev server as processes,
 * operators through the cycle's signals and cancel.
 */
final class FaultInjector {

  private static final Logger log = LoggerFactory.getLogger(FaultInjector.class);
  static final String NOT_READY_ANNOTATION = "sandbox.evolve.dev/not-ready";
  private static final String NOT_READY_TAINT = "node.kubernetes.io/not-ready";
  private static final String TAG = " (injected by the chaos soak)";

  /** A fault in force, and how to end it (a one-off has nothing to end). */
  record Active(PlannedFault fault, String what, long endsAtNanos, Runnable clear) {
    boolean due(long now) {
      return now >= endsAtNanos;
    }
  }

  /** What came of a planned fault at its moment. */
  record Started(Optional<Active> active, String what, boolean injected) {
    static Started oneOff(String what) {
      return new Started(Optional.empty(), what, true);
    }

    static Started skipped(String why) {
      return new Started(Optional.empty(), why, false);
    }
  }

  private final SandboxControlClient sandbox;
  private final KubernetesClient kube;
  private final WorkerProcess worker;
  private final ChaosTemporalServer temporal;
  private final CycleClient cycles;

  FaultInjector(SandboxControlClient sandbox, KubernetesClient kube, WorkerProcess worker,
      ChaosTemporalServer temporal, CycleClient cycles) {
    this.sandbox = sandbox;
    this.kube = kube;
    this.worker = worker;
    this.temporal = temporal;
    this.cycles = cycles;
  }

  Started start(PlannedFault f, String workflowId) {
    long ends = System.nanoTime() + Duration.ofMillis(f.lastsMillis()).toNanos();
    return switch (f.kind()) {
      case GKE_UNAVAILABLE -> reject(f, "UNAVAILABLE", "connection reset by peer" + TAG);
      case GKE_DEADLINE_EXCEEDED -> reject(f, "DEADLINE_EXCEEDED", "Deadline exceeded" + TAG);
      // the wording of Google's per-minute API limit, which passes by itself (unlike quota)
      case GKE_RATE_LIMITED -> reject(f, "RESOURCE_EXHAUSTED", "Quota exceeded for quota metric 'Read requests' "
          + "and limit 'Read requests per minute' of service 'container.googleapis.com'" + TAG);
      case GKE_OPERATION_FAILS_HALF_WAY -> Started.oneOff(sandbox.send("/gke/fail",
          Map.of("type", f.target(), "message", "operation failed half-way" + TAG)));
      case GKE_OPERATION_STUCK -> active(f, sandbox.send("/gke/stick", Map.of("type", f.target())), ends,
          () -> sandbox.send("/gke/release"));
      case GKE_OTHER_CALLERS_OPERATION -> active(f, sandbox.send("/gke/other-caller",
          Map.of("type", f.target(), "seconds", String.valueOf(f.lastsMillis() / 1000.0))), ends, () -> { });
      // the restart takes a second or two beyond the time down: the fault stands until then
      case APISERVER_RESTARTED -> active(f, sandbox.send("/kube/restart-apiserver",
          Map.of("down", String.valueOf(f.lastsMillis() / 1000.0))), ends + Duration.ofSeconds(3).toNanos(), () -> { });
      case CONTROLLER_MANAGER_PAUSED -> active(f, sandbox.send("/kube/signal",
          Map.of("component", "kube-controller-manager", "signal", "STOP")), ends,
          () -> sandbox.send("/kube/signal", Map.of("component", "kube-controller-manager", "signal", "CONT")));
      case NODE_NOT_READY -> nodeNotReady(f, ends);
      case BUDGET_TIGHTENED -> tightenBudget(f, ends);
      case WORKER_KILLED -> {
        worker.kill();
        worker.restart();
        yield Started.oneOff("worker killed with SIGKILL and started again");
      }
      case TEMPORAL_SERVER_RESTARTED -> {
        temporal.restart();
        yield Started.oneOff("dev server stopped and started again on its database file");
      }
      case OPERATOR_PAUSE -> {
        cycles.signal(workflowId, "pause", "chaos soak: operator pause");
        // a resume that does not arrive (the cycle ended, the server restarting) is the on-call
        // operator's to send: the soak resumes a pause that no fault stands behind
        yield active(f, "pause signal sent", ends, () -> {
          try {
            cycles.signal(workflowId, "resume");
          } catch (RuntimeException notDelivered) {
            log.info("resume after the pause not delivered: {}", notDelivered.toString());
          }
        });
      }
      case OPERATOR_CANCEL -> {
        cycles.cancel(workflowId);
        yield Started.oneOff("cancel requested");
      }
      case OPERATOR_APPROVE -> {
        cycles.signal(workflowId, "approve", "chaos-soak");
        yield Started.oneOff("approve signal sent");
      }
    };
  }

  private Started reject(PlannedFault f, String code, String message) {
    return Started.oneOff(sandbox.send("/gke/reject", Map.of("rpc", f.target(), "code", code, "message", message)));
  }

  private static Started active(PlannedFault f, String what, long ends, Runnable clear) {
    return new Started(Optional.of(new Active(f, what, ends, clear)), what, true);
  }

  /**
   * A node's kubelet stops reporting Ready. Only a node running no workload pod: a node failing
   * under pods is an involuntary disruption that no budget guards against, which would count in the
   * disruption watcher without being the cycle's doing. kwok leaves an annotated node alone.
   */
  private Started nodeNotReady(PlannedFault f, long ends) {
    Set<String> busy = kube.pods().inAnyNamespace().list().getItems().stream()
        .filter(p -> p.getSpec().getNodeName() != null && !isDaemonSetPod(p))
        .map(p -> p.getSpec().getNodeName()).collect(Collectors.toSet());
    List<String> empty = kube.nodes().list().getItems().stream()
        .map(n -> n.getMetadata().getName()).filter(n -> !busy.contains(n)).sorted().toList();
    if (empty.isEmpty()) {
      return Started.skipped("no node without workload pods right now");
    }
    String node = empty.get(f.pick() % empty.size());
    // the node controller's own NoSchedule taint at once, not within its monitor period: no pod may
    // land on the node in between and be caught by the failure
    kube.nodes().withName(node).edit(n -> {
      if (n.getMetadata().getAnnotations() == null) {
        n.getMetadata().setAnnotations(new java.util.HashMap<>());
      }
      n.getMetadata().getAnnotations().put(NOT_READY_ANNOTATION, "chaos");
      List<Taint> taints = new ArrayList<>(n.getSpec().getTaints() == null ? List.of() : n.getSpec().getTaints());
      if (taints.stream().noneMatch(t -> t.getKey().equals(NOT_READY_TAINT) && t.getEffect().equals("NoSchedule"))) {
        taints.add(new TaintBuilder().withKey(NOT_READY_TAINT).withEffect("NoSchedule").build());
      }
      n.getSpec().setTaints(taints);
      return n;
    });
    setReady(node, false);
    return active(f, "node " + node + " NotReady", ends, () -> {
      if (kube.nodes().withName(node).get() == null) {
        return; // GKE replaced or removed it meanwhile
      }
      setReady(node, true);
      kube.nodes().withName(node).edit(n -> {
        if (n.getMetadata().getAnnotations() != null) {
          n.getMetadata().getAnnotations().remove(NOT_READY_ANNOTATION);
        }
        if (n.getSpec().getTaints() != null) {
          n.getSpec().setTaints(n.getSpec().getTaints().stream()
              .filter(t -> !(t.getKey().equals(NOT_READY_TAINT) && t.getEffect().equals("NoSchedule"))).toList());
        }
        return n;
      });
      readyAgain(node);
    });
  }

  /**
   * The node controller marked the node's pods (its DaemonSet pods) not Ready; a kubelet back would
   * report them Ready again, but kwok only readies pods that are starting: the soak does it.
   */
  private void readyAgain(String node) {
    for (Pod pod : kube.pods().inAnyNamespace().withField("spec.nodeName", node).list().getItems()) {
      if (pod.getMetadata().getDeletionTimestamp() != null || isReady(pod)
          || !"Running".equals(pod.getStatus().getPhase())) {
        continue;
      }
      kube.pods().inNamespace(pod.getMetadata().getNamespace()).withName(pod.getMetadata().getName()).editStatus(p -> {
        p.getStatus().getConditions().stream().filter(c -> c.getType().equals("Ready") || c.getType().equals("ContainersReady"))
            .forEach(c -> {
              c.setStatus("True");
              c.setReason(null);
              c.setMessage(null);
              c.setLastTransitionTime(Instant.now().toString());
            });
        return p;
      });
    }
  }

  /** kwok and the node controller write the node too: a conflict (409) is tried again on the new version. */
  private void setReady(String node, boolean ready) {
    for (int attempt = 1; ; attempt++) {
      try {
        writeReady(node, ready);
        return;
      } catch (io.fabric8.kubernetes.client.KubernetesClientException e) {
        if (e.getCode() != 409 || attempt == 10) {
          throw e;
        }
      }
    }
  }

  private void writeReady(String node, boolean ready) {
    kube.nodes().withName(node).editStatus(n -> {
      for (NodeCondition c : n.getStatus().getConditions()) {
        if (c.getType().equals("Ready")) {
          c.setStatus(ready ? "True" : "False");
          c.setReason(ready ? "KubeletReady" : "KubeletNotReady");
          c.setMessage(ready ? "kubelet is posting ready status" : "kubelet stopped posting node status" + TAG);
          c.setLastHeartbeatTime(Instant.now().toString());
          c.setLastTransitionTime(Instant.now().toString());
        }
      }
      return n;
    });
  }

  /**
   * A budget tightened for a while, as its owner might: minAvailable set to the pods Ready right
   * now, so it allows no eviction until put back (an eviction is answered 429), without making the
   * workload short of its budget by the change itself.
   */
  private Started tightenBudget(PlannedFault f, long ends) {
    List<PodDisruptionBudget> budgets = kube.policy().v1().podDisruptionBudget().inAnyNamespace().list().getItems()
        .stream().sorted(Comparator.comparing(b -> b.getMetadata().getNamespace() + "/" + b.getMetadata().getName()))
        .toList();
    if (budgets.isEmpty()) {
      return Started.skipped("no budget");
    }
    PodDisruptionBudget budget = budgets.get(f.pick() % budgets.size());
    String ns = budget.getMetadata().getNamespace();
    String name = budget.getMetadata().getName();
    IntOrString minAvailable = budget.getSpec().getMinAvailable();
    IntOrString maxUnavailable = budget.getSpec().getMaxUnavailable();
    long ready = kube.pods().inNamespace(ns).withLabelSelector(budget.getSpec().getSelector()).list().getItems().stream()
        .filter(p -> p.getMetadata().getDeletionTimestamp() == null && isReady(p)).count();
    kube.policy().v1().podDisruptionBudget().inNamespace(ns).withName(name).edit(b -> {
      b.getSpec().setMaxUnavailable(null);
      b.getSpec().setMinAvailable(new IntOrString((int) ready));
      return b;
    });
    return active(f, "budget " + ns + "/" + name + " tightened to minAvailable " + ready, ends,
        () -> kube.policy().v1().podDisruptionBudget().inNamespace(ns).withName(name).edit(b -> {
          b.getSpec().setMinAvailable(minAvailable);
          b.getSpec().setMaxUnavailable(maxUnavailable);
          return b;
        }));
  }

  /** Ends a fault, retrying while its part is itself down (the API server restarting, say). */
  void clear(Active active) {
    Await.until("clearing " + active.fault(), Duration.ofSeconds(60), Duration.ofMillis(500), () -> {
      active.clear().run();
      return Optional.of(true);
    });
    log.info("cleared {}: {}", active.fault(), active.what());
  }

  static boolean isDaemonSetPod(Pod pod) {
    return pod.getMetadata().getOwnerReferences().stream().anyMatch(o -> "DaemonSet".equals(o.getKind()));
  }

  static boolean isReady(Pod pod) {
    return pod.getStatus() != null && pod.getStatus().getConditions().stream()
        .anyMatch(c -> "Ready".equals(c.getType()) && "True".equals(c.getStatus()));
  }

  static boolean isNotReadyByUs(Node node) {
    return node.getMetadata().getAnnotations() != null
        && Objects.equals(node.getMetadata().getAnnotations().get(NOT_READY_ANNOTATION), "chaos");
  }
}
