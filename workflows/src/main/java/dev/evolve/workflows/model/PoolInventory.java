package dev.evolve.workflows.model;

import com.fasterxml.jackson.annotation.JsonIgnoreProperties;
import java.util.List;

/**
 * What runs on a pool, as Kubernetes sees it.
 *
 * @param nodes the pool's nodes (label cloud.google.com/gke-nodepool)
 * @param workloads workloads with pods on the pool, DaemonSets and mirror pods excepted
 * @param daemonSetCpuMillisPerNode CPU that DaemonSet pods request on each node (a new node pays it too)
 * @param daemonSetMemoryBytesPerNode memory that DaemonSet pods request on each node
 */
@JsonIgnoreProperties(ignoreUnknown = true)
public record PoolInventory(
    String pool,
    List<NodeInfo> nodes,
    List<Workload> workloads,
    long daemonSetCpuMillisPerNode,
    long daemonSetMemoryBytesPerNode) {}
