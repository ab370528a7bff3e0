package dev.evolve.sandbox.demo;

import dev.evolve.sandbox.SandboxStatus;
import dev.evolve.sandbox.kafka.KafkaReport;
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
    if (r.kafka() != null) {
      kafka(r.kafka(), out);
    }
    if (r.compensation() != null) {
      out.println("compensation     " + r.compensation());
    }
    // a pool Terraform provisioned: the change its configuration needs so that terraform plan shows no drift
    r.notes().stream().filter(n -> n.startsWith("Terraform: "))
        .forEach(n -> out.println("terraform        " + n.substring("Terraform: ".length())));
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

  /** Did the producers lose anything, and did any partition drop below min.insync.replicas. */
  static void kafka(KafkaReport k, PrintStream out) {
    out.printf("kafka            %d brokers of Kafka %s (KRaft, controllers %s), under load from before the cycle to after it%n",
        k.brokers(), k.kafkaVersion(), k.controllers());
    out.printf("  produced       %d to %s (%d partitions each, replication factor 3, min.insync.replicas %d)%n",
        k.produced(), String.join(", ", k.topics()), k.partitions(), k.minInsyncReplicas());
    out.printf("  acknowledged   %d (acks=all, idempotent producer); %d failed for good%n", k.acknowledged(), k.failed());
    out.printf("  consumed       %d distinct, %d duplicates%n", k.consumed(), k.duplicates());
    out.printf("  lost           %d (acknowledged, never read back)%s%n", k.lost(),
        k.lostExamples().isEmpty() ? "" : ": " + k.lostExamples());
    out.printf("  lowest ISR     %s%n", k.lowestIsr().entrySet().stream()
        .map(e -> e.getKey() + " " + e.getValue()).reduce((a, b) -> a + ", " + b).orElse("not sampled"));
    out.printf("  below min ISR  %s (ISRs read through the Admin API every 0.5 s: %d samples, %d unanswered, "
        + "longest gap %s)%n", seconds(Math.round(k.totalBelowMinIsrSeconds() * 1000)), k.samples(),
        k.unansweredSamples(), seconds(k.longestSampleGapMillis()));
    out.printf("  longest stall  %s (the slowest acknowledgement)%n", seconds(k.longestStallMillis()));
    if (!k.moves().isEmpty()) {
      long[] down = k.moves().stream().mapToLong(KafkaReport.BrokerMove::downMillis).sorted().toArray();
      long[] back = k.moves().stream().mapToLong(KafkaReport.BrokerMove::backInIsrMillis).sorted().toArray();
      out.printf("  broker moves   %d; per move, from SIGTERM: pod Ready again after %s (median) to %s, back in every "
          + "ISR after %s (median) to %s%n", k.moves().size(), seconds(down[down.length / 2]),
          seconds(down[down.length - 1]), seconds(back[back.length / 2]), seconds(back[back.length - 1]));
    }
  }

  static String seconds(long millis) {
    return String.format("%.1fs", millis / 1000.0);
  }
}
