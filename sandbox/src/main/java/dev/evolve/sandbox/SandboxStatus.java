package dev.evolve.sandbox;

import com.fasterxml.jackson.annotation.JsonIgnoreProperties;
import dev.evolve.sandbox.kafka.KafkaReport;
import dev.evolve.sandbox.observe.Objects;
import io.fabric8.kubernetes.api.model.Node;
import io.fabric8.kubernetes.api.model.Pod;
import java.util.List;
import java.util.Map;
import java.util.TreeMap;
import java.util.stream.Collectors;

/**
 * What the sandbox holds right now, as one JSON-friendly snapshot: the pools as GKE sees them,
 * where the pods run, and what the disruption watcher saw. The demo prints it; the
 * {@code ./evolve sandbox} process writes it to a file so that tests in other processes can
 * read the outcome of a cycle.
 *
 * @param pools pool name -> version, status and node count, as the fake GKE holds them
 * @param podsPerPool pool name -> pods running on its nodes (DaemonSet pods excepted)
 * @param pendingPods pods not bound to a node
 * @param disruptions every stretch where a workload had fewer Ready pods than its budget requires
 * @param podStarts pod starts per workload, initial starts included
 * @param gkeOperations GKE operations accepted so far, by type and pool ("CREATE_NODE_POOL pool-temp")
 * @param kafka what the load on the real brokers has seen so far (null: no brokers, or no load yet)
 * @param podsLost workload pods still on their node when it was deleted ("namespace/pod on node")
 */
@JsonIgnoreProperties(ignoreUnknown = true)
public record SandboxStatus(Map<String, PoolStatus> pools, Map<String, Integer> podsPerPool, int pendingPods,
    List<String> disruptions, Map<String, Integer> podStarts,
    Map<String, Long> gkeOperations, KafkaReport kafka, List<String> podsLost) {

  public SandboxStatus withKafka(KafkaReport report) {
    return new SandboxStatus(pools, podsPerPool, pendingPods, disruptions, podStarts, gkeOperations, report, podsLost);
  }

  @JsonIgnoreProperties(ignoreUnknown = true)
  public record PoolStatus(String version, String status, int nodes) {}

  public static SandboxStatus of(Sandbox sandbox) {
    Map<String, PoolStatus> pools = new TreeMap<>();
    for (String pool : sandbox.gke().poolNames()) {
      pools.put(pool, new PoolStatus(sandbox.gke().poolVersion(pool).orElse(null),
          sandbox.gke().poolStatus(pool).orElse(null), sandbox.gke().nodesOf(pool).size()));
    }
    KubeCluster cluster = sandbox.cluster();
    Map<String, String> poolOfNode = cluster.client().nodes().list().getItems().stream()
        .collect(Collectors.toMap(n -> n.getMetadata().getName(), SandboxStatus::poolOf, (a, b) -> a));
    Map<String, Integer> podsPerPool = new TreeMap<>();
    int pending = 0;
    for (Pod pod : cluster.client().pods().inAnyNamespace().list().getItems()) {
      // DaemonSet pods never change pools; pods that are stopping or finished no longer run anywhere.
      if (Objects.isDaemonSetPod(pod) || !Objects.isActive(pod)) {
        continue;
      }
      String node = pod.getSpec().getNodeName();
      if (node == null) {
        pending++;
      } else {
        podsPerPool.merge(poolOfNode.getOrDefault(node, "?"), 1, Integer::sum);
      }
    }
    List<String> disruptions = cluster.disruptions().stream().map(Disruption::toString).toList();
    return new SandboxStatus(pools, podsPerPool, pending, disruptions, new TreeMap<>(cluster.podStarts()),
        sandbox.gke().operationCounts(), null, List.copyOf(cluster.podsLostWithNodes()));
  }

  private static String poolOf(Node node) {
    String pool = Objects.label(node, Objects.POOL_LABEL);
    return pool == null ? "?" : pool;
  }
}
