package dev.evolve.sandbox.bench;

import dev.evolve.sandbox.Scenario;
import dev.evolve.sandbox.Scenario.Budget;
import dev.evolve.sandbox.Scenario.WorkloadSpec;
import dev.evolve.sandbox.kafka.KafkaSpec;
import java.util.ArrayList;
import java.util.List;

/**
 * The benchmarks' cluster, generated rather than written by hand so that its size is a parameter:
 * a pool of {@code nodesPerZone} nodes in each of three zones, {@code deployments} Deployments
 * cycling through six shapes that cover the strategies and budgets a platform team meets, a
 * StatefulSet on zonal volumes, a log DaemonSet and three real Kafka brokers.
 */
public final class BenchScenario {

  static final List<String> ZONES = List.of("europe-west1-b", "europe-west1-c", "europe-west1-d");

  /**
   * One Deployment shape: replicas, strategy, surge and unavailability, and the budget over it.
   * Start-up and grace period are in scenario seconds.
   */
  record Shape(String label, int replicas, String strategy, String maxSurge, String maxUnavailable, Budget pdb,
      double startupSeconds, double graceSeconds) {}

  static final List<Shape> SHAPES = List.of(
      new Shape("defaults (25%/25%), maxUnavailable 1 budget", 3, null, null, null, new Budget(null, "1"), 4, 30),
      new Shape("surge 1 / unavailable 0, minAvailable 3", 4, null, "1", "0", new Budget("3", null), 6, 30),
      new Shape("no surge (0/1) under minAvailable 1: moved by eviction", 2, null, "0", "1", new Budget("1", null), 4,
          10),
      new Shape("surge 50%, minAvailable 50%", 6, null, "50%", "0", new Budget("50%", null), 8, 30),
      // (Recreate is left out: the cycle blocks it with RECREATE_STRATEGY, as it must)
      new Shape("surge 2 / unavailable 1, minAvailable 4", 5, null, "2", "1", new Budget("4", null), 2, 10),
      // maxUnavailable 1, not minAvailable 1: a budget that allows no eviction at all would block
      // kubectl drain for ever (GKE forces it after an hour), and the drain is what this is compared with
      new Shape("single replica, surge first, maxUnavailable 1", 1, null, "1", "0", new Budget(null, "1"), 6, 30));

  private BenchScenario() {}

  public static Scenario generate(int nodesPerZone, int deployments) {
    List<WorkloadSpec> workloads = new ArrayList<>();
    for (int i = 0; i < deployments; i++) {
      Shape s = SHAPES.get(i % SHAPES.size());
      String namespace = "team-" + (char) ('a' + i % 3);
      workloads.add(new WorkloadSpec("Deployment", namespace, "svc-" + String.format("%02d", i), s.replicas(),
          "200m", "256Mi", s.startupSeconds(), null, s.maxSurge(), s.maxUnavailable(), s.strategy(), null, null,
          null, null, s.pdb(), s.graceSeconds()));
    }
    workloads.add(new WorkloadSpec("StatefulSet", "data", "db", 3, "500m", "1Gi", 6.0, null, null, null, null,
        ZONES, "50Gi", true, null, new Budget(null, "1"), 20.0));
    workloads.add(new WorkloadSpec("DaemonSet", "kube-system", "fluentbit", null, "100m", "128Mi", 1.0, null, null,
        null, null, null, null, null, null, null, 2.0));
    workloads.add(WorkloadSpec.kafkaBrokers("kafka", "kafka", 3, ZONES, KafkaSpec.defaults()));
    Scenario defaults = Scenario.defaultScenario();
    return new Scenario(defaults.cluster(),
        List.of(new Scenario.Pool("default-pool", "1.32.9-gke.1100000", "e2-standard-4", nodesPerZone)),
        workloads, 42L).validated();
  }
}
