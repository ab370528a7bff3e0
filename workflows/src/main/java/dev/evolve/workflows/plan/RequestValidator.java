package dev.evolve.workflows.plan;

import dev.evolve.workflows.model.KafkaRotation;
import dev.evolve.workflows.model.TempPoolSettings;
import dev.evolve.workflows.model.UpgradeRequest;
import dev.evolve.workflows.model.WorkloadRef;
import java.util.ArrayList;
import java.util.List;
import java.util.regex.Pattern;

/**
 * Checks a request before anything runs. Every problem names the field and says how to fix it;
 * the workflow refuses the whole request if there is any, so a typo never reaches a cluster.
 */
public final class RequestValidator {

  /** GKE node pool names: lower-case letters, digits and hyphens, starting with a letter, max 40. */
  private static final Pattern POOL_NAME = Pattern.compile("[a-z]([-a-z0-9]{0,38}[a-z0-9])?");

  /** Kubernetes waits poll (and heartbeat) every 2 s; less than this would time out live waits. */
  static final long MIN_HEARTBEAT_TIMEOUT_SECONDS = 5;

  private RequestValidator() {}

  /** All problems with the request; empty when it is fine. */
  public static List<String> problems(UpgradeRequest request) {
    List<String> problems = new ArrayList<>();
    if (request == null) {
      problems.add("the request is empty: give at least project, location, cluster, nodePool and targetVersion");
      return problems;
    }
    required(problems, "project", request.project(), "the GCP project id, e.g. my-project");
    required(problems, "location", request.location(), "the cluster's region or zone, e.g. europe-west1");
    required(problems, "cluster", request.cluster(), "the GKE cluster name");
    required(problems, "nodePool", request.nodePool(), "the node pool to upgrade, e.g. default-pool");
    required(problems, "targetVersion", request.targetVersion(),
        "a GKE node version such as 1.33.5-gke.1201000, or \"-\" for the control plane's version");
    if (notBlank(request.targetVersion()) && !isVersionOrAlias(request.targetVersion())) {
      problems.add("targetVersion '" + request.targetVersion() + "' is not a GKE version: write it like "
          + "1.33.5-gke.1201000 or 1.33.5, or \"-\" for the control plane's version");
    }
    checkTempPool(problems, request);
    positive(problems, "moveTimeoutSeconds", request.moveTimeoutSeconds());
    positive(problems, "operationTimeoutSeconds", request.operationTimeoutSeconds());
    if (request.heartbeatTimeoutSeconds() != null && request.heartbeatTimeoutSeconds() < MIN_HEARTBEAT_TIMEOUT_SECONDS) {
      problems.add("heartbeatTimeoutSeconds must be at least " + MIN_HEARTBEAT_TIMEOUT_SECONDS + " (got "
          + request.heartbeatTimeoutSeconds() + "): the activities heartbeat every few seconds while they wait");
    }
    Integer parallelism = request.moveParallelism();
    if (parallelism != null && (parallelism < 1 || parallelism > UpgradeRequest.MAX_MOVE_PARALLELISM)) {
      problems.add("moveParallelism must be 1 to " + UpgradeRequest.MAX_MOVE_PARALLELISM + " (got " + parallelism
          + "): how many workloads move at the same time; 1 moves them one after the other, leave it out for "
          + UpgradeRequest.DEFAULT_MOVE_PARALLELISM);
    }
    checkWorkloadRefs(problems, "workloads.include", request.workloadsOrDefault().includeOrEmpty());
    checkWorkloadRefs(problems, "workloads.exclude", request.workloadsOrDefault().excludeOrEmpty());
    if (request.kafka() != null) {
      checkKafka(problems, request.kafka());
    }
    if (request.startWindow() != null) {
      problems.addAll(request.startWindow().problems("startWindow"));
    }
    return problems;
  }

  /** "-" (control plane) and "latest" are GKE's aliases; everything else must parse. */
  public static boolean isVersionOrAlias(String version) {
    return "-".equals(version) || "latest".equals(version) || NodeVersion.parse(version).isPresent();
  }

  private static void checkTempPool(List<String> problems, UpgradeRequest request) {
    TempPoolSettings temp = request.tempPoolOrDefault();
    if (notBlank(request.nodePool())) {
      String name = request.tempPoolName();
      if (!POOL_NAME.matcher(name).matches()) {
        problems.add("tempPool.name '" + name + "' is not a valid GKE pool name: use 1-40 lower-case letters, "
            + "digits and hyphens, starting with a letter (set tempPool.name explicitly if <pool>-temp is too long)");
      }
      if (name.equals(request.nodePool())) {
        problems.add("tempPool.name must differ from nodePool ('" + name + "'): the temporary pool is a second pool");
      }
    }
    if (temp.nodeCountPerZone() != null && temp.nodeCountPerZone() < 1) {
      problems.add("tempPool.nodeCountPerZone must be at least 1 (got " + temp.nodeCountPerZone()
          + "); leave it out to size the pool from what the moving pods request");
    }
    if (temp.machineType() != null && temp.machineType().isBlank()) {
      problems.add("tempPool.machineType is blank; leave it out to use the original pool's machine type");
    }
  }

  private static void checkKafka(List<String> problems, KafkaRotation kafka) {
    required(problems, "kafka.namespace", kafka.namespace(), "the namespace of the Kafka StatefulSet");
    required(problems, "kafka.statefulSet", kafka.statefulSet(), "the name of the Kafka StatefulSet");
    if (kafka.settleSeconds() != null && kafka.settleSeconds() < 0) {
      problems.add("kafka.settleSeconds must be 0 or more (got " + kafka.settleSeconds() + ")");
    }
    positive(problems, "kafka.healthGateSeconds", kafka.healthGateSeconds());
    if (kafka.brokerIdOffset() != null && kafka.brokerIdOffset() < 0) {
      problems.add("kafka.brokerIdOffset must be 0 or more (got " + kafka.brokerIdOffset() + ")");
    }
    if (kafka.bootstrapServers() != null && !kafka.bootstrapServers().isBlank()
        && !BOOTSTRAP.matcher(kafka.bootstrapServers()).matches()) {
      // The gates read Kafka itself; a pod-readiness shortcut such as pods://NS/STS is not Kafka.
      problems.add("kafka.bootstrapServers must be HOST:PORT[,HOST:PORT...], the brokers the worker's Admin client "
          + "connects to (got '" + kafka.bootstrapServers() + "'); leave it out to use the worker's "
          + "EVOLVE_KAFKA_BOOTSTRAP_SERVERS");
    }
  }

  /** host:port, comma-separated; hosts may be names, IPv4 or [IPv6]. */
  private static final java.util.regex.Pattern BOOTSTRAP =
      java.util.regex.Pattern.compile("\\s*(\\[[0-9a-fA-F:.]+\\]|[A-Za-z0-9._-]+):\\d{1,5}\\s*(,\\s*(\\[[0-9a-fA-F:.]+\\]|[A-Za-z0-9._-]+):\\d{1,5}\\s*)*");

  private static void checkWorkloadRefs(List<String> problems, String field, List<String> refs) {
    for (String ref : refs) {
      try {
        WorkloadRef.parse(ref);
      } catch (IllegalArgumentException e) {
        problems.add(field + ": " + e.getMessage());
      }
    }
  }

  private static void required(List<String> problems, String field, String value, String what) {
    if (!notBlank(value)) {
      problems.add(field + " is missing: give " + what);
    }
  }

  private static void positive(List<String> problems, String field, Long value) {
    if (value != null && value <= 0) {
      problems.add(field + " must be more than 0 seconds (got " + value + ")");
    }
  }

  private static boolean notBlank(String value) {
    return value != null && !value.isBlank();
  }
}
