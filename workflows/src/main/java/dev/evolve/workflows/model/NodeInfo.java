package dev.evolve.workflows.model;

import com.fasterxml.jackson.annotation.JsonIgnoreProperties;

/**
 * One Kubernetes node of a pool.
 *
 * @param zone label topology.kubernetes.io/zone
 * @param cpuMillis allocatable CPU
 * @param memoryBytes allocatable memory
 */
@JsonIgnoreProperties(ignoreUnknown = true)
public record NodeInfo(
    String name,
    String zone,
    boolean ready,
    boolean unschedulable,
    long cpuMillis,
    long memoryBytes,
    String kubeletVersion) {}
