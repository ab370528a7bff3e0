package dev.evolve.starter;

import dev.evolve.workflows.model.ApprovalInfo;
import dev.evolve.workflows.model.Blocker;
import dev.evolve.workflows.model.ControlAnswer;
import dev.evolve.workflows.model.HoldInfo;
import dev.evolve.workflows.model.PauseInfo;
import dev.evolve.workflows.model.Phase;
import dev.evolve.workflows.model.PhaseProgress;
import dev.evolve.workflows.model.PlannedMove;
import dev.evolve.workflows.model.Progress;
import dev.evolve.workflows.model.UpgradePlan;
import dev.evolve.workflows.model.UpgradeResult;
import java.time.Instant;
import java.util.Locale;
import java.util.Map;

/** Plans, progress and results as a human reads them in a terminal. */
public final class Printer {

  private Printer() {}

  public static String plan(UpgradePlan plan) {
    StringBuilder out = new StringBuilder();
    out.append("Plan for pool ").append(plan.pool()).append(": ").append(plan.currentVersion()).append(" -> ")
        .append(plan.targetVersion()).append(" (control plane ").append(plan.controlPlaneVersion()).append(")\n");
    if (plan.tempPool() != null) {
      out.append("  temporary pool ").append(plan.tempPool().name()).append(", ").append(plan.tempPool().machineType())
          .append(": ").append(plan.sizing()).append('\n');
    }
    out.append("  moves (").append(plan.moves().size()).append(" workloads, ").append(plan.podsToMove())
        .append(" pods), in this order:\n");
    for (PlannedMove move : plan.moves()) {
      out.append("    ").append(String.format(Locale.ROOT, "%-45s %-22s %d pod(s)", move.workload(), move.method(),
          move.pods()));
      if (!move.ordinals().isEmpty()) {
        out.append(" ordinals ").append(move.ordinals());
      }
      out.append('\n');
    }
    if (plan.isBlocked()) {
      out.append("  BLOCKED: nothing will change until these are fixed:\n");
      for (Blocker b : plan.blockers()) {
        out.append("    - ").append(b.code()).append(" ").append(b.subject()).append(": ").append(b.message())
            .append("\n      fix: ").append(b.fix()).append('\n');
      }
    } else {
      out.append("  no blockers\n");
    }
    plan.notes().forEach(n -> out.append("  note: ").append(n).append('\n'));
    return out.toString();
  }

  public static String progress(Progress p, long nowMillis) {
    StringBuilder out = new StringBuilder();
    out.append(p.status()).append("  phase ").append(p.phase()).append(": ").append(p.step());
    if (p.waitingUntilMillis() != null) {
      out.append(" (").append(Math.max(0, (p.waitingUntilMillis() - nowMillis) / 1000)).append(" s left)");
    }
    out.append('\n');
    if (p.hold() != null) {
      out.append("  ").append(hold(p.hold())).append('\n');
    }
    if (p.userPause() != null) {
      out.append("  ").append(pause(p.userPause())).append('\n');
    }
    if (p.hold() == null && p.userPause() == null && p.pauseReason() != null) {
      // a cycle that predates the split, or a wait for approval
      out.append("  waiting: ").append(p.pauseReason()).append('\n');
    }
    if (p.approval() != null) {
      out.append("  ").append(approval(p.approval())).append('\n');
    }
    out.append(phases(p.phases()));
    if (p.brokersRotated() > 0) {
      out.append("  Kafka brokers rotated in this phase: ").append(p.brokersRotated()).append('\n');
    }
    if (p.lastError() != null) {
      out.append("  last error: ").append(p.lastError()).append('\n');
    }
    return out.toString();
  }

  public static String result(UpgradeResult r) {
    StringBuilder out = new StringBuilder("cycle " + r.status() + ": pool " + (r.plan() == null ? "?" : r.plan().pool())
        + " on " + r.poolVersion() + ", temporary pool " + r.tempPool() + ", " + r.podsMoved() + " pod moves\n");
    out.append(phases(r.phases()));
    if (r.approval() != null) {
      out.append("  ").append(approval(r.approval())).append('\n');
    }
    if (r.notes() != null) {
      r.notes().forEach(n -> out.append("  note: ").append(n).append('\n'));
    }
    return out.toString();
  }

  /** What a pauseCycle, resumeCycle or approveCycle update did, and what still holds the cycle. */
  public static String answer(ControlAnswer a) {
    StringBuilder out = new StringBuilder(a.message()).append(" (status ").append(a.status()).append(')');
    if (a.hold() != null) {
      out.append("\n  ").append(hold(a.hold()));
    }
    if (a.userPause() != null) {
      out.append("\n  ").append(pause(a.userPause()));
    }
    return out.toString();
  }

  static String hold(HoldInfo h) {
    return "held by the cycle (" + h.kind() + ") since " + Instant.ofEpochMilli(h.sinceMillis()) + ": " + h.reason()
        + "  [resume --hold asks again]";
  }

  static String pause(PauseInfo p) {
    return "paused" + (p.requestedBy() == null ? "" : " by " + p.requestedBy()) + " since "
        + Instant.ofEpochMilli(p.requestedAtMillis()) + ": " + p.reason()
        + (p.inEffect() ? "" : " (takes effect at the next safe point)") + "  [resume --pause releases it]";
  }

  static String approval(ApprovalInfo a) {
    return "approved by " + a.approvedBy() + " at " + Instant.ofEpochMilli(a.approvedAtMillis()) + " (" + a.via() + ")";
  }

  static String phases(Map<Phase, PhaseProgress> phases) {
    StringBuilder out = new StringBuilder();
    phases.forEach((phase, pp) -> {
      if (phase == Phase.DONE) {
        return;
      }
      Long millis = pp.durationMillis();
      out.append(String.format(Locale.ROOT, "  %-17s %3d/%-3d %s%n", phase, pp.done(), pp.total(),
          millis == null ? "running" : String.format(Locale.ROOT, "%.1f s", millis / 1000.0)));
    });
    return out.toString();
  }
}
