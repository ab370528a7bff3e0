package dev.evolve.sandbox.demo;

import dev.evolve.sandbox.Scenario;
import dev.evolve.workflows.model.Phase;
import dev.evolve.workflows.model.TempPoolPolicy;
import java.nio.file.Files;
import java.nio.file.Path;
import java.time.Duration;
import java.util.List;
import java.util.concurrent.Callable;
import picocli.CommandLine;
import picocli.CommandLine.Command;
import picocli.CommandLine.Model.CommandSpec;
import picocli.CommandLine.Option;
import picocli.CommandLine.ParameterException;
import picocli.CommandLine.Spec;

/** {@code ./evolve demo}: the command line around {@link Demo}. */
@Command(name = "evolve demo", mixinStandardHelpOptions = true, sortOptions = false,
    description = "Runs one evolutionary backup cycle of a node pool on a local stand-in for a GKE cluster: "
        + "the fake GKE, a real Kubernetes control plane whose nodes are kwok's, Temporal's test server (or a "
        + "real one), and the same "
        + "workflow, worker and activities that upgrade a real cluster. Prints live progress, then a summary.",
    exitCodeListHeading = "%nExit codes:%n",
    exitCodeList = {
        "0:the cycle went as intended (succeeded; or with --fail-at, met the failure and rolled back)"
            + " and left the cluster safe: 0 disruptions, no pod lost, no temporary pool leaked",
        "1:anything else (the summary says what)",
        "2:bad options"})
public final class DemoMain implements Callable<Integer> {

  @Spec
  CommandSpec spec;

  @Option(names = "--pause-at", paramLabel = "PHASE",
      description = "pause the cycle in PHASE (MIGRATE or RESTORE) with the workflow's pause signal, show that "
          + "nothing moves, then resume after --pause-seconds or on Enter")
  String pauseAt;

  @Option(names = "--pause-seconds", defaultValue = "5", paramLabel = "N",
      description = "how long a pause lasts (default: ${DEFAULT-VALUE})")
  int pauseSeconds;

  @Option(names = "--fail-at", paramLabel = "PHASE",
      description = "inject a failure in PHASE (PREPARE, CREATE_TEMP_POOL, MIGRATE, UPGRADE_ORIGINAL, RESTORE, "
          + "DECOMMISSION) and show the rollback leaving the cluster safe")
  String failAt;

  @Option(names = "--scenario", paramLabel = "FILE",
      description = "cluster description, JSON or YAML (format: sandbox/README.md); default: the built-in one")
  Path scenarioFile;

  @Option(names = "--temp-pool-policy", defaultValue = "DELETE", paramLabel = "POLICY",
      description = "what becomes of the temporary pool: DELETE, SCALE_TO_ZERO or KEEP (default: ${DEFAULT-VALUE})")
  String policy;

  @Option(names = "--address", paramLabel = "HOST:PORT",
      description = "a Temporal server to run on (default: $TEMPORAL_ADDRESS, else the in-process test server)")
  String address;

  @Option(names = "--namespace", paramLabel = "NS",
      description = "Temporal namespace on that server (default: $TEMPORAL_NAMESPACE, else default)")
  String namespace;

  @Option(names = "--fast", description = "test pace: the whole cycle in seconds")
  boolean fast;

  @Option(names = "--log", defaultValue = "evolve-demo.log", paramLabel = "FILE",
      description = "where the detailed log goes (default: ${DEFAULT-VALUE})")
  Path logFile;

  public static void main(String[] args) {
    System.exit(new CommandLine(new DemoMain()).execute(args));
  }

  @Override
  public Integer call() {
    DemoOptions options = options();
    DemoLogging.toFile(logFile);
    DemoReport report = Demo.run(options, System.out);
    Summary.print(report, System.out);
    System.out.println("detailed log: " + logFile.toAbsolutePath());
    return report.exitCode();
  }

  /** The options as a {@link DemoOptions}; a bad one is a ParameterException: message, usage, exit 2. */
  DemoOptions options() {
    DemoOptions options = (fast ? DemoOptions.fast() : DemoOptions.demo())
        .withPolicy(choice("--temp-pool-policy", policy, List.of(TempPoolPolicy.values()), TempPoolPolicy.class))
        .withTemporal(firstOf(address, System.getenv("TEMPORAL_ADDRESS")),
            firstOf(namespace, System.getenv("TEMPORAL_NAMESPACE"), "default"))
        .withEnter(System.in);
    if (scenarioFile != null) {
      if (!Files.isReadable(scenarioFile)) {
        throw new ParameterException(spec.commandLine(), "--scenario: cannot read " + scenarioFile
            + " (give a JSON or YAML file as described in sandbox/README.md)");
      }
      try {
        options = options.withScenario(Scenario.load(scenarioFile));
      } catch (RuntimeException e) {
        throw new ParameterException(spec.commandLine(), "--scenario: " + e.getMessage());
      }
    }
    if (pauseSeconds < 1) {
      throw new ParameterException(spec.commandLine(), "--pause-seconds must be at least 1, was " + pauseSeconds);
    }
    Phase pause = pauseAt == null ? null : choice("--pause-at", pauseAt, DemoOptions.PAUSABLE, Phase.class);
    Phase fail = failAt == null ? null : choice("--fail-at", failAt, DemoOptions.FAILABLE, Phase.class);
    return options.pausingAt(pause, Duration.ofSeconds(pauseSeconds)).failingAt(fail);
  }

  private <E extends Enum<E>> E choice(String option, String value, List<E> allowed, Class<E> type) {
    for (E candidate : allowed) {
      if (candidate.name().equalsIgnoreCase(value.trim())) {
        return candidate;
      }
    }
    throw new ParameterException(spec.commandLine(), option + " " + value + " is not one of " + allowed
        + (option.equals("--pause-at") ? " (the phases with a safe point inside, where a pause can take hold)" : ""));
  }

  private static String firstOf(String... values) {
    for (String value : values) {
      if (value != null && !value.isBlank()) {
        return value;
      }
    }
    return null;
  }
}
