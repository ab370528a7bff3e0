package dev.evolve.starter;

import dev.evolve.workflows.fleet.FleetProgress;
import dev.evolve.workflows.fleet.FleetRequest;
import dev.evolve.workflows.fleet.FleetResult;
import dev.evolve.workflows.fleet.FleetUpgradeWorkflow;
import io.temporal.api.enums.v1.WorkflowExecutionStatus;
import io.temporal.client.WorkflowClient;
import io.temporal.client.WorkflowExecutionAlreadyStarted;
import io.temporal.client.WorkflowOptions;
import io.temporal.client.WorkflowStub;
import io.temporal.client.schedules.Schedule;
import io.temporal.client.schedules.ScheduleActionStartWorkflow;
import io.temporal.client.schedules.ScheduleState;
import java.io.PrintWriter;
import java.nio.file.Path;
import java.time.Duration;
import java.util.List;
import java.util.concurrent.Callable;
import picocli.CommandLine.Command;
import picocli.CommandLine.Mixin;
import picocli.CommandLine.Model.CommandSpec;
import picocli.CommandLine.Option;
import picocli.CommandLine.Parameters;
import picocli.CommandLine.Spec;

/** {@code ./evolve fleet ...}: many pools across clusters in waves, as one {@code FleetUpgrade} workflow. */
@Command(name = "fleet", mixinStandardHelpOptions = true,
    description = "Upgrade many pools in waves: a canary wave, a soak, then the rest a wave at a time; "
        + "a failed cycle stops every later one.",
    subcommands = {FleetCommands.Start.class, FleetCommands.Status.class, FleetCommands.Pause.class,
        FleetCommands.Resume.class, FleetCommands.ScheduleFleet.class})
final class FleetCommands {

  private FleetCommands() {}

  @Command(name = "start", mixinStandardHelpOptions = true, description = "Start a fleet from its file.")
  static final class Start implements Callable<Integer> {
    @Mixin TemporalOptions temporal;
    @Option(names = {"-f", "--file"}, required = true, description = "the fleet, YAML or JSON (see README)") Path file;
    @Option(names = "--workflow-id", description = "default: evolve-fleet/<name>") String workflowId;
    @Option(names = "--wait", description = "wait for the fleet to end and print every pool's outcome") boolean await;
    @Spec CommandSpec spec;

    @Override
    public Integer call() {
      FleetRequest fleet = FleetFile.read(file);
      String id = FleetFile.defaultWorkflowId(fleet, workflowId);
      FleetUpgradeWorkflow workflow = temporal.client().newWorkflowStub(FleetUpgradeWorkflow.class,
          temporal.startOnce(id));
      try {
        WorkflowClient.start(workflow::run, fleet);
      } catch (WorkflowExecutionAlreadyStarted e) {
        spec.commandLine().getErr().println("error: fleet " + id + " is already running; watch it with ./evolve fleet status " + id);
        return CliErrors.FAILED;
      }
      PrintWriter out = spec.commandLine().getOut();
      out.println("started fleet " + id + ": " + fleet.poolsOrEmpty().size() + " pools in " + fleet.waves().size()
          + " waves (canary " + fleet.canarySizeOrDefault() + ", then " + fleet.waveSizeOrDefault() + " at a time"
          + (fleet.soakSecondsOrDefault() > 0 ? ", soak " + ScheduleCommands.compact(Duration.ofSeconds(fleet.soakSecondsOrDefault())) : "")
          + ")");
      out.println("  progress: ./evolve fleet status " + id + "   pause: ./evolve fleet pause " + id + " --reason \"...\"");
      if (!await) {
        return 0;
      }
      try {
        WorkflowStub.fromTyped(workflow).getResult(FleetResult.class);
      } catch (io.temporal.client.WorkflowFailedException stopped) {
        out.println(FleetPrinter.progress(workflow.progress(), System.currentTimeMillis()));
        return CliErrors.FAILED;
      }
      out.println(FleetPrinter.progress(workflow.progress(), System.currentTimeMillis()));
      return 0;
    }
  }

  /** A command on one running fleet, named by its workflow id or by the file it was started from. */
  abstract static class FleetIdCommand implements Callable<Integer> {
    @Mixin TemporalOptions temporal;
    @Parameters(index = "0", arity = "0..1", description = "the fleet's workflow id, e.g. evolve-fleet/shop")
    String givenId;
    @Option(names = {"-f", "--file"}, description = "or the fleet file: its id is evolve-fleet/<name>") Path file;
    @Spec CommandSpec spec;

    private String workflowId;

    String workflowId() {
      if (workflowId == null) {
        if ((givenId == null) == (file == null)) {
          throw new CliErrors.BadInputException("name the fleet by its workflow id or by --file fleet.yaml (one of them)");
        }
        workflowId = givenId != null ? givenId : FleetFile.defaultWorkflowId(FleetFile.read(file), null);
      }
      return workflowId;
    }

    FleetUpgradeWorkflow workflow() {
      return temporal.client().newWorkflowStub(FleetUpgradeWorkflow.class, workflowId());
    }

    WorkflowExecutionStatus executionStatus() {
      return temporal.client().newUntypedWorkflowStub(workflowId()).describe().getStatus();
    }

    /** A signal to a fleet that has ended would be lost: say so instead. */
    int signalRunning(String what, Runnable signal) {
      if (executionStatus() != WorkflowExecutionStatus.WORKFLOW_EXECUTION_STATUS_RUNNING) {
        spec.commandLine().getErr().println("error: fleet " + workflowId() + " has ended; nothing to " + what);
        return CliErrors.FAILED;
      }
      signal.run();
      spec.commandLine().getOut().println(what + " sent to fleet " + workflowId()
          + "; it reaches the running cycles at their next safe point (./evolve fleet status " + workflowId() + ")");
      return 0;
    }
  }

  @Command(name = "status", mixinStandardHelpOptions = true, description = "Print every pool's phase (the progress query).")
  static final class Status extends FleetIdCommand {
    @Option(names = "--json", description = "print the raw progress as JSON") boolean json;
    @Option(names = "--watch", description = "print again every 5 s until the fleet ends") boolean watch;

    @Override
    public Integer call() throws Exception {
      while (true) {
        FleetProgress progress = workflow().progress();
        WorkflowExecutionStatus status = executionStatus();
        spec.commandLine().getOut().println(json
            ? RequestOptions.JSON.writerWithDefaultPrettyPrinter().writeValueAsString(progress)
            : FleetPrinter.progress(progress, System.currentTimeMillis()));
        if (!watch || status != WorkflowExecutionStatus.WORKFLOW_EXECUTION_STATUS_RUNNING) {
          return 0;
        }
        Thread.sleep(5000);
      }
    }
  }

  @Command(name = "pause", mixinStandardHelpOptions = true,
      description = "Start no further cycle, and pause the running ones at their next safe point.")
  static final class Pause extends FleetIdCommand {
    @Option(names = "--reason", description = "shown in the fleet's and the cycles' progress") String reason;

    @Override
    public Integer call() {
      return signalRunning("pause", () -> workflow().pause(reason == null ? "paused from the command line" : reason));
    }
  }

  @Command(name = "resume", mixinStandardHelpOptions = true,
      description = "Resume the cycles the fleet paused, and the waves. A cycle holding itself keeps waiting for "
          + "a human (./evolve resume <cycle>).")
  static final class Resume extends FleetIdCommand {
    @Override
    public Integer call() {
      return signalRunning("resume", () -> workflow().resume());
    }
  }

  @Command(name = "schedule", mixinStandardHelpOptions = true,
      description = "Create a Temporal Schedule that starts the fleet (overlap: skip; a stopped fleet pauses the "
          + "schedule). List, pause, trigger and delete it with ./evolve schedule or temporal schedule.")
  static final class ScheduleFleet implements Callable<Integer> {
    @Mixin TemporalOptions temporal;
    @Option(names = {"-f", "--file"}, required = true, description = "the fleet, YAML or JSON") Path file;
    @Option(names = "--id", description = "schedule id (default: evolve-fleet/<name>)") String scheduleId;
    @Mixin ScheduleTiming timing;
    @Spec CommandSpec spec;

    @Override
    public Integer call() {
      timing.check(null);
      FleetRequest fleet = FleetFile.read(file);
      String id = FleetFile.defaultWorkflowId(fleet, scheduleId);
      Schedule schedule = Schedule.newBuilder()
          .setAction(ScheduleActionStartWorkflow.newBuilder()
              .setWorkflowType(FleetUpgradeWorkflow.TYPE)
              .setArguments(fleet)
              // the server appends the start time, so each fleet and its cycles get their own ids
              .setOptions(WorkflowOptions.newBuilder().setWorkflowId(id).setTaskQueue(temporal.taskQueue()).build())
              .build())
          .setSpec(ScheduleDefinition.when(timing.cron, timing.interval(), timing.timeZone))
          .setPolicy(ScheduleDefinition.policy(ScheduleDefinition.CATCHUP_WITHOUT_WINDOW))
          .setState(ScheduleState.newBuilder().setPaused(timing.paused).setNote("created by ./evolve fleet schedule").build())
          .build();
      if (!ScheduleTiming.create(temporal, id, schedule, spec.commandLine().getErr())) {
        return CliErrors.FAILED;
      }
      spec.commandLine().getOut().println("created schedule " + id + ": " + timing.describe()
          + (timing.paused ? ", paused" : "") + "; each run upgrades "
          + fleet.poolsOrEmpty().size() + " pools in " + fleet.waves().size() + " waves");
      return 0;
    }
  }
}
