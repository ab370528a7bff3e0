package dev.evolve.it.chaos;

import java.time.Duration;
import java.util.ArrayList;
import java.util.EnumMap;
import java.util.List;
import java.util.Map;
import java.util.TreeMap;

/** The soak's figures: cycles, faults by kind, outcomes, breaches, time per cycle; and the table it prints. */
final class SoakReport {

  private final long seed;
  private final List<CycleRecord> cycles = new ArrayList<>();

  SoakReport(long seed) {
    this.seed = seed;
  }

  void add(CycleRecord record) {
    cycles.add(record);
  }

  List<CycleRecord> cycles() {
    return List.copyOf(cycles);
  }

  int faultsInjected() {
    return cycles.stream().mapToInt(c -> c.injected().size()).sum();
  }

  List<String> breaches() {
    return cycles.stream().flatMap(c -> c.breaches().stream().map(b -> "cycle " + c.cycle() + ": " + b)).toList();
  }

  String table() {
    Map<FaultKind, int[]> byKind = new EnumMap<>(FaultKind.class);
    for (FaultKind k : FaultKind.values()) {
      byKind.put(k, new int[2]);
    }
    Map<String, Integer> outcomes = new TreeMap<>();
    for (CycleRecord c : cycles) {
      c.injected().forEach(i -> byKind.get(i.fault().kind())[0]++);
      c.plan().faults().forEach(f -> byKind.get(f.kind())[1]++);
      outcomes.merge(c.execution() + "/" + c.status(), 1, Integer::sum);
    }
    List<Duration> times = cycles.stream().map(CycleRecord::took).sorted().toList();
    StringBuilder out = new StringBuilder();
    out.append("== chaos soak, seed ").append(seed).append(" ==\n");
    out.append(String.format("%-32s %s%n", "cycles run", cycles.size()));
    out.append(String.format("%-32s %d injected of %d planned (the rest: moment never came, or nothing to hit)%n",
        "faults", faultsInjected(), cycles.stream().mapToInt(c -> c.plan().faults().size()).sum()));
    for (Map.Entry<FaultKind, int[]> e : byKind.entrySet()) {
      out.append(String.format("  %-30s %4d injected  %4d planned%n", e.getKey(), e.getValue()[0], e.getValue()[1]));
    }
    out.append(String.format("%-32s %s%n", "outcomes", outcomes));
    out.append(String.format("%-32s %d%n", "holds/pauses resumed by the soak",
        cycles.stream().mapToInt(CycleRecord::resumesSent).sum()));
    out.append(String.format("%-32s %d%n", "invariant breaches", breaches().size()));
    breaches().forEach(b -> out.append("  ").append(b).append('\n'));
    if (!times.isEmpty()) {
      out.append(String.format("%-32s median %.1f s, max %.1f s%n", "time per cycle",
          times.get(times.size() / 2).toMillis() / 1000.0, times.get(times.size() - 1).toMillis() / 1000.0));
    }
    if (!breaches().isEmpty()) {
      CycleRecord first = cycles.stream().filter(c -> !c.breaches().isEmpty()).findFirst().orElseThrow();
      out.append("replay: scripts/chaos.sh --seed ").append(seed).append(" --first-cycle ").append(first.cycle())
          .append(" --cycles 1\n");
    }
    return out.toString();
  }

  /** One line per cycle, as the soak goes. */
  static String line(CycleRecord c) {
    return String.format("cycle %3d %-9s %-22s %5.1f s  %d faults: %s%s", c.cycle(), c.execution(), c.status(),
        c.took().toMillis() / 1000.0, c.injected().size(),
        c.injected().stream().map(i -> i.fault().kind().name()).toList(),
        c.breaches().isEmpty() ? "" : "  BREACH: " + c.breaches());
  }
}
