package dev.evolve.sandbox.demo;

import dev.evolve.sandbox.SandboxStatus;
import java.io.PrintStream;
import java.util.Map;

/** The summary the demo prints at the end, from its report. */
public final class Summary {

  private Summary() {}

  public static void print(DemoReport r, PrintStream out) {
    out.println();
    out.println("== summary ==");
    out.printf("cycle            %s of %s/%s from %s to %s, on the %s%n", r.status(), r.cluster(), r.pool(),
        r.fromVersion(), r.targetVersion(), r.temporal());
    if (r.failure() != null) {
      out.println("workflow failure " + r.failure());
    }
    if (r.injected() != null) {
      out.printf("injected         %s: %s (%s)%n", r.injected().phase(), r.injected().what(),
          r.injected().hit() ? "the cycle met it" : "NOT met: the cycle never got there");
    }
    out.printf("duration         %s in all%n", seconds(r.totalMillis()));
    for (DemoReport.PhaseTime phase : r.phases()) {
      out.printf("  %-17s %7s  %s%n", phase.phase(), seconds(phase.millis()),
          phase.total() == 0 ? "" : phase.done() + "/" + phase.total() + " done");
    }
    out.printf("pods moved       %s; %d workload pod starts seen, %d of them Kafka brokers%n",
        r.podsMoved() < 0 ? "no count from the workflow (it did not finish)" : r.podsMoved() + " by the workflow's count",
        r.podStarts(),
        r.brokersRotated());
    if (r.originalNodes() == 0) {
      out.printf("temporary pool   %s: none planned (the cycle stopped before its plan); at the end: %s%n",
          r.tempPool(), r.tempPoolOutcome());
    } else {
      out.printf("temporary pool   %s: %d nodes planned, %d at most, against %d in %s; at the end: %s%n",
          r.tempPool(), r.plannedTempNodes(), r.peakTempNodes(), r.originalNodes(), r.pool(), r.tempPoolOutcome());
    }
    out.printf("disruptions      %d (moments a workload had fewer Ready pods than its PodDisruptionBudget requires)%n",
        r.disruptions().size());
    r.disruptions().forEach(d -> out.println("  " + d));
    out.printf("pods lost        %d with a deleted or replaced node%s%n", r.podsLostWithNodes().size(),
        r.podsLostWithNodes().isEmpty() ? "" : ": " + r.podsLostWithNodes());
    out.println("final pools");
    for (Map.Entry<String, SandboxStatus.PoolStatus> pool : r.pools().entrySet()) {
      SandboxStatus.PoolStatus p = pool.getValue();
      out.printf("  %-22s %s, %s, %d nodes, %d workload pods%n", pool.getKey(), p.version(), p.status(), p.nodes(),
          r.podsPerPool().getOrDefault(pool.getKey(), 0));
    }
    if (r.podsNotReady() > 0) {
      out.println("  NOT READY        " + r.podsNotReady() + " workload pods pending or not Ready");
    }
    if (r.compensation() != null) {
      out.println("compensation     " + r.compensation());
    }
    if (r.pause() != null) {
      DemoReport.PauseCheck p = r.pause();
      if (p.phase() == null) {
        out.println("pause            never took hold: the cycle had no safe point left");
      } else {
        out.printf("pause            held in %s for %s (%s): %d pod starts, phase %s, pods per pool %s%n",
            p.phase(), seconds(p.heldMillis()), p.resumedByEnter() ? "Enter resumed it" : "resumed by itself",
            p.podStartsWhilePaused(), p.phaseUnchanged() ? "unchanged" : "CHANGED",
            p.podsPerPoolUnchanged() ? "unchanged" : "CHANGED");
      }
    }
    out.printf("verdict          %s, cluster %s -> exit %d%n",
        r.asIntended() ? "went as intended" : "did NOT go as intended",
        r.clusterSafe() ? "left safe" : "NOT left safe", r.exitCode());
  }

  static String seconds(long millis) {
    return String.format("%.1fs", millis / 1000.0);
  }
}
