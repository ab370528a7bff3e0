package dev.evolve.workflows;

import dev.evolve.workflows.fleet.FleetUpgradeWorkflowImpl;

/**
 * Every workflow implementation a worker of the cycle registers: the cycle, its pool's lock and
 * the batches of moves a large cycle runs as child workflows, and the fleet that runs cycles in waves. One list, so that the worker, the
 * sandbox and the tests cannot drift apart (a cycle whose child type is not registered waits for
 * a worker that never comes).
 */
public final class CycleWorkflows {

  private CycleWorkflows() {}

  /** A fresh array each time: registerWorkflowImplementationTypes takes varargs. */
  public static Class<?>[] implementations() {
    return new Class<?>[] {NodePoolUpgradeWorkflowImpl.class, PoolLockWorkflowImpl.class, MoveBatchWorkflowImpl.class,
        FleetUpgradeWorkflowImpl.class};
  }
}
