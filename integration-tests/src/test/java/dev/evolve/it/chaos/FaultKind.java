package dev.evolve.it.chaos;

/**
 * What the chaos soak can break, by the part it breaks. The weight is how often it is drawn
 * relative to the others (see {@link FaultPlan}).
 */
enum FaultKind {
  GKE_UNAVAILABLE(Part.GKE, 6),
  GKE_DEADLINE_EXCEEDED(Part.GKE, 5),
  GKE_RATE_LIMITED(Part.GKE, 5),
  GKE_OPERATION_FAILS_HALF_WAY(Part.GKE, 4),
  GKE_OPERATION_STUCK(Part.GKE, 4),
  GKE_OTHER_CALLERS_OPERATION(Part.GKE, 4),
  APISERVER_RESTARTED(Part.KUBERNETES, 6),
  CONTROLLER_MANAGER_PAUSED(Part.KUBERNETES, 6),
  NODE_NOT_READY(Part.KUBERNETES, 5),
  BUDGET_TIGHTENED(Part.KUBERNETES, 6),
  WORKER_KILLED(Part.TEMPORAL, 10),
  TEMPORAL_SERVER_RESTARTED(Part.TEMPORAL, 4),
  OPERATOR_PAUSE(Part.OPERATOR, 6),
  OPERATOR_CANCEL(Part.OPERATOR, 2),
  /** Only in cycles started with requireApproval: added by the plan, not drawn by weight. */
  OPERATOR_APPROVE(Part.OPERATOR, 0);

  enum Part { GKE, KUBERNETES, TEMPORAL, OPERATOR }

  final Part part;
  final int weight;

  FaultKind(Part part, int weight) {
    this.part = part;
    this.weight = weight;
  }
}
