package dev.evolve.sandbox.safety;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertTrue;

import dev.evolve.sandbox.Scenario;
import dev.evolve.sandbox.Scenario.Budget;
import dev.evolve.sandbox.Scenario.WorkloadSpec;
import dev.evolve.sandbox.demo.Demo;
import dev.evolve.sandbox.demo.DemoOptions;
import dev.evolve.sandbox.demo.DemoReport;
import dev.evolve.sandbox.demo.Summary;
import dev.evolve.workflows.model.CycleStatus;
import java.io.ByteArrayOutputStream;
import java.io.PrintStream;
import java.nio.charset.StandardCharsets;
import java.util.List;
import java.util.Map;
import org.junit.jupiter.api.Test;

/**
 * On a real cluster a pod that is told to stop keeps running for its termination grace period
 * (30 s by default; minutes for a database or a broker). When the cycle moves a Deployment back,
 * its old pods linger on the temporary pool with a deletionTimestamp. DECOMMISSION must wait for
 * them to go, not count them as workload still running there and refuse to remove the pool.
 */
class SlowTerminationCycleTest {

  @Test
  void theTemporaryPoolIsRemovedOnceThePodsMovedOffItHaveStopped() {
    Scenario base = Scenario.defaultScenario();
    // 200 scenario seconds of grace: 10 s at test pace, longer than the whole RESTORE phase.
    Scenario scenario = new Scenario(base.cluster(), base.pools(), List.of(
        new WorkloadSpec("Deployment", "shop", "slow-to-stop", 2, "100m", "128Mi", 2.0, null, "1", "0", null, null,
            null, null, null, new Budget("1", null), 200.0)), base.seed());
    ByteArrayOutputStream bytes = new ByteArrayOutputStream();
    PrintStream out = new PrintStream(bytes, true, StandardCharsets.UTF_8);
    DemoReport r = Demo.run(DemoOptions.fast().withScenario(scenario), out);
    Summary.print(r, out);
    String output = bytes.toString(StandardCharsets.UTF_8);

    assertEquals(CycleStatus.SUCCEEDED, r.status(), output);
    assertTrue(r.tempPoolOutcome().startsWith("DELETED"), output);
    assertEquals(Map.of(r.pool(), 2), r.podsPerPool(), output);
    assertEquals(List.of(), r.disruptions(), output);
    assertEquals(List.of(), r.podsLostWithNodes(), output);
  }
}
