package dev.evolve.workflows;

import dev.evolve.workflows.model.ApprovalInfo;
import dev.evolve.workflows.model.ControlAnswer;
import dev.evolve.workflows.model.CycleStatus;
import dev.evolve.workflows.model.HoldInfo;
import dev.evolve.workflows.model.MoveBatchControl;
import dev.evolve.workflows.model.MoveBatchReport;
import dev.evolve.workflows.model.PauseInfo;
import dev.evolve.workflows.model.ResumeRequest;
import io.temporal.workflow.Workflow;
import java.time.Instant;
import java.util.Map;
import java.util.Optional;
import java.util.function.IntSupplier;
import org.slf4j.Logger;

/**
 * Pause, resume and approval. Two different things make the cycle wait, and they are kept apart:
 *
 * <ul>
 *   <li>a <b>user's pause</b> (signal {@code pause}, update {@code pauseCycle}) takes effect only
 *       at a safe point (between workloads, between brokers, between phases), never in the middle
 *       of a move, and stands until a user releases it;
 *   <li>a <b>hold</b> the cycle takes itself (a PodDisruptionBudget that keeps refusing, a Kafka
 *       gate out of budget, a step that needs a human) stops where it is and asks again on resume.
 * </ul>
 *
 * A hold never overwrites the user's reason, and one resume releases one of them: the hold if
 * the cycle waits on one (the user's pause then stops the cycle at the next safe point), else the
 * pause. The updates can name which.
 *
 * <p>When a large cycle's moves run in a child workflow ({@link ChildBatches}), the cycle's control
 * {@linkplain #mirror mirrors} the batch's: the batch's hold is the cycle's (a resume releases it
 * there) and the user's pause is in effect once the batch reports that all its moves stand still.
 * The batch's own control {@linkplain #follow follows} what the cycle forwards.
 */
final class CycleControl {

  private static final Logger log = Workflow.getLogger(CycleControl.class);

  /**
   * Change id: cycles recorded before the pause and the holds were kept apart (one flag, cleared
   * by one resume) replay with a resume that releases both.
   */
  static final String SEPARATE_PAUSE_AND_HOLD = "separate-user-pause-and-holds";
  /** Change id: the approval is written to the memo (a history event) when the cycle goes on. */
  static final String RECORD_APPROVAL = "record-approval-in-memo";

  private final CycleProgress progress;
  private PauseInfo userPause;
  private HoldInfo hold;
  private ApprovalInfo approval;
  /** Decided at the first hold: whether this history was recorded with one flag for both. */
  private Boolean legacyOneFlag;
  private CycleStatus workingStatus = CycleStatus.RUNNING;
  /**
   * How many strands of the cycle must stand still before a user's pause is in effect: one when
   * workloads move one after the other, the moves in flight plus the one that starts them when
   * they move side by side. Until all of them stand still the status stays working, so PAUSED
   * always means that nothing moves.
   */
  private IntSupplier strands = () -> 1;
  /** Strands waiting at a safe point now. */
  private int standingStill;
  /** How many times a resume has released a hold: forwarded to a batch, whose hold it releases. */
  private int holdReleases;
  /** In a batch's child workflow: the cycle's hold releases applied so far. */
  private int holdReleasesApplied;
  /** A batch of moves runs in a child workflow now: status, hold and pause follow its reports. */
  private boolean mirroring;

  CycleControl(CycleProgress progress) {
    this.progress = progress;
  }

  // ---- asked for from outside ----

  /** Why a pause would be refused, for the update's validator. */
  Optional<String> pauseRefusal() {
    if (progress.hasEnded()) {
      return Optional.of("the cycle has ended (" + progress.status() + "): nothing to pause");
    }
    if (userPause != null) {
      return Optional.of("already paused" + by(userPause.requestedBy()) + ": " + userPause.reason());
    }
    return Optional.empty();
  }

  ControlAnswer requestPause(String reason, String by) {
    boolean inEffect = userPause != null && userPause.inEffect();
    userPause = new PauseInfo(reason == null || reason.isBlank() ? "paused by signal" : reason, by,
        Workflow.currentTimeMillis(), inEffect);
    if (inEffect) {
      progress.status(CycleStatus.PAUSED, userPause.reason());
    }
    publish();
    String when = hold != null ? "after the hold (" + hold.reason() + ") is released, at the next safe point"
        : "at the next safe point (never in the middle of a move)";
    return answer("pause requested" + by(by) + ": takes effect " + when);
  }

  Optional<String> resumeRefusal(ResumeRequest.Target target) {
    if (target == ResumeRequest.Target.HOLD && hold == null) {
      return Optional.of("the cycle is not held (status " + progress.status() + ")"
          + (userPause != null ? "; a user's pause stands: resume the pause instead" : ""));
    }
    if (target == ResumeRequest.Target.PAUSE && userPause == null) {
      return Optional.of("no user's pause stands"
          + (hold != null ? "; the cycle is held (" + hold.reason() + "): resume the hold instead" : ""));
    }
    if (target == null && hold == null && userPause == null) {
      return Optional.of("nothing to resume: the cycle is " + progress.status());
    }
    return Optional.empty();
  }

  /** Releases what {@code target} names, or what the cycle waits on now; see the class comment. */
  ControlAnswer resume(ResumeRequest.Target target, String by) {
    if (Boolean.TRUE.equals(legacyOneFlag)) {
      // as recorded before the change: one resume released everything
      if (hold != null) {
        holdReleases++;
      }
      hold = null;
      userPause = null;
      publish();
      showMirrored(null);
      return answer("resumed");
    }
    String released;
    if (target == ResumeRequest.Target.PAUSE || (target == null && hold == null && userPause != null)) {
      released = "released the pause" + by(userPause.requestedBy()) + " (" + userPause.reason() + ")";
      userPause = null;
    } else if (hold != null) {
      released = "released the hold (" + hold.kind() + ": " + hold.reason() + "); the cycle asks again";
      hold = null;
      holdReleases++;
    } else {
      return answer("nothing to resume");
    }
    log.info("{}{}", released, by(by));
    publish();
    showMirrored(null);
    String stands = userPause != null ? "; the pause" + by(userPause.requestedBy()) + " (" + userPause.reason()
        + ") still stands and takes effect at the next safe point: resume again to release it" : "";
    return answer(released + stands);
  }

  Optional<String> approvalRefusal(boolean approvalRequired) {
    if (progress.hasEnded()) {
      return Optional.of("the cycle has ended (" + progress.status() + "): nothing to approve");
    }
    if (!approvalRequired) {
      return Optional.of("this cycle was started without requireApproval: nothing waits for an approval");
    }
    if (approval != null) {
      return Optional.of("already approved by " + approval.approvedBy() + " at "
          + Instant.ofEpochMilli(approval.approvedAtMillis()));
    }
    return Optional.empty();
  }

  ControlAnswer approve(String by, String via) {
    if (approval == null) {
      approval = new ApprovalInfo(by == null || by.isBlank() ? "unknown" : by, Workflow.currentTimeMillis(), via);
      progress.approval(approval);
    }
    return answer("approved by " + approval.approvedBy() + " at " + Instant.ofEpochMilli(approval.approvedAtMillis()));
  }

  ApprovalInfo approval() {
    return approval;
  }

  // ---- taken by the cycle ----

  /** RUNNING normally, COMPENSATING once a rollback has started: what the status returns to. */
  void working(CycleStatus status) {
    workingStatus = status;
    progress.status(status, null);
  }

  CycleStatus workingStatus() {
    return workingStatus;
  }

  // ---- moves in a child workflow (ChildBatches) ----

  /** What a batch starting now, or running, is to know: the user's pause and the hold releases. */
  MoveBatchControl forBatch() {
    return new MoveBatchControl(userPause == null ? null : userPause.inEffect(false), holdReleases, false);
  }

  /** A batch runs in a child workflow from now until {@link #batchEnded}: its reports speak for it. */
  void batchStarted() {
    mirroring = true;
  }

  /** The batch's workflow has ended: its hold ended with it, and a standing pause waits for the next safe point. */
  void batchEnded() {
    mirroring = false;
    hold = null;
    if (userPause != null && userPause.inEffect()) {
      userPause = userPause.inEffect(false);
    }
    publish();
    progress.status(workingStatus, null);
  }

  /**
   * A batch's report: its hold becomes the cycle's, unless a resume has released a hold since the
   * batch wrote the report; the user's pause is in effect once the batch says so of this very
   * pause (a pause requested again meanwhile waits for the batch's next word).
   */
  void mirror(MoveBatchReport report) {
    if (!mirroring) {
      return;
    }
    if (report.holdReleasesApplied() >= holdReleases) {
      hold = report.hold();
    }
    if (userPause != null) {
      PauseInfo theirs = report.userPause();
      userPause = userPause.inEffect(theirs != null && theirs.inEffect()
          && theirs.requestedAtMillis() == userPause.requestedAtMillis());
    }
    publish();
    showMirrored(report.status() == workingStatus ? report.pauseReason() : null);
  }

  /** While mirroring, the cycle's status as the batch's state stands: PAUSED only once nothing moves. */
  private void showMirrored(String workingReason) {
    if (!mirroring) {
      return;
    }
    if (hold != null) {
      progress.status(hold.kind(), hold.reason());
    } else if (userPause != null && userPause.inEffect()) {
      progress.status(CycleStatus.PAUSED, userPause.reason());
    } else {
      progress.status(workingStatus, userPause != null ? workingReason : null);
    }
  }

  /**
   * In a batch's child workflow: takes what the cycle forwards as the state to be in. A hold is
   * released when the cycle has released one more than the batch has seen; the user's pause is the
   * cycle's, kept in effect if it already was.
   */
  void follow(MoveBatchControl forwarded) {
    if (forwarded.holdReleases() > holdReleasesApplied) {
      holdReleasesApplied = forwarded.holdReleases();
      if (hold != null) {
        log.info("the cycle released the hold ({}: {})", hold.kind(), hold.reason());
        hold = null;
      }
    }
    PauseInfo pause = forwarded.userPause();
    userPause = pause == null ? null : pause.inEffect(userPause != null && userPause.inEffect());
    publish();
  }

  int holdReleasesApplied() {
    return holdReleasesApplied;
  }

  PauseInfo userPause() {
    return userPause;
  }

  HoldInfo hold() {
    return hold;
  }

  /** Waits here while a user's pause stands. */
  void safePoint() {
    if (userPause == null) {
      return;
    }
    standingStill++;
    try {
      if (standingStill < strands.getAsInt() && hold == null) {
        progress.status(workingStatus, "pause requested: the moves in flight finish their current pod first");
      }
      Workflow.await(() -> userPause == null || standingStill >= strands.getAsInt());
      if (userPause != null) {
        userPause = userPause.inEffect(true);
        publish();
        if (hold == null) {
          progress.status(CycleStatus.PAUSED, userPause.reason());
        }
        Workflow.await(() -> userPause == null);
      }
    } finally {
      standingStill--;
    }
    if (hold == null) {
      progress.status(workingStatus, null);
    }
  }

  /**
   * Moves run side by side from now on: a pause is in effect once {@code count} strands stand
   * still (see {@link #strands}). {@link #oneStrand} returns to one after the other.
   */
  void strands(IntSupplier count) {
    strands = count;
  }

  void oneStrand() {
    strands = () -> 1;
  }

  /** A user's pause stands (in effect or not yet): whoever starts moves starts no new one. */
  boolean pauseRequested() {
    return userPause != null;
  }

  /** The cycle holds itself (one of its moves asks a human): no new move starts meanwhile. */
  boolean held() {
    return hold != null;
  }

  /**
   * The cycle holds itself, with a reason a human can act on, until someone resumes it. The cause
   * is the reason's kind, for the holds metric (the reason itself names workloads).
   */
  void holdFor(CycleStatus kind, HoldCause cause, String reason) {
    if (legacyOneFlag == null) {
      legacyOneFlag = Workflow.getVersion(SEPARATE_PAUSE_AND_HOLD, Workflow.DEFAULT_VERSION, 1)
          == Workflow.DEFAULT_VERSION;
    }
    hold = new HoldInfo(kind, reason, Workflow.currentTimeMillis());
    CycleMetrics.hold(kind, cause);
    publish();
    progress.status(kind, reason);
    // a held move is not at a safe point: a user's pause takes effect after the hold, as promised
    Workflow.await(() -> hold == null);
    progress.status(workingStatus, null);
  }

  void awaitApproval() {
    if (approval == null) {
      progress.status(CycleStatus.WAITING_FOR_APPROVAL, "waiting for approval (approve) before upgrading the pool");
      Workflow.await(() -> approval != null);
      progress.status(workingStatus, null);
    }
    log.info("upgrade approved by {} at {} (via {})", approval.approvedBy(),
        Instant.ofEpochMilli(approval.approvedAtMillis()), approval.via());
    if (Workflow.getVersion(RECORD_APPROVAL, Workflow.DEFAULT_VERSION, 1) == 1) {
      // the memo change is an event of its own: the history shows who approved, not only a signal
      Workflow.upsertMemo(Map.of("approvedBy", approval.approvedBy(),
          "approvedAt", Instant.ofEpochMilli(approval.approvedAtMillis()).toString()));
    }
  }

  private void publish() {
    progress.control(userPause, hold);
  }

  private ControlAnswer answer(String message) {
    return new ControlAnswer(message, progress.status(), userPause, hold, approval);
  }

  private static String by(String who) {
    return who == null || who.isBlank() ? "" : " by " + who;
  }
}
