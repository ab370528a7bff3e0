package dev.evolve.workflows;

import io.temporal.workflow.QueryMethod;
import io.temporal.workflow.SignalMethod;
import io.temporal.workflow.WorkflowInterface;
import io.temporal.workflow.WorkflowMethod;

/**
 * A running cycle's hold on one node pool. Its workflow id is derived from the pool
 * ({@link dev.evolve.workflows.model.PoolKey#lockId}), and Temporal runs at most one workflow per
 * id: whichever way a cycle was started and whatever its own id, a second cycle on the same pool
 * cannot start this child while the first one holds it. The cycle starts it as a child with
 * parent-close policy TERMINATE, so a cycle that ends in any way (even terminated) lets go.
 */
@WorkflowInterface
public interface PoolLockWorkflow {

  String TYPE = "EvolvePoolLock";

  /** Holds the pool for the cycle with this workflow id until {@link #release}. */
  @WorkflowMethod(name = TYPE)
  void hold(String holderWorkflowId);

  @SignalMethod(name = "release", description = "Internal: the holding cycle releases the pool. Not for users.")
  void release();

  /**
   * A refused cycle asks who holds the pool; the answer comes back as its {@code poolHeldBy}
   * signal (a workflow cannot query another one).
   */
  @SignalMethod(name = "whoHolds", description = "Internal: a refused cycle asks who holds the pool. Not for users.")
  void whoHolds(String askingWorkflowId);

  @QueryMethod(name = "holder", description = "The workflow id of the cycle that holds the pool.")
  String holder();
}
