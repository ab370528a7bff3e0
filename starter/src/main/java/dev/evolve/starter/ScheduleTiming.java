package dev.evolve.starter;

import io.temporal.client.schedules.Schedule;
import io.temporal.client.schedules.ScheduleAlreadyRunningException;
import io.temporal.client.schedules.ScheduleOptions;
import java.io.PrintWriter;
import java.time.Duration;
import java.util.List;
import picocli.CommandLine.Option;

/**
 * When a schedule starts its workflows, and whether it starts paused: the options that
 * {@code ./evolve schedule create} (cycles of one pool) and {@code ./evolve fleet schedule} share.
 */
final class ScheduleTiming {

  @Option(names = "--cron", description = "when it starts, e.g. \"0 3 * * SAT\" (in --time-zone)")
  String cron;

  @Option(names = "--every", description = "or an interval: 7d, 12h, 1h30m")
  String every;

  @Option(names = "--time-zone", defaultValue = "UTC",
      description = "IANA time zone of --cron (and of --window) (default: ${DEFAULT-VALUE})")
  String timeZone;

  @Option(names = "--paused", description = "create it paused")
  boolean paused;

  /** Refuses bad timing (and a bad --window text, or null) before anything is created. */
  void check(String window) {
    List<String> problems = ScheduleDefinition.problems(cron, every, timeZone, window);
    if (!problems.isEmpty()) {
      throw new CliErrors.BadInputException("invalid schedule, nothing was created:\n  - "
          + String.join("\n  - ", problems));
    }
  }

  Duration interval() {
    return ScheduleDefinition.parseInterval(every);
  }

  /** {@code cron "0 3 * * SAT" (UTC)} or {@code every 7d (UTC)}, for the line that says what was created. */
  String describe() {
    return (cron != null ? "cron \"" + cron + "\"" : "every " + every) + " (" + timeZone + ")";
  }

  /**
   * Creates the schedule, or says that one with this id exists already.
   *
   * @return false when it existed (nothing was changed)
   */
  static boolean create(TemporalOptions temporal, String id, Schedule schedule, PrintWriter err) {
    try {
      temporal.scheduleClient().createSchedule(id, schedule, ScheduleOptions.newBuilder().build());
      return true;
    } catch (ScheduleAlreadyRunningException e) {
      err.println("error: schedule " + id + " already exists; ./evolve schedule delete " + id
          + " first, or choose another --id");
      return false;
    }
  }
}
