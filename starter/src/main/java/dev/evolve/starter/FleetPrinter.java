package dev.evolve.starter;

import dev.evolve.workflows.fleet.FleetPoolProgress;
import dev.evolve.workflows.fleet.FleetProgress;
import java.time.Duration;
import java.time.Instant;

/** A fleet's progress as people read it: the fleet's line, then a row per pool in wave order. */
final class FleetPrinter {

  private FleetPrinter() {}

  static String progress(FleetProgress p, long nowMillis) {
    StringBuilder out = new StringBuilder();
    out.append("fleet ").append(p.status()).append(", wave ").append(p.wave()).append(" of ").append(p.waves());
    if (p.soakUntilMillis() != null) {
      out.append(", soaking until ").append(Instant.ofEpochMilli(p.soakUntilMillis())).append(" (")
          .append(ScheduleCommands.compact(Duration.ofMillis(Math.max(0, p.soakUntilMillis() - nowMillis))))
          .append(" left)");
    }
    out.append('\n');
    if (p.pauseReason() != null) {
      out.append("paused: ").append(p.pauseReason()).append('\n');
    }
    if (p.stoppedBecause() != null) {
      out.append("stopped: ").append(p.stoppedBecause()).append('\n');
    }
    out.append(String.format("%-5s %-48s %-22s %-17s %s%n", "WAVE", "POOL", "STATUS", "PHASE", "DETAIL"));
    for (FleetPoolProgress pool : p.pools()) {
      String detail = pool.outcome() != null ? pool.outcome()
          : pool.waitingOn() != null ? "waiting: " + pool.waitingOn()
          : pool.workflowId() != null && pool.startedAtMillis() != null ? "./evolve status " + pool.workflowId() : "";
      out.append(String.format("%-5s %-48s %-22s %-17s %s%n", pool.wave(), pool.pool(), pool.status(),
          pool.phase() == null ? "-" : pool.phase(), detail));
    }
    return out.toString().stripTrailing();
  }
}
