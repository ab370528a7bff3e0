package dev.evolve.sandbox;

import com.fasterxml.jackson.annotation.JsonIgnoreProperties;
import com.fasterxml.jackson.databind.DeserializationFeature;
import com.fasterxml.jackson.databind.ObjectMapper;
import com.fasterxml.jackson.dataformat.yaml.YAMLFactory;
import java.io.IOException;
import java.io.UncheckedIOException;
import java.nio.file.Path;
import dev.evolve.sandbox.kafka.KafkaSpec;
import java.util.List;

/**
 * What the sandbox cluster looks like at the start: the GKE side (cluster, control plane,
 * pools, which the fake GKE seeds itself from) and the Kubernetes side (workloads, budgets,
 * volumes), read from JSON or YAML. The format is described in sandbox/README.md.
 *
 * @param seed kept so that older scenario files still read; names now come from the real
 *     controllers (ReplicaSet and pod suffixes) and the fake GKE (node names)
 */
@JsonIgnoreProperties(ignoreUnknown = true)
public record Scenario(Cluster cluster, List<Pool> pools, List<WorkloadSpec> workloads, Long seed) {

  /** The GKE cluster the fake GKE pretends to be. */
  @JsonIgnoreProperties(ignoreUnknown = true)
  public record Cluster(String project, String location, String name, String controlPlaneVersion,
      List<String> zones, List<String> validNodeVersions) {}

  /**
   * A node pool: nodesPerZone nodes in every zone of the cluster.
   *
   * @param resourceLabels GKE resource labels, e.g. {@code goog-terraform-provisioned: "true"} for a
   *     pool Google's Terraform provider created (null: none)
   */
  @JsonIgnoreProperties(ignoreUnknown = true)
  public record Pool(String name, String version, String machineType, int nodesPerZone,
      java.util.Map<String, String> resourceLabels) {

    public Pool(String name, String version, String machineType, int nodesPerZone) {
      this(name, version, machineType, nodesPerZone, null);
    }
  }

  /**
   * A PodDisruptionBudget over the workload's pods: exactly one of the two, as a number or a
   * percentage ("50%").
   */
  @JsonIgnoreProperties(ignoreUnknown = true)
  public record Budget(String minAvailable, String maxUnavailable) {}

  /**
   * A Deployment, StatefulSet, DaemonSet or CronJob.
   *
   * @param kind Deployment, StatefulSet, DaemonSet or CronJob (background pods that nobody moves:
   *     on a real cluster they start wherever there is room, the temporary pool included)
   * @param cpu request per pod, e.g. "250m"
   * @param memory request per pod, e.g. "512Mi"
   * @param startupSeconds how long a scheduled pod takes to become Ready (scenario seconds; 2 by default)
   * @param catchUpSeconds kept so that older scenario files still read: a StatefulSet with a catch-up
   *     time (the pod-only Kafka stand-in of earlier versions) now runs real brokers, as with {@code kafka}
   * @param maxSurge Deployments, RollingUpdate: "25%" by default
   * @param maxUnavailable Deployments, RollingUpdate: "25%" by default
   * @param strategy Deployments: RollingUpdate (default) or Recreate; StatefulSets: RollingUpdate
   *     (default) or OnDelete
   * @param volumeZones StatefulSets: zone of the volume of each ordinal (a zonal PV is made per ordinal)
   * @param antiAffinity required pod anti-affinity on kubernetes.io/hostname (one pod per node)
   * @param nodeSelector extra nodeSelector for the pods
   * @param terminationGracePeriodSeconds how long a deleted pod takes to stop (scenario seconds; 30 by
   *     default, as in Kubernetes)
   * @param schedule CronJobs: when a Job starts, in cron syntax ("* * * * *", every minute, by default)
   * @param runSeconds CronJobs: how long each Job's pod runs before it completes (scenario seconds; 20
   *     by default)
   * @param kafka StatefulSets: its pods are real Kafka brokers (KRaft processes that live and die with
   *     their pods); the cycle rotates it behind the Admin API gates. Its start-up and grace period are
   *     real time, never sped up: they are how long a broker really takes
   */
  @JsonIgnoreProperties(ignoreUnknown = true)
  public record WorkloadSpec(String kind, String namespace, String name, Integer replicas, String cpu,
      String memory, Double startupSeconds, Double catchUpSeconds, String maxSurge, String maxUnavailable,
      String strategy, List<String> volumeZones, String volumeSize, Boolean antiAffinity,
      java.util.Map<String, String> nodeSelector, Budget pdb, Double terminationGracePeriodSeconds,
      String schedule, Double runSeconds, KafkaSpec kafka) {

    /** Without the CronJob fields, for the kinds that have none. */
    public WorkloadSpec(String kind, String namespace, String name, Integer replicas, String cpu,
        String memory, Double startupSeconds, Double catchUpSeconds, String maxSurge, String maxUnavailable,
        String strategy, List<String> volumeZones, String volumeSize, Boolean antiAffinity,
        java.util.Map<String, String> nodeSelector, Budget pdb, Double terminationGracePeriodSeconds) {
      this(kind, namespace, name, replicas, cpu, memory, startupSeconds, catchUpSeconds, maxSurge, maxUnavailable,
          strategy, volumeZones, volumeSize, antiAffinity, nodeSelector, pdb, terminationGracePeriodSeconds, null,
          null, null);
    }

    /** A StatefulSet of real Kafka brokers. */
    public static WorkloadSpec kafkaBrokers(String namespace, String name, int replicas, List<String> volumeZones,
        KafkaSpec kafka) {
      // A broker's controlled shutdown takes seconds; 30 s is the grace period Kafka charts give it.
      return new WorkloadSpec("StatefulSet", namespace, name, replicas, "1", "4Gi", null, null, null, null, null,
          volumeZones, "100Gi", true, null, new Budget(null, "1"), 30.0, null, null, kafka);
    }

    /** Its Kafka settings when its pods are brokers; older files said so with a catch-up time. */
    public KafkaSpec kafkaOrNull() {
      if (!"StatefulSet".equals(kind)) {
        return null;
      }
      return kafka != null ? kafka : catchUpSeconds != null ? KafkaSpec.defaults() : null;
    }

    int replicasOrDefault() {
      return replicas == null ? 1 : replicas;
    }

    double terminationGracePeriodSecondsOrDefault() {
      return terminationGracePeriodSeconds == null ? 30.0 : terminationGracePeriodSeconds;
    }
  }

  private static final ObjectMapper JSON = new ObjectMapper()
      .configure(DeserializationFeature.FAIL_ON_UNKNOWN_PROPERTIES, false);
  private static final ObjectMapper YAML = new ObjectMapper(new YAMLFactory())
      .configure(DeserializationFeature.FAIL_ON_UNKNOWN_PROPERTIES, false);

  /** Reads a scenario; YAML when the file name ends in .yaml or .yml, JSON otherwise. */
  public static Scenario load(Path file) {
    String name = file.getFileName().toString().toLowerCase();
    ObjectMapper mapper = name.endsWith(".yaml") || name.endsWith(".yml") ? YAML : JSON;
    try {
      return mapper.readValue(file.toFile(), Scenario.class).validated();
    } catch (IOException e) {
      throw new UncheckedIOException("cannot read scenario " + file + ": " + e.getMessage(), e);
    }
  }

  /** The same cluster in another GKE project. */
  public Scenario inProject(String other) {
    Cluster c = cluster;
    return new Scenario(new Cluster(other, c.location(), c.name(), c.controlPlaneVersion(), c.zones(),
        c.validNodeVersions()), pools, workloads, seed);
  }

  public String toJson() {
    try {
      return JSON.writerWithDefaultPrettyPrinter().writeValueAsString(this);
    } catch (IOException e) {
      throw new UncheckedIOException(e);
    }
  }


  /** Names the first thing that would make the cluster nonsense, so a bad file fails at once. */
  public Scenario validated() {
    if (cluster == null || cluster.zones() == null || cluster.zones().isEmpty()) {
      throw new IllegalArgumentException("scenario: cluster.zones must list at least one zone");
    }
    if (workloads != null && workloads.stream().filter(w -> w.kafkaOrNull() != null).count() > 1) {
      throw new IllegalArgumentException("scenario: more than one StatefulSet runs Kafka brokers; the sandbox runs "
          + "one Kafka cluster, so give the kafka section to one of them");
    }
    for (WorkloadSpec w : workloads == null ? List.<WorkloadSpec>of() : workloads) {
      if (w.name() == null || w.namespace() == null) {
        throw new IllegalArgumentException("scenario: every workload needs a namespace and a name");
      }
      if (!List.of("Deployment", "StatefulSet", "DaemonSet", "CronJob").contains(w.kind())) {
        throw new IllegalArgumentException("scenario: workload " + w.namespace() + "/" + w.name()
            + " has kind " + w.kind() + "; Deployment, StatefulSet, DaemonSet or CronJob");
      }
      if (w.pdb() != null && (w.pdb().minAvailable() == null) == (w.pdb().maxUnavailable() == null)) {
        throw new IllegalArgumentException("scenario: pdb of " + w.namespace() + "/" + w.name()
            + " needs exactly one of minAvailable and maxUnavailable");
      }
      if (w.kafka() != null || w.kafkaOrNull() != null) {
        if (!"StatefulSet".equals(w.kind())) {
          throw new IllegalArgumentException("scenario: " + w.namespace() + "/" + w.name()
              + " has a kafka section but is a " + w.kind() + "; only a StatefulSet can run brokers");
        }
        if (w.replicasOrDefault() < 3) {
          throw new IllegalArgumentException("scenario: " + w.namespace() + "/" + w.name() + " runs "
              + w.replicasOrDefault() + " brokers; real brokers need replicas of at least 3 (replication factor 3)");
        }
        w.kafkaOrNull().validate(w.namespace() + "/" + w.name());
      }
      if (w.volumeZones() != null && w.volumeZones().size() < w.replicasOrDefault()) {
        throw new IllegalArgumentException("scenario: " + w.namespace() + "/" + w.name() + " lists "
            + w.volumeZones().size() + " volume zones for " + w.replicasOrDefault() + " replicas");
      }
    }
    return this;
  }

  /**
   * A small production-like cluster: three zones, a three-node default-pool one minor version
   * behind the control plane, web Deployments with budgets (one of them a single replica that
   * can only move surge-first), a log DaemonSet and three real Kafka brokers (with a separate
   * controller quorum) tied to their zonal volumes.
   */
  public static Scenario defaultScenario() {
    List<String> zones = List.of("europe-west1-b", "europe-west1-c", "europe-west1-d");
    return new Scenario(
        new Cluster("evolve-demo", "europe-west1", "prod-eu", "1.33.5-gke.1201000", zones,
            List.of("1.33.5-gke.1201000", "1.33.4-gke.1350000", "1.32.9-gke.1100000")),
        List.of(new Pool("default-pool", "1.32.9-gke.1100000", "e2-standard-4", 1)),
        List.of(
            deployment("shop", "checkout", 1, "500m", "512Mi", 3.0, "1", "0", new Budget("1", null)),
            deployment("shop", "frontend", 3, "250m", "256Mi", 2.0, "1", "0", new Budget(null, "1")),
            deployment("shop", "catalog", 2, "250m", "512Mi", 2.0, "1", "0", new Budget("1", null)),
            deployment("ops", "grafana", 1, "100m", "256Mi", 2.0, null, null, null),
            new WorkloadSpec("DaemonSet", "kube-system", "fluentbit", null, "100m", "128Mi", 1.0, null, null, null,
                null, null, null, null, null, null, 2.0),
            WorkloadSpec.kafkaBrokers("kafka", "kafka", 3, zones, KafkaSpec.defaults())),
        42L);
  }

  private static WorkloadSpec deployment(String ns, String name, int replicas, String cpu, String memory,
      double startup, String maxSurge, String maxUnavailable, Budget pdb) {
    return new WorkloadSpec("Deployment", ns, name, replicas, cpu, memory, startup, null, maxSurge, maxUnavailable,
        null, null, null, null, null, pdb, 2.0);
  }
}
