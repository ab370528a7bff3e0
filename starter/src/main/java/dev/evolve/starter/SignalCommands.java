package dev.evolve.starter;

import dev.evolve.workflows.NodePoolUpgradeWorkflow;
import dev.evolve.workflows.model.ApproveRequest;
import dev.evolve.workflows.model.ControlAnswer;
import dev.evolve.workflows.model.PauseRequest;
import dev.evolve.workflows.model.ResumeRequest;
import java.util.concurrent.Callable;
import picocli.CommandLine.ArgGroup;
import picocli.CommandLine.Command;
import picocli.CommandLine.Mixin;
import picocli.CommandLine.Option;
import picocli.CommandLine.Parameters;
import picocli.CommandLine.Spec;
import picocli.CommandLine.Model.CommandSpec;

/**
 * pause, resume, approve and cancel. The first three are Temporal updates (pauseCycle, resumeCycle,
 * approveCycle): the cycle answers what it did, or why it refuses (then the exit code is 1), where
 * a signal would be fire-and-forget. The signals stay for {@code temporal workflow signal} and the
 * Web UI.
 */
final class SignalCommands {

  private SignalCommands() {}

  abstract static class SignalCommand implements Callable<Integer> {
    @Mixin TemporalOptions temporal;
    @Parameters(index = "0", description = "workflow id, e.g. evolve/my-project/europe-west1/prod/default-pool") String workflowId;
    @Spec CommandSpec spec;

    NodePoolUpgradeWorkflow workflow() {
      return temporal.client().newWorkflowStub(NodePoolUpgradeWorkflow.class, workflowId);
    }

    int done(String what) {
      spec.commandLine().getOut().println(what + " " + workflowId);
      return 0;
    }

    int answered(ControlAnswer answer) {
      spec.commandLine().getOut().println(workflowId + ": " + Printer.answer(answer));
      return 0;
    }

    static String user() {
      return System.getProperty("user.name");
    }
  }

  @Command(name = "pause", mixinStandardHelpOptions = true,
      description = "Hold the cycle at its next safe point (never in the middle of a move).")
  static final class Pause extends SignalCommand {
    @Option(names = "--reason", description = "shown in the progress query") String reason;
    @Option(names = "--by", description = "who pauses (default: your user name)") String by;

    @Override
    public Integer call() {
      return answered(workflow().pauseCycle(new PauseRequest(reason == null ? "paused from the command line" : reason,
          by == null ? user() : by)));
    }
  }

  @Command(name = "resume", mixinStandardHelpOptions = true,
      description = {"Release one thing the cycle waits on: the hold it took itself (a budget or Kafka gate that "
          + "kept refusing, a step that needs a human; it then asks again), or else a user's pause.",
          "A user's pause outlives a hold: releasing the hold leaves it standing. --hold or --pause names which."})
  static final class Resume extends SignalCommand {
    @ArgGroup(exclusive = true) Which which;
    @Option(names = "--by", description = "who resumes (default: your user name)") String by;

    static final class Which {
      @Option(names = "--hold", description = "release only the hold the cycle took itself") boolean hold;
      @Option(names = "--pause", description = "release only the user's pause") boolean pause;
    }

    @Override
    public Integer call() {
      ResumeRequest.Target target = which == null ? null
          : which.hold ? ResumeRequest.Target.HOLD : ResumeRequest.Target.PAUSE;
      return answered(workflow().resumeCycle(new ResumeRequest(target, by == null ? user() : by)));
    }
  }

  @Command(name = "approve", mixinStandardHelpOptions = true,
      description = "Let a cycle that waits for approval upgrade the original pool.")
  static final class Approve extends SignalCommand {
    @Option(names = "--by", description = "who approves (recorded in the history and the result; default: your user name)")
    String by;

    @Override
    public Integer call() {
      return answered(workflow().approveCycle(new ApproveRequest(by == null ? user() : by)));
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
