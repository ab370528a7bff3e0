package dev.evolve.it.chaos;

import java.nio.file.Path;
import java.time.Duration;
import java.util.concurrent.atomic.AtomicReference;

/**
 * {@code scripts/chaos.sh}: the chaos soak from the command line.
 *
 * <pre>
 * --seed N          the seed (default: drawn and printed)
 * --cycles N        how many cycles (default 50)
 * --first-cycle N   start at cycle N of the seed: replays that cycle's plan (default 0)
 * --scenario FILE   the sandbox's cluster (default integration-tests/src/test/resources/chaos-scenario.yaml)
 * --faults MIN-MAX  faults drawn per cycle (default 5-7)
 * --minutes N       start no cycle after N minutes (default: no limit)
 * </pre>
 * Exit code 0 when no invariant broke, 1 at the first breach, 2 bad options.
 */
public final class ChaosMain {

  private ChaosMain() {}

  public static void main(String[] args) {
    long seed = System.nanoTime() % 1_000_000_000L;
    int cycles = 50;
    int first = 0;
    int min = 5;
    int max = 7;
    Duration budget = null;
    Path scenario = ChaosSoak.CHAOS_SCENARIO;
    try {
      for (int i = 0; i < args.length; i++) {
        switch (args[i]) {
          case "--seed" -> seed = Long.parseLong(args[++i]);
          case "--cycles" -> cycles = Integer.parseInt(args[++i]);
          case "--first-cycle" -> first = Integer.parseInt(args[++i]);
          case "--minutes" -> budget = Duration.ofMinutes(Long.parseLong(args[++i]));
          case "--scenario" -> scenario = Path.of(args[++i]).toAbsolutePath();
          case "--faults" -> {
            String[] range = args[++i].split("-");
            min = Integer.parseInt(range[0]);
            max = Integer.parseInt(range[range.length - 1]);
          }
          default -> throw new IllegalArgumentException("unknown option " + args[i]);
        }
      }
      if (cycles < 1 || min < 0 || max < min) {
        throw new IllegalArgumentException("need --cycles >= 1 and 0 <= MIN <= MAX");
      }
    } catch (RuntimeException e) {
      System.err.println("chaos: " + e.getMessage());
      System.err.println("usage: scripts/chaos.sh [--seed N] [--cycles N] [--first-cycle N] [--scenario FILE] [--faults MIN-MAX] [--minutes N]");
      System.exit(2);
    }
    System.out.printf("chaos soak: seed %d, cycles %d to %d, %d-%d faults a cycle, scenario %s%n", seed, first,
        first + cycles - 1, min, max, scenario);
    System.out.printf("replay with: scripts/chaos.sh --seed %d --cycles %d%s%n", seed, cycles,
        first == 0 ? "" : " --first-cycle " + first);
    ChaosSoak.Settings settings = new ChaosSoak.Settings(seed, first, cycles, scenario, min, max, Duration.ofMinutes(6),
        budget);
    AtomicReference<ChaosSoak> running = new AtomicReference<>();
    // Ctrl-C: clear the faults in force before the processes' own hooks stop them
    Thread onInterrupt = new Thread(() -> {
      ChaosSoak soak = running.get();
      if (soak != null) {
        soak.close();
      }
    }, "chaos-soak-stop");
    Runtime.getRuntime().addShutdownHook(onInterrupt);
    SoakReport report;
    try (ChaosSoak soak = ChaosSoak.start(settings)) {
      running.set(soak);
      report = soak.run(c -> {
        System.out.println(SoakReport.line(c));
        System.out.flush();
      });
      running.set(null);
    }
    Runtime.getRuntime().removeShutdownHook(onInterrupt);
    System.out.println();
    System.out.print(report.table());
    System.exit(report.breaches().isEmpty() ? 0 : 1);
  }
}
