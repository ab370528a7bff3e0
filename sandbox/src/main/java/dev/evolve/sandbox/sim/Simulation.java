package dev.evolve.sandbox.sim;

import dev.evolve.sandbox.Disruption;
import dev.evolve.sandbox.PodStart;
import io.fabric8.kubernetes.api.model.Pod;
import io.fabric8.kubernetes.client.KubernetesClient;
import java.time.Duration;
import java.time.Instant;
import java.util.ArrayList;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.concurrent.Executors;
import java.util.concurrent.ScheduledExecutorService;
import java.util.concurrent.TimeUnit;
import java.util.stream.Collectors;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;

/**
 * The loop that makes the mock API server behave like a cluster: on one thread, every tick,
 * node lifecycle, the workload controllers, the scheduler, the kubelet and the PDB controller
 * act in turn on what the API server holds. One thread means no two controllers ever race each
 * other; clients (the activities, tests) race them as in real life. The disruption watcher is
 * not on the tick: the API server tells it about every write that can change a budget.
 */
public final class Simulation implements AutoCloseable {

  private static final Logger log = LoggerFactory.getLogger(Simulation.class);

  private final ClusterView view;
  private final List<Controller> controllers = new ArrayList<>();
  private final DisruptionWatcher watcher = new DisruptionWatcher();
  private final Kubelet kubelet;
  private final NodeLifecycle nodeLifecycle = new NodeLifecycle();
  private final List<PodStart> starts = new ArrayList<>();
  private final ScheduledExecutorService loop = Executors.newSingleThreadScheduledExecutor(r -> {
    Thread t = new Thread(r, "sandbox-simulation");
    t.setDaemon(true);
    return t;
  });
  private volatile long ticks;

  public Simulation(KubernetesClient client, Names names, SimClock clock, double defaultStartupSeconds) {
    this.view = new ClusterView(client);
    this.kubelet = new Kubelet(clock, defaultStartupSeconds, this::started);
    controllers.add(nodeLifecycle);
    controllers.add(new DeploymentController());
    controllers.add(new ReplicaSetController(names));
    controllers.add(new StatefulSetController());
    controllers.add(new DaemonSetController(names));
    controllers.add(new Scheduler());
    controllers.add(kubelet);
    controllers.add(new PdbController());
  }

  public void start(Duration tick) {
    loop.scheduleWithFixedDelay(this::tick, 0, tick.toMillis(), TimeUnit.MILLISECONDS);
  }

  private void tick() {
    view.invalidate();
    for (Controller c : controllers) {
      try {
        c.reconcile(view);
      } catch (RuntimeException e) {
        // someone else changed or removed the object in between: the next tick sees the new state
        log.debug("{} gave up this tick: {}", c.getClass().getSimpleName(), e.getMessage());
        view.invalidate();
      }
    }
    if (ticks++ % 50 == 0) {
      kubelet.forget(view.pods().stream().map(p -> p.getMetadata().getUid()).collect(Collectors.toSet()));
    }
  }

  public long ticks() {
    return ticks;
  }

  private synchronized void started(Pod pod, String workload) {
    starts.add(new PodStart(workload, pod.getMetadata().getNamespace() + "/" + pod.getMetadata().getName(),
        pod.getMetadata().getUid(), pod.getSpec().getNodeName(), Instant.now()));
  }

  public synchronized List<PodStart> podStartLog() {
    return List.copyOf(starts);
  }

  /** Pod starts per workload ("namespace/Kind/name"). */
  public synchronized Map<String, Integer> podStarts() {
    Map<String, Integer> counts = new LinkedHashMap<>();
    starts.forEach(s -> counts.merge(s.workload(), 1, Integer::sum));
    return counts;
  }

  public List<Disruption> disruptions() {
    return watcher.disruptions();
  }

  /** Budgets as the API server evaluated them right after a write, for the disruption watcher. */
  public void observeBudgets(List<Budgets.State> budgets) {
    watcher.observe(budgets);
  }

  /** Workload pods deleted because their node went away, as "namespace/pod on node". */
  public List<String> podsLostWithNodes() {
    return nodeLifecycle.lost();
  }

  @Override
  public void close() {
    loop.shutdownNow();
    try {
      loop.awaitTermination(5, TimeUnit.SECONDS);
    } catch (InterruptedException e) {
      Thread.currentThread().interrupt();
    }
  }
}
