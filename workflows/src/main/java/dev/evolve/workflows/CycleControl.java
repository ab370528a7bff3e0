package dev.evolve.workflows;

import dev.evolve.workflows.model.CycleStatus;
import io.temporal.workflow.Workflow;

/**
 * Pause, resume and approval. A pause asked for by signal only takes effect at a safe point
 * (between workloads, between brokers, between phases), never in the middle of a move; a hold
 * taken by the cycle itself (a health gate out of budget, an unhealthy pool during rollback) waits
 * for the same {@code resume}.
 */
final class CycleControl {

  private final CycleProgress progress;
  private boolean pauseRequested;
  private String pauseReason;
  private boolean approved;
  private CycleStatus workingStatus = CycleStatus.RUNNING;

  CycleControl(CycleProgress progress) {
    this.progress = progress;
  }

  void requestPause(String reason) {
    pauseRequested = true;
    pauseReason = reason == null || reason.isBlank() ? "paused by signal" : reason;
  }

  void resume() {
    pauseRequested = false;
  }

  void approve() {
    approved = true;
  }

  /** RUNNING normally, COMPENSATING once a rollback has started: what the status returns to. */
  void working(CycleStatus status) {
    workingStatus = status;
    progress.status(status, null);
  }

  /** Waits here while a pause is requested. */
  void safePoint() {
    if (pauseRequested) {
      waitForResume(CycleStatus.PAUSED, pauseReason);
    }
  }

  /** The cycle pauses itself, with a reason a human can act on, until someone resumes it. */
  void holdFor(CycleStatus status, String reason) {
    pauseRequested = true;
    pauseReason = reason;
    waitForResume(status, reason);
  }

  void awaitApproval() {
    if (!approved) {
      progress.status(CycleStatus.WAITING_FOR_APPROVAL, "waiting for the approve signal before upgrading the pool");
      Workflow.await(() -> approved);
      progress.status(workingStatus, null);
    }
  }

  private void waitForResume(CycleStatus status, String reason) {
    progress.status(status, reason);
    Workflow.await(() -> !pauseRequested);
    progress.status(workingStatus, null);
  }
}
