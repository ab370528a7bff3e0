package dev.evolve.starter;

import com.fasterxml.jackson.databind.ObjectMapper;
import dev.evolve.workflows.model.KafkaRotation;
import dev.evolve.workflows.model.TempPoolPolicy;
import dev.evolve.workflows.model.TempPoolSettings;
import dev.evolve.workflows.model.UpgradeRequest;
import dev.evolve.workflows.model.WorkloadSelection;
import dev.evolve.workflows.plan.RequestValidator;
import java.io.IOException;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.List;
import java.util.Optional;
import picocli.CommandLine.Option;

/**
 * The upgrade request, from a JSON file (the same JSON the Temporal CLI and UI take), from flags,
 * or both: flags override the file. Checked here, before anything is sent.
 */
public final class RequestOptions {

  static final ObjectMapper JSON = new ObjectMapper();

  @Option(names = {"-f", "--file"}, description = "request as JSON (see README)")
  Path file;

  @Option(names = "--project") String project;
  @Option(names = "--location", description = "region or zone") String location;
  @Option(names = "--cluster") String cluster;
  @Option(names = "--pool", description = "node pool to upgrade") String pool;
  @Option(names = "--target-version", description = "GKE version, or - for the control plane's") String targetVersion;
  @Option(names = "--temp-pool-name") String tempPoolName;
  @Option(names = "--temp-machine-type") String tempMachineType;
  @Option(names = "--temp-nodes-per-zone") Integer tempNodesPerZone;
  @Option(names = "--temp-pool-policy", description = "DELETE, SCALE_TO_ZERO or KEEP") TempPoolPolicy policy;
  @Option(names = "--kafka", description = "Kafka StatefulSet as namespace/name") String kafka;
  @Option(names = "--kafka-bootstrap") String kafkaBootstrap;
  @Option(names = "--settle-seconds") Long settleSeconds;
  @Option(names = "--gate-seconds", description = "Kafka health-gate budget") Long gateSeconds;
  @Option(names = "--namespace-only", description = "only workloads in these namespaces") List<String> namespaces;
  @Option(names = "--include", description = "only these workloads (namespace/Kind/name)") List<String> include;
  @Option(names = "--exclude", description = "never these workloads (namespace/Kind/name)") List<String> exclude;
  @Option(names = "--require-approval") Boolean requireApproval;
  @Option(names = "--allow-emptydir-loss") Boolean allowEmptyDirLoss;
  @Option(names = "--move-timeout-seconds") Long moveTimeoutSeconds;

  /** The request, validated; a problem is a {@link CliErrors.BadInputException} naming the field. */
  public UpgradeRequest request() {
    UpgradeRequest base = file == null ? empty() : read(file);
    UpgradeRequest merged = merge(base);
    List<String> problems = RequestValidator.problems(merged);
    if (!problems.isEmpty()) {
      throw new CliErrors.BadInputException("invalid request, nothing was started:\n  - "
          + String.join("\n  - ", problems));
    }
    return merged;
  }

  private static UpgradeRequest read(Path path) {
    try {
      return JSON.readValue(path.toFile(), UpgradeRequest.class);
    } catch (IOException e) {
      throw new CliErrors.BadInputException("cannot read " + path + " as an upgrade request: " + e.getMessage());
    }
  }

  private static UpgradeRequest empty() {
    return new UpgradeRequest(null, null, null, null, null, null, null, null, null, null, null, null, null, null);
  }

  private UpgradeRequest merge(UpgradeRequest r) {
    TempPoolSettings temp = r.tempPoolOrDefault();
    TempPoolSettings mergedTemp = new TempPoolSettings(or(tempPoolName, temp.name()),
        or(tempMachineType, temp.machineType()), or(tempNodesPerZone, temp.nodeCountPerZone()));
    WorkloadSelection sel = r.workloadsOrDefault();
    WorkloadSelection mergedSel = new WorkloadSelection(or(namespaces, sel.namespacesOrEmpty()),
        or(include, sel.includeOrEmpty()), or(exclude, sel.excludeOrEmpty()));
    return new UpgradeRequest(or(project, r.project()), or(location, r.location()), or(cluster, r.cluster()),
        or(pool, r.nodePool()), or(targetVersion, r.targetVersion()), mergedTemp, mergedSel, mergeKafka(r.kafka()),
        or(policy, r.tempPoolPolicy()), r.dryRun(), or(requireApproval, r.requireApproval()),
        or(allowEmptyDirLoss, r.allowEmptyDirDataLoss()), or(moveTimeoutSeconds, r.moveTimeoutSeconds()),
        r.operationTimeoutSeconds(), r.startWindow(), r.heartbeatTimeoutSeconds());
  }

  private KafkaRotation mergeKafka(KafkaRotation k) {
    if (kafka == null && k == null) {
      return null;
    }
    KafkaRotation base = k != null ? k : new KafkaRotation(null, null, null, null, null, null);
    String namespace = base.namespace();
    String statefulSet = base.statefulSet();
    if (kafka != null) {
      String[] parts = kafka.split("/");
      if (parts.length != 2) {
        throw new CliErrors.BadInputException("--kafka must be namespace/statefulset, e.g. kafka/kafka (got '" + kafka + "')");
      }
      namespace = parts[0];
      statefulSet = parts[1];
    }
    return new KafkaRotation(namespace, statefulSet, or(kafkaBootstrap, base.bootstrapServers()),
        base.brokerIdOffset(), or(settleSeconds, base.settleSeconds()), or(gateSeconds, base.healthGateSeconds()));
  }

  private static <T> T or(T flag, T fromFile) {
    return Optional.ofNullable(flag).orElse(fromFile);
  }

  static <T> List<T> orEmpty(List<T> list) {
    return list == null ? new ArrayList<>() : list;
  }
}
