package dev.evolve.workflows.model;

/** How a workload's pods get from one pool to the other. */
public enum MoveMethod {
  /**
   * Change the pod template's node affinity and roll out with the Deployment's own maxSurge and
   * maxUnavailable 0 (both put back afterwards): new pods start before old ones stop.
   */
  DEPLOYMENT_ROLLOUT,
  /** One pod at a time: pin the template to the pool, evict the pod, wait for its successor Ready. */
  STATEFULSET_POD_BY_POD,
  /** Like STATEFULSET_POD_BY_POD, with Kafka health gates before and after every broker. */
  KAFKA_BROKERS,
  /**
   * Evict through the Eviction API (PDBs honoured); the owner recreates the pods elsewhere. Also
   * for Deployments that may not surge (maxSurge 0) under a budget: their rollout would stop pods
   * without asking the budget.
   */
  EVICTION
}
