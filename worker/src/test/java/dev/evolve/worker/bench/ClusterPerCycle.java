package dev.evolve.worker.bench;

import dev.evolve.workflows.ScriptedCluster;
import io.temporal.activity.Activity;
import io.temporal.activity.ActivityInfo;
import java.lang.reflect.InvocationTargetException;
import java.lang.reflect.Method;
import java.lang.reflect.Proxy;
import java.time.Instant;
import java.util.List;
import java.util.Map;
import java.util.concurrent.ConcurrentHashMap;
import java.util.concurrent.atomic.AtomicLong;

/**
 * Fast fakes of every activity for many cycles at once: one {@link ScriptedCluster} (the workflow
 * tests' fake, three Deployments, a Job and a three-broker Kafka StatefulSet) per cycle, found by
 * the calling activity's workflow id. The workflow id is the key because it is the one thing all
 * three activity interfaces see: the Kubernetes activities name only a pool, since a real worker
 * talks to the one cluster of its kubeconfig.
 *
 * <p>Each call first waits as {@link FakeLatency} says, writes that wait to the {@link WaitLog},
 * then answers from the cycle's cluster. The interfaces are served by JDK proxies so that one
 * routing method covers their 25 methods, and so that the worker registers three objects exactly
 * as {@code EvolveWorker.register} registers the real implementations.
 */
final class ClusterPerCycle {

  private final Map<String, ScriptedCluster> clusters = new ConcurrentHashMap<>();
  private final AtomicLong calls = new AtomicLong();
  private final FakeLatency latency;
  private final WaitLog waits;

  ClusterPerCycle(FakeLatency latency, WaitLog waits) {
    this.latency = latency;
    this.waits = waits;
  }

  /** An implementation of one activity interface that routes every call to the caller's cluster. */
  <T> T activities(Class<T> activityInterface) {
    Object proxy = Proxy.newProxyInstance(activityInterface.getClassLoader(), new Class<?>[] {activityInterface},
        (self, method, args) -> method.getDeclaringClass() == Object.class
            ? objectMethod(activityInterface, self, method, args)
            : call(method, args));
    return activityInterface.cast(proxy);
  }

  private Object call(Method method, Object[] args) throws Throwable {
    calls.incrementAndGet();
    ActivityInfo info = Activity.getExecutionContext().getInfo();
    String cycle = info.getWorkflowId();
    ScriptedCluster cluster = clusters.computeIfAbsent(cycle, id -> ScriptedCluster.standard());
    Instant from = Instant.now();
    Thread.sleep(latency.millisFor(method.getName()));
    waits.record(cycle, method.getName(), Instant.ofEpochMilli(info.getCurrentAttemptScheduledTimestamp()), from,
        Instant.now());
    try {
      return method.invoke(cluster, args);
    } catch (InvocationTargetException e) {
      throw e.getCause(); // an ApplicationFailure the fake throws goes to Temporal as it is
    }
  }

  private static Object objectMethod(Class<?> activityInterface, Object self, Method method, Object[] args) {
    return switch (method.getName()) {
      case "equals" -> self == args[0];
      case "hashCode" -> System.identityHashCode(self);
      default -> "ClusterPerCycle(" + activityInterface.getSimpleName() + ")";
    };
  }

  int cycles() {
    return clusters.size();
  }

  long calls() {
    return calls.get();
  }

  /** What any cycle's cluster saw that must never happen (a pool deleted under pods, no schedulable pool). */
  List<String> violations() {
    return clusters.entrySet().stream()
        .flatMap(e -> e.getValue().violations().stream().map(v -> e.getKey() + ": " + v))
        .toList();
  }
}
