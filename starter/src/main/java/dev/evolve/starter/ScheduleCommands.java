package dev.evolve.starter;

import dev.evolve.workflows.NodePoolUpgradeWorkflow;
import dev.evolve.workflows.fleet.FleetUpgradeWorkflow;
import dev.evolve.workflows.model.StartWindow;
import dev.evolve.workflows.model.UpgradeRequest;
import io.temporal.client.schedules.ScheduleActionExecutionStartWorkflow;
import io.temporal.client.schedules.ScheduleActionResult;
import io.temporal.client.schedules.ScheduleHandle;
import io.temporal.client.schedules.ScheduleListActionStartWorkflow;
import io.temporal.client.schedules.ScheduleListDescription;
import io.temporal.client.schedules.ScheduleSpec;
import io.grpc.Status;
import io.grpc.StatusRuntimeException;
import io.temporal.client.WorkflowNotFoundException;
import java.io.PrintWriter;
import java.time.Duration;
import java.time.Instant;
import java.util.List;
import java.util.concurrent.Callable;
import picocli.CommandLine.Command;
import picocli.CommandLine.Mixin;
import picocli.CommandLine.Model.CommandSpec;
import picocli.CommandLine.Option;
import picocli.CommandLine.Parameters;
import picocli.CommandLine.Spec;

/** {@code ./evolve schedule ...}: recurring cycles as Temporal Schedules. */
@Command(name = "schedule", mixinStandardHelpOptions = true,
    description = "Recurring cycles as Temporal Schedules (overlap: skip; a failed cycle pauses the schedule).",
    subcommands = {ScheduleCommands.Create.class, ScheduleCommands.ListSchedules.class, ScheduleCommands.Pause.class,
        ScheduleCommands.Unpause.class, ScheduleCommands.Trigger.class, ScheduleCommands.Delete.class})
final class ScheduleCommands {

  private ScheduleCommands() {}

  /**
   * Whether the server answered that the schedule does not exist: as NOT_FOUND, or (for some calls)
   * as a missing workflow named after the scheduler's internal id, which would only confuse.
   */
  static boolean notFound(Throwable failure) {
    for (Throwable cause = failure; cause != null; cause = cause.getCause()) {
      if (cause instanceof WorkflowNotFoundException
          || cause instanceof StatusRuntimeException status && status.getStatus().getCode() == Status.Code.NOT_FOUND) {
        return true;
      }
    }
    return false;
  }

  /** "7d", "12h", "1h30m" rather than ISO-8601's "PT168H". */
  static String compact(Duration d) {
    StringBuilder text = new StringBuilder();
    if (d.toDaysPart() > 0) text.append(d.toDaysPart()).append('d');
    if (d.toHoursPart() > 0) text.append(d.toHoursPart()).append('h');
    if (d.toMinutesPart() > 0) text.append(d.toMinutesPart()).append('m');
    if (d.toSecondsPart() > 0 || text.isEmpty()) text.append(d.toSecondsPart()).append('s');
    return text.toString();
  }

  @Command(name = "create", mixinStandardHelpOptions = true,
      description = "Create a schedule of cycles for one pool, from a request file or flags.")
  static final class Create implements Callable<Integer> {
    @Mixin TemporalOptions temporal;
    @Mixin RequestOptions requestOptions;

    @Option(names = "--id", description = "schedule id (default: evolve/<project>/<location>/<cluster>/<pool>)")
    String scheduleId;

    @Mixin ScheduleTiming timing;

    @Option(names = "--window", paramLabel = "HH:MM-HH:MM",
        description = "maintenance window: a cycle that would start outside it changes nothing")
    String window;

    @Option(names = "--window-days", split = ",", paramLabel = "DAY",
        description = "days the window opens, e.g. SAT,SUN (default: every day)")
    List<String> windowDays;

    @Option(names = "--note", defaultValue = "created by ./evolve schedule create", description = "note shown with the schedule")
    String note;

    @Spec CommandSpec spec;

    @Override
    public Integer call() {
      timing.check(window);
      if (windowDays != null && window == null) {
        throw new CliErrors.BadInputException("--window-days needs --window HH:MM-HH:MM; nothing was created");
      }
      StartWindow startWindow = window == null ? null : ScheduleDefinition.parseWindow(window, timing.timeZone, windowDays);
      if (window != null && startWindow == null) {
        throw new CliErrors.BadInputException("--window-days " + windowDays + ": use MON, TUE, WED, THU, FRI, SAT "
            + "or SUN; nothing was created");
      }
      UpgradeRequest request = requestOptions.request();
      ScheduleDefinition definition = new ScheduleDefinition(null, request, timing.cron, timing.interval(),
          timing.timeZone, startWindow, temporal.taskQueue(), timing.paused, note);
      String id = scheduleId != null ? scheduleId : definition.workflowId();
      if (!ScheduleTiming.create(temporal, id, definition.toSchedule(), spec.commandLine().getErr())) {
        return CliErrors.FAILED;
      }
      PrintWriter out = spec.commandLine().getOut();
      out.println("created schedule " + id + ": " + timing.describe()
          + (startWindow == null ? "" : ", starting only in " + startWindow) + (timing.paused ? ", paused" : ""));
      out.println("  cycles: " + request.nodePool() + " -> " + request.targetVersion()
          + "; overlap: skip; a failed cycle pauses the schedule; catch-up within "
          + compact(definition.catchupWindow()));
      return 0;
    }
  }

  @Command(name = "list", mixinStandardHelpOptions = true, description = "List the schedules of cycles.")
  static final class ListSchedules implements Callable<Integer> {
    @Mixin TemporalOptions temporal;
    @Spec CommandSpec spec;

    @Override
    public Integer call() {
      PrintWriter out = spec.commandLine().getOut();
      List<ScheduleListDescription> schedules = temporal.scheduleClient().listSchedules(100)
          .filter(ListSchedules::startsCycles).toList();
      if (schedules.isEmpty()) {
        out.println("no schedules of " + NodePoolUpgradeWorkflow.TYPE + " cycles or " + FleetUpgradeWorkflow.TYPE + "s");
        return 0;
      }
      out.printf("%-36s %-8s %-28s %-22s %s%n", "SCHEDULE", "STATE", "WHEN", "NEXT START", "LAST CYCLE");
      for (ScheduleListDescription s : schedules) {
        boolean paused = s.getSchedule().getState() != null && s.getSchedule().getState().isPaused();
        List<Instant> next = s.getInfo().getNextActionTimes();
        List<ScheduleActionResult> recent = s.getInfo().getRecentActions();
        out.printf("%-36s %-8s %-28s %-22s %s%n", s.getScheduleId(), paused ? "paused" : "active",
            describe(s.getSchedule().getSpec()), next.isEmpty() ? "-" : next.get(0).toString(),
            recent.isEmpty() ? "-" : lastCycle(recent.get(recent.size() - 1)));
      }
      return 0;
    }

    private static boolean startsCycles(ScheduleListDescription s) {
      return s.getSchedule().getAction() instanceof ScheduleListActionStartWorkflow action
          && (NodePoolUpgradeWorkflow.TYPE.equals(action.getWorkflow())
              || FleetUpgradeWorkflow.TYPE.equals(action.getWorkflow()));
    }

    private static String describe(ScheduleSpec spec) {
      String zone = spec.getTimeZoneName() == null || spec.getTimeZoneName().isEmpty() ? "UTC" : spec.getTimeZoneName();
      if (!spec.getCronExpressions().isEmpty()) {
        return "cron " + spec.getCronExpressions().get(0) + " " + zone;
      }
      if (!spec.getIntervals().isEmpty()) {
        return "every " + compact(spec.getIntervals().get(0).getEvery());
      }
      // the server returns cron expressions as calendar specs
      return spec.getCalendars().isEmpty() ? "-" : "calendar (" + zone + ")";
    }

    private static String lastCycle(ScheduleActionResult result) {
      String id = result.getAction() instanceof ScheduleActionExecutionStartWorkflow start ? start.getWorkflowId() : "?";
      return id + " at " + result.getStartedAt();
    }
  }

  /** The commands that act on one existing schedule: each says what it does and what to print. */
  abstract static class OnOneSchedule implements Callable<Integer> {
    @Mixin TemporalOptions temporal;
    @Parameters(paramLabel = "SCHEDULE_ID") String id;
    @Spec CommandSpec spec;

    /** Acts on the schedule; returns the line to print. */
    abstract String act(ScheduleHandle schedule);

    @Override
    public Integer call() {
      try {
        spec.commandLine().getOut().println(act(temporal.scheduleClient().getHandle(id)));
      } catch (RuntimeException e) {
        if (notFound(e)) {
          throw new CliErrors.NotFoundException("no schedule " + id + "; ./evolve schedule list shows the schedules");
        }
        throw e;
      }
      return 0;
    }
  }

  @Command(name = "pause", mixinStandardHelpOptions = true, description = "Pause a schedule: no new cycles start.")
  static final class Pause extends OnOneSchedule {
    @Option(names = "--reason", defaultValue = "paused with ./evolve schedule pause") String reason;

    @Override
    String act(ScheduleHandle schedule) {
      schedule.pause(reason);
      return "paused schedule " + id + " (" + reason + "); running cycles go on";
    }
  }

  @Command(name = "unpause", mixinStandardHelpOptions = true, description = "Let a paused schedule start cycles again.")
  static final class Unpause extends OnOneSchedule {
    @Override
    String act(ScheduleHandle schedule) {
      schedule.unpause("unpaused with ./evolve schedule unpause");
      return "unpaused schedule " + id;
    }
  }

  @Command(name = "trigger", mixinStandardHelpOptions = true, description = "Start a cycle of a schedule now.")
  static final class Trigger extends OnOneSchedule {
    @Override
    String act(ScheduleHandle schedule) {
      schedule.trigger();
      return "triggered schedule " + id + " (skipped if a cycle of it is still running)";
    }
  }

  @Command(name = "delete", mixinStandardHelpOptions = true,
      description = "Delete a schedule. A cycle it started keeps running.")
  static final class Delete extends OnOneSchedule {
    @Override
    String act(ScheduleHandle schedule) {
      schedule.delete();
      return "deleted schedule " + id;
    }
  }
}
