package dev.evolve.sandbox.demo;

import com.google.container.v1.Operation;
import dev.evolve.fakegke.FakeGke;
import dev.evolve.workflows.activities.KubernetesActivities;
import dev.evolve.workflows.model.Phase;
import io.grpc.Status;
import io.temporal.failure.ApplicationFailure;
import java.lang.reflect.InvocationHandler;
import java.lang.reflect.InvocationTargetException;
import java.lang.reflect.Method;
import java.lang.reflect.Proxy;
import java.util.Set;
import java.util.concurrent.atomic.AtomicInteger;

/**
 * {@code --fail-at PHASE}: one failure in that phase, as close to a real one as the sandbox
 * allows. The GKE phases fail the way GKE fails (quota refused, an operation ending in error
 * half-way through); the Kubernetes phases get an activity that throws on a chosen call, since
 * the sandbox cluster has no natural way to break a rollout. Every message says it was
 * injected, so no one mistakes the demo's failure for a bug.
 */
final class FailureInjection {

  /** Failure type of the Kubernetes-side injections; non-retryable, like a move that timed out. */
  static final String TYPE = "InjectedByDemo";

  private final Phase phase;
  private final String description;
  private final Set<String> failingMethods;
  private final int failingCall;
  private final AtomicInteger calls = new AtomicInteger();

  private FailureInjection(Phase phase, String description, Set<String> failingMethods, int failingCall) {
    this.phase = phase;
    this.description = description;
    this.failingMethods = failingMethods;
    this.failingCall = failingCall;
  }

  static FailureInjection none() {
    return new FailureInjection(null, "none", Set.of(), 0);
  }

  /** Arms the failure for {@code phase}: GKE faults on the fake at once, Kubernetes ones in {@link #wrap}. */
  static FailureInjection at(Phase phase, FakeGke gke) {
    String tag = " (injected by --fail-at " + phase + ")";
    return switch (phase) {
      case PREPARE -> new FailureInjection(phase,
          "listing the pool's workloads fails (Kubernetes API)", Set.of("inventory"), 1);
      case CREATE_TEMP_POOL -> {
        gke.faults().rejectNext("CreateNodePool", Status.RESOURCE_EXHAUSTED.withDescription(
            "Insufficient regional quota to satisfy request: resource \"CPUS\"" + tag));
        yield new FailureInjection(phase, "GKE refuses the temporary pool: regional CPU quota exhausted",
            Set.of(), 0);
      }
      // The second move, so that one workload already runs on the temporary pool and has to come back.
      case MIGRATE -> new FailureInjection(phase, "the second workload's move fails",
          Set.of("moveDeployment", "moveStatefulSetPod"), 2);
      case UPGRADE_ORIGINAL -> {
        gke.faults().failNext(Operation.Type.UPGRADE_NODES, "node upgrade failed half-way" + tag);
        yield new FailureInjection(phase, "GKE's upgrade operation ends in error half-way through the nodes",
            Set.of(), 0);
      }
      case RESTORE -> new FailureInjection(phase, "the second workload's move back fails",
          Set.of("restoreDeployment", "restoreStatefulSetPod"), 2);
      case DECOMMISSION -> {
        gke.faults().failNext(Operation.Type.DELETE_NODE_POOL, "pool deletion failed half-way" + tag);
        yield new FailureInjection(phase, "GKE's delete operation of the temporary pool ends in error half-way",
            Set.of(), 0);
      }
      default -> throw new IllegalArgumentException("no failure to inject in " + phase);
    };
  }

  Phase phase() {
    return phase;
  }

  String description() {
    return description;
  }

  /**
   * The Kubernetes activities, failing on the chosen call of the chosen methods, once. The worker
   * registers the wrapper in place of the real implementation; every other call goes through.
   */
  KubernetesActivities wrap(KubernetesActivities real) {
    if (failingMethods.isEmpty()) {
      return real;
    }
    InvocationHandler handler = (proxy, method, args) -> {
      if (failingMethods.contains(method.getName()) && calls.incrementAndGet() == failingCall) {
        throw ApplicationFailure.newNonRetryableFailure(method.getName() + " failed (injected by --fail-at "
            + phase + ")", TYPE);
      }
      return invoke(real, method, args);
    };
    return (KubernetesActivities) Proxy.newProxyInstance(KubernetesActivities.class.getClassLoader(),
        new Class<?>[] {KubernetesActivities.class}, handler);
  }

  private static Object invoke(Object target, Method method, Object[] args) throws Throwable {
    try {
      return method.invoke(target, args);
    } catch (InvocationTargetException e) {
      throw e.getCause();
    }
  }
}
