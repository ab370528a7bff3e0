package dev.evolve.starter;

import picocli.CommandLine;
import picocli.CommandLine.Command;

/**
 * {@code ./evolve}: start and steer node pool upgrade cycles on Temporal. The worker is started by
 * the same launcher ({@code ./evolve worker}).
 */
@Command(name = "evolve", mixinStandardHelpOptions = true, version = "evolve 0.1.0",
    description = "Upgrade a GKE node pool without disruption: move its workloads to a temporary pool, "
        + "upgrade it empty, move them back. Runs as a durable Temporal workflow.",
    footer = {"", "Also: ./evolve worker (see README.md)",
        "Exit codes: 0 done, 1 the cycle failed or is blocked, 2 bad input, 3 Temporal unreachable or cycle not found."},
    subcommands = {
      StartCommand.class, PlanCommand.class, StatusCommand.class, SignalCommands.Pause.class,
      SignalCommands.Resume.class, SignalCommands.Approve.class, SignalCommands.Cancel.class,
      ScheduleCommands.class, FleetCommands.class
    })
public final class EvolveCli {

  public static void main(String[] args) {
    System.exit(run(args));
  }

  public static int run(String... args) {
    CommandLine cli = new CommandLine(new EvolveCli());
    cli.setExecutionExceptionHandler(new CliErrors());
    return cli.execute(args);
  }
}
