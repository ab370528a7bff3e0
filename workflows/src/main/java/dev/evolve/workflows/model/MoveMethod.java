package dev.evolve.workflows.model;

/** How a workload's pods get from one pool to the other. */
public enum MoveMethod {
  /** Change the pod template's node affinity; the rollout starts new pods before stopping old ones. */
  DEPLOYMENT_ROLLOUT,
  /** One pod at a time: pin the template to the pool, evict the pod, wait for its successor Ready. */
  STATEFULSET_POD_BY_POD,
  /** Like STATEFULSET_POD_BY_POD, with Kafka health gates before and after every broker. */
  KAFKA_BROKERS,
  /** Evict through the Eviction API (PDBs honoured); the owner recreates the pods elsewhere. */
  EVICTION
}
