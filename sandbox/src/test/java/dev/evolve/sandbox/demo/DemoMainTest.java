package dev.evolve.sandbox.demo;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertTrue;

import dev.evolve.workflows.model.Phase;
import java.io.PrintWriter;
import java.io.StringWriter;
import java.nio.file.Files;
import java.nio.file.Path;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;
import picocli.CommandLine;

/** Bad options end with exit 2 and a message naming the option and what would be right. */
class DemoMainTest {

  record Result(int exitCode, String err) {}

  static Result execute(String... args) {
    StringWriter err = new StringWriter();
    CommandLine line = new CommandLine(new DemoMain());
    line.setErr(new PrintWriter(err, true));
    line.setOut(new PrintWriter(new StringWriter(), true));
    return new Result(line.execute(args), err.toString());
  }

  @Test
  void anUnknownFailAtPhaseListsTheValidOnes() {
    Result result = execute("--fail-at", "FOO");
    assertEquals(2, result.exitCode());
    assertTrue(result.err().contains("--fail-at FOO is not one of [PREPARE, CREATE_TEMP_POOL, MIGRATE, "
        + "UPGRADE_ORIGINAL, RESTORE, DECOMMISSION]"), result.err());
  }

  @Test
  void pausingInAPhaseWithoutASafePointIsRefused() {
    Result result = execute("--pause-at", "DECOMMISSION");
    assertEquals(2, result.exitCode());
    assertTrue(result.err().contains("--pause-at DECOMMISSION is not one of [MIGRATE, RESTORE]"), result.err());
  }

  @Test
  void aMissingScenarioFileIsNamed(@TempDir Path dir) {
    Result result = execute("--scenario", dir.resolve("nope.yaml").toString());
    assertEquals(2, result.exitCode());
    assertTrue(result.err().contains("--scenario: cannot read " + dir.resolve("nope.yaml")), result.err());
  }

  @Test
  void aScenarioThatMakesNoSenseSaysWhy(@TempDir Path dir) throws Exception {
    Path file = Files.writeString(dir.resolve("bad.yaml"), "cluster: {name: c, zones: []}\n");
    Result result = execute("--scenario", file.toString());
    assertEquals(2, result.exitCode());
    assertTrue(result.err().contains("cluster.zones must list at least one zone"), result.err());
  }

  @Test
  void goodOptionsBecomeDemoOptions() {
    DemoMain main = new DemoMain();
    new CommandLine(main).parseArgs("--fail-at", "migrate", "--temp-pool-policy", "keep", "--fast");
    DemoOptions options = main.options();
    assertEquals(Phase.MIGRATE, options.failAt());
    assertEquals(dev.evolve.workflows.model.TempPoolPolicy.KEEP, options.policy());
    assertEquals(Pace.fast(), options.pace());
  }
}
