package dev.evolve.workflows.model;

import com.fasterxml.jackson.annotation.JsonIgnoreProperties;
import java.util.List;

/**
 * A workload with pods on the pool, as the inventory found it. Bare pods (no owner) appear as
 * kind {@code Pod}; pods whose owner is not a Deployment or StatefulSet appear under their top
 * owner (e.g. {@code Job}, {@code ReplicaSet}, a custom resource kind).
 *
 * @param replicas desired replicas (for owners that have them; else pods found)
 * @param podsOnPool pods of this workload running on the pool now
 * @param readyOrdinalsOnPool for StatefulSets: ordinals of its pods on the pool
 * @param cpuMillisRequested sum of CPU requests of its pods on the pool
 * @param memoryBytesRequested sum of memory requests of its pods on the pool
 * @param volumeZones zones its pods are bound to by zonal persistent volumes
 * @param usesEmptyDir some pod on the pool has an emptyDir volume (its data goes with the pod)
 * @param updateStrategy Deployment: RollingUpdate or Recreate; StatefulSet: RollingUpdate or OnDelete
 * @param maxSurge Deployment rolling updates: maxSurge resolved to pods (null otherwise)
 * @param pdbs PodDisruptionBudgets selecting its pods
 * @param requiredAntiAffinityPerNode its pods refuse to share a node (required hostname anti-affinity)
 * @param unfinishedRollout StatefulSets: how its pods' revision differs from its template's when an
 *     update is staged or under way (null when every pod runs the current template)
 */
@JsonIgnoreProperties(ignoreUnknown = true)
public record Workload(
    WorkloadRef ref,
    int replicas,
    int podsOnPool,
    List<Integer> readyOrdinalsOnPool,
    long cpuMillisRequested,
    long memoryBytesRequested,
    List<String> volumeZones,
    boolean usesEmptyDir,
    String updateStrategy,
    Integer maxSurge,
    List<PdbInfo> pdbs,
    boolean requiredAntiAffinityPerNode,
    String unfinishedRollout) {}
