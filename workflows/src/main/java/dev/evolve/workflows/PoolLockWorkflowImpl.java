package dev.evolve.workflows;

import io.temporal.failure.TemporalFailure;
import io.temporal.workflow.Workflow;
import java.util.ArrayDeque;
import java.util.Deque;

public class PoolLockWorkflowImpl implements PoolLockWorkflow {

  private String holder;
  private boolean released;
  private final Deque<String> asking = new ArrayDeque<>();

  @Override
  public void hold(String holderWorkflowId) {
    holder = holderWorkflowId;
    while (true) {
      Workflow.await(() -> released || !asking.isEmpty());
      // answered from here, not from the signal handler, which must not block on a command
      while (!asking.isEmpty()) {
        String asker = asking.poll();
        try {
          Workflow.newUntypedExternalWorkflowStub(asker).signal(NodePoolUpgradeWorkflow.POOL_HELD_BY, holder);
        } catch (TemporalFailure gone) {
          // the asker ended before the answer came: nobody to tell
        }
      }
      if (released) {
        return;
      }
    }
  }

  @Override
  public void release() {
    released = true;
  }

  @Override
  public void whoHolds(String askingWorkflowId) {
    asking.add(askingWorkflowId);
  }

  @Override
  public String holder() {
    return holder;
  }
}
