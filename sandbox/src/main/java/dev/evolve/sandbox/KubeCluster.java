package dev.evolve.sandbox;

import dev.evolve.activities.kube.KubeClients;
import dev.evolve.sandbox.kafka.BrokerPods;
import dev.evolve.sandbox.kafka.KafkaCluster;
import dev.evolve.sandbox.kube.ControlPlane;
import dev.evolve.sandbox.observe.ClusterObserver;
import io.fabric8.kubernetes.client.Config;
import io.fabric8.kubernetes.client.KubernetesClient;
import java.io.IOException;
import java.io.UncheckedIOException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.nio.file.StandardCopyOption;
import java.util.Comparator;
import java.util.List;
import java.util.Map;
import java.util.Optional;
import java.util.concurrent.CompletableFuture;
import java.util.stream.Stream;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;

/**
 * The sandbox's Kubernetes cluster: a real control plane ({@link ControlPlane}), the scenario's
 * workloads written into it, and a {@link ClusterObserver} keeping the evidence (disruptions, pod
 * starts, pods lost with nodes). Nodes come and go through the fake GKE; kwok plays their kubelets,
 * except for broker pods, whose Kafka processes {@link BrokerPods} runs.
 */
public final class KubeCluster implements AutoCloseable {

  private static final Logger log = LoggerFactory.getLogger(KubeCluster.class);

  /**
   * How fast pods start and stop.
   *
   * @param speed scenario seconds per wall-clock second: 4 makes every start-up delay and
   *     termination grace period of the scenario four times shorter
   * @param startTimeoutSeconds how long the control plane may take to start (a first build of its
   *     binaries takes about ten minutes)
   */
  public record Settings(double speed, long startTimeoutSeconds) {

    public Settings {
      if (speed <= 0) {
        throw new IllegalArgumentException("speed must be > 0, was " + speed);
      }
    }

    public static Settings defaults() {
      return new Settings(1.0, 1800);
    }

    public Settings withSpeed(double speed) {
      return new Settings(speed, startTimeoutSeconds);
    }

    /** Wall-clock milliseconds for a delay given in scenario seconds. */
    public long wallMillis(double scenarioSeconds) {
      return Math.round(scenarioSeconds * 1000 / speed);
    }
  }

  private final Scenario scenario;
  private final Path dir;
  private final ControlPlane plane;
  private final KubernetesClient client;
  private final ClusterObserver observer;
  private final KafkaCluster kafka;
  private final BrokerPods brokerPods;

  private KubeCluster(Scenario scenario, Path dir, ControlPlane plane, KubernetesClient client,
      ClusterObserver observer, KafkaCluster kafka, BrokerPods brokerPods) {
    this.scenario = scenario;
    this.dir = dir;
    this.plane = plane;
    this.client = client;
    this.observer = observer;
    this.kafka = kafka;
    this.brokerPods = brokerPods;
  }

  /** Starts the control plane in a fresh temporary folder and writes the scenario's workloads. */
  public static KubeCluster start(Scenario scenario, Settings settings) {
    Path dir;
    try {
      dir = Files.createTempDirectory("evolve-kube-");
    } catch (IOException e) {
      throw new UncheckedIOException(e);
    }
    long started = System.currentTimeMillis();
    Scenario.WorkloadSpec brokers = scenario.workloads() == null ? null : scenario.workloads().stream()
        .filter(w -> w.kafkaOrNull() != null).findFirst().orElse(null);
    // Kafka's storage is formatted while the control plane starts: both take seconds.
    CompletableFuture<KafkaCluster> kafkaStarting = brokers == null ? CompletableFuture.completedFuture(null)
        : CompletableFuture.supplyAsync(() -> KafkaCluster.start(brokers.kafkaOrNull(), brokers.replicasOrDefault(),
            dir.resolve("kafka")));
    ControlPlane plane;
    try {
      plane = ControlPlane.start(dir, settings.startTimeoutSeconds());
    } catch (RuntimeException e) {
      kafkaStarting.thenAccept(k -> {
        if (k != null) {
          k.close();
        }
      });
      throw e;
    }
    long planeUp = System.currentTimeMillis();
    KubernetesClient client = null;
    KafkaCluster kafka = null;
    try {
      kafka = kafkaStarting.join();
      client = KubeClients.withoutClientRetries(config(plane.kubeconfig()));
      ClusterObserver observer = new ClusterObserver(client);
      BrokerPods brokerPods = kafka == null ? null
          : new BrokerPods(client, kafka, brokers.namespace(), brokers.name());
      ScenarioObjects.create(client, scenario, settings);
      log.info("control plane ready in {} ms, observer and scenario objects in {} ms", planeUp - started,
          System.currentTimeMillis() - planeUp);
      return new KubeCluster(scenario, dir, plane, client, observer, kafka, brokerPods);
    } catch (RuntimeException e) {
      if (client != null) {
        client.close();
      }
      if (kafka != null) {
        kafka.close();
      }
      plane.close();
      throw e;
    }
  }

  /** The real Kafka brokers behind the scenario's Kafka StatefulSet, if it has one. */
  public Optional<KafkaCluster> kafka() {
    return Optional.ofNullable(kafka);
  }

  /** Whether every broker pod is Ready, its broker accepting connections; false without real brokers. */
  public boolean brokersServing() {
    return brokerPods != null && brokerPods.allServing();
  }

  /** Starts and stops of the brokers, in order; empty without real brokers. */
  public List<BrokerPods.BrokerEvent> brokerEvents() {
    return brokerPods == null ? List.of() : brokerPods.events();
  }

  /** The control plane's processes, for faults injected into them (the chaos soak). */
  public ControlPlane controlPlane() {
    return plane;
  }

  /** A client configuration for the admin kubeconfig of this cluster. */
  private static Config config(Path kubeconfig) {
    try {
      return Config.fromKubeconfig(null, Files.readString(kubeconfig), kubeconfig.toString());
    } catch (IOException e) {
      throw new UncheckedIOException(e);
    }
  }

  public Scenario scenario() {
    return scenario;
  }

  /** The client configuration other clients of this cluster (the activities, the demo) use. */
  public Config config() {
    return config(plane.kubeconfig());
  }

  /** https://127.0.0.1:PORT/ */
  public String masterUrl() {
    return client.getMasterUrl().toString();
  }

  /** A client of this cluster (no client-side retries, so an eviction refused with 429 reaches the caller). */
  public KubernetesClient client() {
    return client;
  }

  /** E.g. "Kubernetes v1.34.4 at https://127.0.0.1:PORT (nodes and pods played by kwok v0.8.0)". */
  public String description() {
    return plane.description();
  }

  /** Copies the admin kubeconfig to {@code file}. */
  public Path writeKubeconfig(Path file) {
    try {
      if (file.getParent() != null) {
        Files.createDirectories(file.getParent());
      }
      return Files.copy(plane.kubeconfig(), file, StandardCopyOption.REPLACE_EXISTING);
    } catch (IOException e) {
      throw new UncheckedIOException(e);
    }
  }

  /** Every time a workload with a budget had fewer Ready pods than it requires. */
  public List<Disruption> disruptions() {
    return observer.disruptions();
  }

  /**
   * Workload pods (not DaemonSet pods) that were still on their node when it was deleted, as
   * "namespace/pod on node": what deleting or upgrading a pool that still runs workloads costs.
   */
  public List<String> podsLostWithNodes() {
    return observer.podsLostWithNodes();
  }

  /** Pod starts per workload, "namespace/Kind/name" -> count (initial starts included). */
  public Map<String, Integer> podStarts() {
    return observer.podStarts();
  }

  public List<PodStart> podStartLog() {
    return observer.podStartLog();
  }

  @Override
  public void close() {
    if (brokerPods != null) {
      brokerPods.close();
    }
    if (kafka != null) {
      kafka.close();
    }
    observer.close();
    client.close();
    plane.close();
    deleteRecursively(dir);
  }

  private static void deleteRecursively(Path dir) {
    try (Stream<Path> paths = Files.walk(dir)) {
      paths.sorted(Comparator.reverseOrder()).forEach(p -> p.toFile().delete());
    } catch (IOException e) {
      log.debug("cannot remove {}: {}", dir, e.toString());
    }
  }
}
