package dev.evolve.starter;

import dev.evolve.workflows.NodePoolUpgradeWorkflow;
import java.util.concurrent.Callable;
import picocli.CommandLine.Command;
import picocli.CommandLine.Mixin;
import picocli.CommandLine.Option;
import picocli.CommandLine.Parameters;
import picocli.CommandLine.Spec;
import picocli.CommandLine.Model.CommandSpec;

/** pause, resume, approve and cancel: one signal (or cancel request) each. */
final class SignalCommands {

  private SignalCommands() {}

  abstract static class SignalCommand implements Callable<Integer> {
    @Mixin TemporalOptions temporal;
    @Parameters(index = "0", description = "workflow id, e.g. evolve-prod-default-pool") String workflowId;
    @Spec CommandSpec spec;

    NodePoolUpgradeWorkflow workflow() {
      return temporal.client().newWorkflowStub(NodePoolUpgradeWorkflow.class, workflowId);
    }

    int done(String what) {
      spec.commandLine().getOut().println(what + " " + workflowId);
      return 0;
    }
  }

  @Command(name = "pause", mixinStandardHelpOptions = true,
      description = "Hold the cycle at its next safe point (never in the middle of a move).")
  static final class Pause extends SignalCommand {
    @Option(names = "--reason", description = "shown in the progress query") String reason;

    @Override
    public Integer call() {
      workflow().pause(reason == null ? "paused from the command line" : reason);
      return done("pause requested for");
    }
  }

  @Command(name = "resume", mixinStandardHelpOptions = true,
      description = "Release a pause, or a hold taken by a health gate (which then checks again).")
  static final class Resume extends SignalCommand {
    @Override
    public Integer call() {
      workflow().resume();
      return done("resumed");
    }
  }

  @Command(name = "approve", mixinStandardHelpOptions = true,
      description = "Let a cycle that waits for approval upgrade the original pool.")
  static final class Approve extends SignalCommand {
    @Option(names = "--by", description = "who approves (recorded in the history)") String by;

    @Override
    public Integer call() {
      workflow().approve(by == null ? System.getProperty("user.name") : by);
      return done("approved");
    }
  }

  @Command(name = "cancel", mixinStandardHelpOptions = true,
      description = "Cancel the cycle: it moves the workloads back and removes the temporary pool.")
  static final class Cancel extends SignalCommand {
    @Override
    public Integer call() {
      temporal.client().newUntypedWorkflowStub(workflowId).cancel();
      return done("cancellation requested for (compensation runs now)");
    }
  }
}
