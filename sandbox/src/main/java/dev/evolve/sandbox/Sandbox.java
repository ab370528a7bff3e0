package dev.evolve.sandbox;

import dev.evolve.fakegke.FakeGke;
import dev.evolve.workflows.model.KafkaRotation;
import dev.evolve.workflows.model.TempPoolPolicy;
import dev.evolve.workflows.model.UpgradeRequest;
import java.io.IOException;
import java.io.UncheckedIOException;
import java.time.Duration;

/**
 * A whole stand-in for a GKE cluster on loopback: a real Kubernetes control plane and the fake
 * GKE wired to it, so that pools created, upgraded and deleted through the GKE API appear,
 * change and disappear as Node objects that the real scheduler places pods on. The demo, the
 * {@code ./evolve sandbox} process and the end-to-end tests all start it this way.
 */
public final class Sandbox implements AutoCloseable {

  /**
   * How fast things happen.
   *
   * @param cluster how fast pods start and stop on the Kubernetes cluster
   * @param gke how long GKE operations take
   * @param gkePort loopback port of the fake GKE; 0 for any free one
   */
  public record Settings(KubeCluster.Settings cluster, FakeGke.Durations gke, int gkePort) {

    /** The demo's pace: a full cycle of the default scenario in about a minute. */
    public static Settings demo() {
      // Pods start four times faster than the scenario says and a GKE node takes a second: slow
      // enough to watch pods change pools, fast enough that the whole cycle takes about a minute.
      return new Settings(KubeCluster.Settings.defaults().withSpeed(4.0),
          new FakeGke.Durations(Duration.ofMillis(300), Duration.ofSeconds(1)), 0);
    }

    /**
     * For end-to-end tests: pods start twenty times faster than in the scenario and GKE takes a
     * tenth of a second per node, so that a whole cycle takes seconds.
     */
    public static Settings fast() {
      return new Settings(KubeCluster.Settings.defaults().withSpeed(20.0),
          new FakeGke.Durations(Duration.ofMillis(20), Duration.ofMillis(100)), 0);
    }

    public Settings withGkePort(int gkePort) {
      return new Settings(cluster, gke, gkePort);
    }

    public Settings withSpeed(double speed) {
      return new Settings(cluster.withSpeed(speed), gke, gkePort);
    }
  }

  private final Scenario scenario;
  private final KubeCluster cluster;
  private final FakeGke gke;

  private Sandbox(Scenario scenario, KubeCluster cluster, FakeGke gke) {
    this.scenario = scenario;
    this.cluster = cluster;
    this.gke = gke;
  }

  public static Sandbox start(Scenario scenario, Settings settings) {
    KubeCluster cluster = KubeCluster.start(scenario, settings.cluster());
    Scenario.Cluster c = scenario.cluster();
    FakeGke.Builder builder = FakeGke.builder()
        .cluster(c.project(), c.location(), c.name(), c.zones())
        .versions(c.controlPlaneVersion(), c.validNodeVersions())
        .durations(settings.gke())
        .kubernetes(cluster.client());
    for (Scenario.Pool pool : scenario.pools()) {
      builder.pool(pool.name(), pool.version(), pool.machineType(), Math.max(1, pool.nodesPerZone()),
          pool.resourceLabels() == null ? java.util.Map.of() : pool.resourceLabels());
    }
    try {
      return new Sandbox(scenario, cluster, builder.build().start(settings.gkePort()));
    } catch (IOException e) {
      cluster.close();
      throw new UncheckedIOException("cannot start the fake GKE: " + e.getMessage(), e);
    }
  }

  public Scenario scenario() {
    return scenario;
  }

  public KubeCluster cluster() {
    return cluster;
  }

  public FakeGke gke() {
    return gke;
  }

  /** The pool a cycle upgrades: the scenario's first. */
  public String poolToUpgrade() {
    return scenario.pools().get(0).name();
  }

  /**
   * The cycle request for this scenario: its first pool to the control plane's version, with the
   * Kafka StatefulSet rotated behind the Admin API gates on its real brokers.
   */
  public UpgradeRequest request(TempPoolPolicy policy, long settleSeconds) {
    Scenario.Cluster c = scenario.cluster();
    KafkaRotation kafka = scenario.workloads().stream()
        .filter(w -> w.kafkaOrNull() != null)
        .findFirst()
        .map(w -> new KafkaRotation(w.namespace(), w.name(), cluster.kafka().orElseThrow().bootstrap(), 0,
            settleSeconds, 120L))
        .orElse(null);
    return new UpgradeRequest(c.project(), c.location(), c.name(), poolToUpgrade(), c.controlPlaneVersion(),
        null, null, kafka, policy, false, false, false, 300L, 600L);
  }

  @Override
  public void close() {
    gke.close();
    cluster.close();
  }
}
