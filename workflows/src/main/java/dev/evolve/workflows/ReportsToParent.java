package dev.evolve.workflows;

import dev.evolve.workflows.model.CycleReport;
import dev.evolve.workflows.model.CycleStatus;
import dev.evolve.workflows.model.Progress;
import io.temporal.failure.TemporalFailure;
import io.temporal.workflow.Async;
import io.temporal.workflow.ExternalWorkflowStub;
import io.temporal.workflow.Workflow;
import java.util.Objects;

/**
 * A cycle started by another workflow, a fleet, tells it whenever its status, phase or wait
 * changes, since a workflow cannot query another one. Not its steps: a rollout's every pod would
 * be a signal in both histories. A cycle started on its own (the CLI, a schedule) has no parent
 * and sends nothing, so its history is what it always was.
 */
final class ReportsToParent {

  private ReportsToParent() {}

  static void startIfChild(CycleProgress progress) {
    Workflow.getInfo().getParentWorkflowId().ifPresent(parent -> {
      String self = Workflow.getInfo().getWorkflowId();
      // detached: a cancelled cycle still reports its rollback. The lambda must not capture a stub:
      // Async would take it for a call on that stub and run it in this thread.
      Workflow.newDetachedCancellationScope(() -> Async.procedure(() -> report(parent, self, progress))).run();
    });
  }

  private static void report(String parentId, String self, CycleProgress progress) {
    ExternalWorkflowStub parent = Workflow.newUntypedExternalWorkflowStub(parentId);
    CycleReport sent = null;
    while (true) {
      CycleReport last = sent;
      Workflow.await(() -> !Objects.equals(of(self, progress.snapshot()), last));
      sent = of(self, progress.snapshot());
      try {
        parent.signal(CycleReport.SIGNAL, sent);
      } catch (TemporalFailure parentGone) {
        return;
      }
    }
  }

  private static CycleReport of(String self, Progress p) {
    boolean held = p.hold() != null || p.status() == CycleStatus.WAITING_FOR_APPROVAL
        || p.status() == CycleStatus.HELD_FOR_HUMAN;
    return new CycleReport(self, p.status(), p.phase(), p.pauseReason(), p.userPause() != null, held);
  }
}
