package dev.evolve.workflows.model;

/** What becomes of the temporary pool once the workloads are back on the upgraded pool. */
public enum TempPoolPolicy {
  /** Delete it: nothing is paid for between cycles. */
  DELETE,
  /** Keep the pool at zero nodes: the next cycle adopts it and only has to scale it up. */
  SCALE_TO_ZERO,
  /** Keep it as it is (cordoned), e.g. as standby capacity for the next cycle. */
  KEEP
}
