package dev.evolve.starter;

import dev.evolve.workflows.NodePoolUpgradeWorkflow;
import dev.evolve.workflows.model.StartWindow;
import dev.evolve.workflows.model.UpgradeRequest;
import io.temporal.api.enums.v1.ScheduleOverlapPolicy;
import io.temporal.client.WorkflowOptions;
import io.temporal.client.schedules.Schedule;
import io.temporal.client.schedules.ScheduleActionStartWorkflow;
import io.temporal.client.schedules.ScheduleIntervalSpec;
import io.temporal.client.schedules.SchedulePolicy;
import io.temporal.client.schedules.ScheduleSpec;
import io.temporal.client.schedules.ScheduleState;
import java.time.DateTimeException;
import java.time.Duration;
import java.time.LocalTime;
import java.time.ZoneId;
import java.util.ArrayList;
import java.util.List;
import java.util.regex.Matcher;
import java.util.regex.Pattern;

/**
 * A Temporal Schedule of recurring cycles for one pool, from what the user typed. The policy is
 * the one a platform team wants for disruptive maintenance:
 * <ul>
 *   <li>overlap SKIP: a cycle still running means the next one is skipped, never queued or run
 *       beside it (two cycles on one pool would fight over the same workloads);
 *   <li>pause on failure: after a failed or rolled-back cycle nothing more runs until a human
 *       has looked and unpaused the schedule;
 *   <li>catch-up only while it still makes sense: after an outage, a missed start is made up only
 *       within the maintenance window's length (one hour without a window), not days later.
 * </ul>
 * The window itself travels in the request, where the workflow checks it against its own clock.
 *
 * @param cron a cron expression ("0 3 * * SAT") or null
 * @param every an interval or null; exactly one of cron and every is given
 * @param window the maintenance window in which a cycle may start, or null for any time
 */
record ScheduleDefinition(String scheduleId, UpgradeRequest request, String cron, Duration every, String timeZone,
    StartWindow window, String taskQueue, boolean paused, String note) {

  static final Duration CATCHUP_WITHOUT_WINDOW = Duration.ofHours(1);
  private static final Pattern INTERVAL_PART = Pattern.compile("(\\d+)([dhms])");

  /** Reads "7d", "12h", "1h30m", "90s" (or ISO-8601 "PT6H"); null when it is none of those. */
  static Duration parseInterval(String text) {
    if (text == null || text.isBlank()) {
      return null;
    }
    if (text.toUpperCase().startsWith("P")) {
      try {
        return Duration.parse(text.toUpperCase());
      } catch (DateTimeException e) {
        return null;
      }
    }
    Matcher m = INTERVAL_PART.matcher(text.trim());
    Duration total = Duration.ZERO;
    int end = 0;
    while (m.find() && m.start() == end) {
      long n = Long.parseLong(m.group(1));
      total = total.plus(switch (m.group(2)) {
        case "d" -> Duration.ofDays(n);
        case "h" -> Duration.ofHours(n);
        case "m" -> Duration.ofMinutes(n);
        default -> Duration.ofSeconds(n);
      });
      end = m.end();
    }
    return end == text.trim().length() && end > 0 ? total : null;
  }

  /** Every problem with the cadence and window options, each naming the option and the fix. */
  static List<String> problems(String cron, String every, String timeZone, String windowText) {
    List<String> problems = new ArrayList<>();
    if ((cron == null) == (every == null)) {
      problems.add("give exactly one of --cron (e.g. \"0 3 * * SAT\") and --every (e.g. 7d)");
    }
    if (cron != null && !cron.startsWith("@") && cron.trim().split("\\s+").length != 5) {
      problems.add("--cron '" + cron + "' needs five fields: minute hour day-of-month month day-of-week, "
          + "e.g. \"0 3 * * SAT\"");
    }
    if (every != null) {
      Duration interval = parseInterval(every);
      if (interval == null || interval.compareTo(Duration.ofMinutes(1)) < 0) {
        problems.add("--every '" + every + "' is not an interval of at least a minute: write it like 7d, 12h or 1h30m");
      }
    }
    try {
      ZoneId.of(timeZone);
    } catch (DateTimeException e) {
      problems.add("--time-zone '" + timeZone + "' is not a time zone: use an IANA name such as Europe/Berlin");
    }
    if (windowText != null && parseWindow(windowText, timeZone, null) == null) {
      problems.add("--window '" + windowText + "' is not a window: write it as HH:MM-HH:MM, e.g. 02:00-06:00");
    }
    return problems;
  }

  /** "02:00-06:00" in the schedule's time zone, on the given days; null when it does not parse. */
  static StartWindow parseWindow(String text, String timeZone, List<String> days) {
    String[] parts = text.split("-");
    if (parts.length != 2) {
      return null;
    }
    StartWindow window = new StartWindow(parts[0].trim(), parts[1].trim(), timeZone, days);
    return window.problems("--window").isEmpty() ? window : null;
  }

  /** How long after a missed start the server may still start it: the window's length. */
  Duration catchupWindow() {
    if (window == null) {
      return CATCHUP_WITHOUT_WINDOW;
    }
    Duration length = Duration.between(LocalTime.parse(window.start()), LocalTime.parse(window.end()));
    return length.isNegative() ? length.plusDays(1) : length;
  }

  /** The workflow id of the cycles it starts; Temporal appends each start's scheduled time. */
  String workflowId() {
    return StartCommand.defaultWorkflowId(request);
  }

  /** A cron expression or an interval, in a time zone: when the schedule starts its workflows. */
  static ScheduleSpec when(String cron, Duration every, String timeZone) {
    ScheduleSpec.Builder spec = ScheduleSpec.newBuilder().setTimeZoneName(timeZone);
    if (cron != null) {
      spec.setCronExpressions(List.of(cron));
    } else {
      spec.setIntervals(List.of(new ScheduleIntervalSpec(every)));
    }
    return spec.build();
  }

  /**
   * What disruptive maintenance wants of a schedule: a start while the last one still runs is
   * skipped, never queued; a failed run pauses the schedule until someone looks; after an outage
   * only the starts within {@code catchup} are made up for.
   */
  static SchedulePolicy policy(Duration catchup) {
    return SchedulePolicy.newBuilder()
        .setOverlap(ScheduleOverlapPolicy.SCHEDULE_OVERLAP_POLICY_SKIP)
        .setPauseOnFailure(true)
        .setCatchupWindow(catchup)
        .build();
  }

  Schedule toSchedule() {
    UpgradeRequest scheduled = window == null ? request : request.withStartWindow(window);
    return Schedule.newBuilder()
        .setAction(ScheduleActionStartWorkflow.newBuilder()
            .setWorkflowType(NodePoolUpgradeWorkflow.TYPE)
            .setArguments(scheduled)
            .setOptions(WorkflowOptions.newBuilder().setWorkflowId(workflowId()).setTaskQueue(taskQueue).build())
            .build())
        .setSpec(when(cron, every, timeZone))
        .setPolicy(policy(catchupWindow()))
        .setState(ScheduleState.newBuilder().setPaused(paused).setNote(note).build())
        .build();
  }
}
