package dev.evolve.sandbox;

import dev.evolve.sandbox.api.EvictingDispatcher;
import dev.evolve.sandbox.sim.Names;
import dev.evolve.sandbox.sim.SimClock;
import dev.evolve.sandbox.sim.Simulation;
import io.fabric8.kubernetes.client.Config;
import io.fabric8.kubernetes.client.ConfigBuilder;
import io.fabric8.kubernetes.client.KubernetesClient;
import io.fabric8.kubernetes.client.KubernetesClientBuilder;
import io.fabric8.kubernetes.client.server.mock.KubernetesMockServer;
import io.fabric8.kubernetes.client.utils.Serialization;
import io.fabric8.mockwebserver.Context;
import io.fabric8.mockwebserver.MockWebServer;
import java.io.IOException;
import java.io.UncheckedIOException;
import java.net.InetAddress;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.HashMap;
import java.util.List;
import java.util.Map;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;

/**
 * A simulated Kubernetes cluster on loopback: the fabric8 mock API server in CRUD mode (plus
 * the Eviction subresource) that any process can reach through {@link #masterUrl()} or a
 * kubeconfig, and a simulation loop that schedules, starts and controls pods as a cluster
 * would. Start it with {@link #start(Scenario, SimulationSettings)}; close it when done.
 */
public final class SimulatedCluster implements AutoCloseable {

  private static final Logger log = LoggerFactory.getLogger(SimulatedCluster.class);

  /** The mock web server logs every request through java.util.logging, thousands a minute here; held so it stays quiet. */
  private static final java.util.logging.Logger MOCK_SERVER_LOG =
      java.util.logging.Logger.getLogger("io.fabric8.mockwebserver");

  private final Scenario scenario;
  private final KubernetesMockServer server;
  private final EvictingDispatcher dispatcher;
  private final KubernetesClient client;
  private final Simulation simulation;

  private SimulatedCluster(Scenario scenario, KubernetesMockServer server, EvictingDispatcher dispatcher,
      KubernetesClient client, Simulation simulation) {
    this.scenario = scenario;
    this.server = server;
    this.dispatcher = dispatcher;
    this.client = client;
    this.simulation = simulation;
  }

  /**
   * Starts the API server on 127.0.0.1, writes the scenario's workloads (and, when
   * {@code settings.seedNodes()}, its pools' nodes), and starts the simulation loop.
   */
  public static SimulatedCluster start(Scenario scenario, SimulationSettings settings) {
    MOCK_SERVER_LOG.setLevel(java.util.logging.Level.WARNING);
    EvictingDispatcher dispatcher = new EvictingDispatcher();
    KubernetesMockServer server = new KubernetesMockServer(new Context(Serialization.jsonMapper()),
        new MockWebServer(), new HashMap<>(), dispatcher, false);
    server.init(InetAddress.getLoopbackAddress(), settings.port());
    KubernetesClient client = newClient(server.url("/"));
    Simulation simulation = new Simulation(newClient(server.url("/")), new Names(scenario.seedOrDefault()),
        new SimClock(settings.speed()), settings.defaultStartupSeconds());
    dispatcher.observeBudgets(simulation::observeBudgets);
    SimulatedCluster cluster = new SimulatedCluster(scenario, server, dispatcher, client, simulation);
    if (settings.seedNodes()) {
      cluster.seedNodes();
    }
    ScenarioObjects.create(client, scenario);
    simulation.start(settings.tick());
    log.info("simulated cluster {} listening on {}", scenario.cluster().name(), cluster.masterUrl());
    return cluster;
  }

  /**
   * A client without fabric8's own retries of 429 and 5xx answers: an eviction refused by a
   * budget must reach the caller, as with the activities' client.
   */
  private static KubernetesClient newClient(String masterUrl) {
    Config config = new ConfigBuilder(Config.empty()).withMasterUrl(masterUrl).withNamespace("default")
        .withTrustCerts(true).withRequestRetryBackoffLimit(0).build();
    return new KubernetesClientBuilder().withConfig(config).build();
  }

  private void seedNodes() {
    List<String> zones = scenario.cluster().zones();
    for (Scenario.Pool pool : scenario.pools() == null ? List.<Scenario.Pool>of() : scenario.pools()) {
      int index = 0;
      for (String zone : zones) {
        for (int i = 0; i < Math.max(1, pool.nodesPerZone()); i++) {
          SandboxNodes.create(client, SandboxNodes.name(scenario.cluster().name(), pool.name(), zone, index++),
              pool.name(), zone, pool.version(), pool.machineType());
        }
      }
    }
  }

  public Scenario scenario() {
    return scenario;
  }

  /** http://127.0.0.1:PORT/ */
  public String masterUrl() {
    return server.url("/");
  }

  /** A client of this cluster (no client-side retries). */
  public KubernetesClient client() {
    return client;
  }

  /** Writes a kubeconfig with one context, "sandbox", pointing at this cluster. */
  public Path writeKubeconfig(Path file) {
    String url = masterUrl().replaceAll("/$", "");
    String yaml = """
        apiVersion: v1
        kind: Config
        clusters:
        - name: sandbox
          cluster:
            server: %s
        users:
        - name: sandbox
          user:
            token: sandbox
        contexts:
        - name: sandbox
          context:
            cluster: sandbox
            user: sandbox
            namespace: default
        current-context: sandbox
        """.formatted(url);
    try {
      if (file.getParent() != null) {
        Files.createDirectories(file.getParent());
      }
      Files.writeString(file, yaml);
      return file;
    } catch (IOException e) {
      throw new UncheckedIOException(e);
    }
  }

  /** Every time a workload with a budget had fewer Ready pods than it requires. */
  public List<Disruption> disruptions() {
    return simulation.disruptions();
  }

  /**
   * Workload pods (not DaemonSet pods) that went down with their node, as "namespace/pod on
   * node": what deleting or upgrading a pool that still runs workloads costs.
   */
  public List<String> podsLostWithNodes() {
    return simulation.podsLostWithNodes();
  }

  /** Pod starts per workload, "namespace/Kind/name" -> count (initial starts included). */
  public Map<String, Integer> podStarts() {
    return simulation.podStarts();
  }

  public List<PodStart> podStartLog() {
    return simulation.podStartLog();
  }

  public long evictionsAllowed() {
    return dispatcher.evictionsAllowed();
  }

  public long evictionsRefused() {
    return dispatcher.evictionsRefused();
  }

  @Override
  public void close() {
    simulation.close();
    client.close();
    server.destroy();
  }
}
