package dev.evolve.sandbox.demo;

import dev.evolve.sandbox.Sandbox;
import dev.evolve.sandbox.Scenario;
import dev.evolve.workflows.model.Phase;
import dev.evolve.workflows.model.TempPoolPolicy;
import java.io.InputStream;
import java.time.Duration;
import java.util.List;

/**
 * Everything one demo run needs to know.
 *
 * @param scenario the sandbox cluster
 * @param sandbox how fast pods and the fake GKE act
 * @param pace how often the activities and the demo poll
 * @param policy what happens to the temporary pool at the end
 * @param pauseAt pause the cycle when it enters this phase (null: no pause)
 * @param pauseFor how long a pause lasts unless Enter is pressed first
 * @param failAt inject a failure in this phase (null: none)
 * @param temporalAddress host:port of a Temporal server; null for the in-process test server
 * @param namespace Temporal namespace on that server
 * @param enter where an Enter that ends a pause early comes from (null: nowhere, e.g. in tests)
 */
public record DemoOptions(Scenario scenario, Sandbox.Settings sandbox, Pace pace, TempPoolPolicy policy,
    Phase pauseAt, Duration pauseFor, Phase failAt, String temporalAddress, String namespace, InputStream enter) {

  /** Phases with a safe point inside (between workloads, between brokers), where a pause can take hold. */
  public static final List<Phase> PAUSABLE = List.of(Phase.MIGRATE, Phase.RESTORE);

  /** The phases of a cycle, each of which --fail-at can break. */
  public static final List<Phase> FAILABLE = List.of(Phase.PREPARE, Phase.CREATE_TEMP_POOL, Phase.MIGRATE,
      Phase.UPGRADE_ORIGINAL, Phase.RESTORE, Phase.DECOMMISSION);

  public DemoOptions {
    if (pauseAt != null && !PAUSABLE.contains(pauseAt)) {
      throw new IllegalArgumentException("cannot pause at " + pauseAt + ": choose one of " + PAUSABLE);
    }
    if (failAt != null && !FAILABLE.contains(failAt)) {
      throw new IllegalArgumentException("cannot fail at " + failAt + ": choose one of " + FAILABLE);
    }
  }

  /** The demo as {@code ./evolve demo} runs it: default scenario, demo pace, in-process Temporal. */
  public static DemoOptions demo() {
    return new DemoOptions(Scenario.defaultScenario(), Sandbox.Settings.demo(), Pace.demo(), TempPoolPolicy.DELETE,
        null, Duration.ofSeconds(5), null, null, "default", null);
  }

  /** For tests: the default scenario about ten times faster. */
  public static DemoOptions fast() {
    return new DemoOptions(Scenario.defaultScenario(), Sandbox.Settings.fast(), Pace.fast(), TempPoolPolicy.DELETE,
        null, Duration.ofSeconds(2), null, null, "default", null);
  }

  public DemoOptions pausingAt(Phase phase, Duration forHowLong) {
    return new DemoOptions(scenario, sandbox, pace, policy, phase, forHowLong, failAt, temporalAddress, namespace,
        enter);
  }

  public DemoOptions failingAt(Phase phase) {
    return new DemoOptions(scenario, sandbox, pace, policy, pauseAt, pauseFor, phase, temporalAddress, namespace,
        enter);
  }

  public DemoOptions withScenario(Scenario other) {
    return new DemoOptions(other, sandbox, pace, policy, pauseAt, pauseFor, failAt, temporalAddress, namespace,
        enter);
  }

  public DemoOptions withPolicy(TempPoolPolicy other) {
    return new DemoOptions(scenario, sandbox, pace, other, pauseAt, pauseFor, failAt, temporalAddress, namespace,
        enter);
  }

  public DemoOptions withSandbox(Sandbox.Settings other) {
    return new DemoOptions(scenario, other, pace, policy, pauseAt, pauseFor, failAt, temporalAddress, namespace,
        enter);
  }

  public DemoOptions withPace(Pace other) {
    return new DemoOptions(scenario, sandbox, other, policy, pauseAt, pauseFor, failAt, temporalAddress, namespace,
        enter);
  }

  public DemoOptions withTemporal(String address, String inNamespace) {
    return new DemoOptions(scenario, sandbox, pace, policy, pauseAt, pauseFor, failAt, address, inNamespace, enter);
  }

  public DemoOptions withEnter(InputStream input) {
    return new DemoOptions(scenario, sandbox, pace, policy, pauseAt, pauseFor, failAt, temporalAddress, namespace,
        input);
  }
}
