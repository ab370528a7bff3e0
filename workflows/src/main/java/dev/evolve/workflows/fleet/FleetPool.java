package dev.evolve.workflows.fleet;

import com.fasterxml.jackson.annotation.JsonIgnoreProperties;
import dev.evolve.workflows.model.KafkaRotation;
import dev.evolve.workflows.model.PoolKey;

/**
 * One node pool of a fleet.
 *
 * @param project GCP project id
 * @param location region or zone of the cluster
 * @param cluster GKE cluster name
 * @param nodePool the pool to upgrade
 * @param targetVersion this pool's version, when it differs from the fleet's
 * @param taskQueue the task queue of the worker that reaches this cluster (a worker has one
 *     Kubernetes context: run one per cluster, e.g. in the cluster itself, each on its own queue);
 *     default the fleet's {@code taskQueue}, else the queue the fleet itself runs on
 * @param kafka the Kafka StatefulSet on this pool to rotate behind health gates (Kafka is per
 *     cluster, so it is never taken from the fleet's defaults)
 */
@JsonIgnoreProperties(ignoreUnknown = true)
public record FleetPool(
    String project,
    String location,
    String cluster,
    String nodePool,
    String targetVersion,
    String taskQueue,
    KafkaRotation kafka) {

  public FleetPool(String project, String location, String cluster, String nodePool) {
    this(project, location, cluster, nodePool, null, null, null);
  }

  public PoolKey key() {
    return new PoolKey(project, location, cluster, nodePool);
  }

  /** {@code project/location/cluster/pool}: how progress and messages name the pool. */
  public String path() {
    return project + "/" + location + "/" + cluster + "/" + nodePool;
  }
}
