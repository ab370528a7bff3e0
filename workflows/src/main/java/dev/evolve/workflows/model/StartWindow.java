package dev.evolve.workflows.model;

import com.fasterxml.jackson.annotation.JsonIgnoreProperties;
import java.time.DateTimeException;
import java.time.DayOfWeek;
import java.time.Instant;
import java.time.LocalTime;
import java.time.ZoneId;
import java.time.ZonedDateTime;
import java.time.format.DateTimeParseException;
import java.util.ArrayList;
import java.util.List;
import java.util.Locale;

/**
 * A maintenance window in which a cycle may start: a scheduled cycle that begins outside it (a
 * late catch-up after an outage, a manual trigger at the wrong hour) changes nothing and ends
 * as {@link CycleStatus#SKIPPED_OUTSIDE_WINDOW}. Once started inside it, a cycle runs to the end:
 * stopping half-way would leave workloads on the temporary pool.
 *
 * @param start local time the window opens, "HH:MM"
 * @param end local time it closes, "HH:MM"; before start means it runs past midnight
 * @param timeZone IANA zone, e.g. "Europe/Berlin" (default UTC)
 * @param days days on which the window opens, e.g. ["SAT", "SUN"] (default: every day)
 */
@JsonIgnoreProperties(ignoreUnknown = true)
public record StartWindow(String start, String end, String timeZone, List<String> days) {

  /** Everything wrong with the window, each naming the field; empty when it is usable. */
  public List<String> problems(String field) {
    List<String> problems = new ArrayList<>();
    for (String[] time : new String[][] {{"start", start}, {"end", end}}) {
      if (parseTime(time[1]) == null) {
        problems.add(field + "." + time[0] + " '" + time[1] + "' is not a time of day: write it as HH:MM, e.g. 02:00");
      }
    }
    if (start != null && start.equals(end)) {
      problems.add(field + " opens and closes at " + start + ": leave the window out to allow any time");
    }
    if (timeZone != null) {
      try {
        ZoneId.of(timeZone);
      } catch (DateTimeException e) {
        problems.add(field + ".timeZone '" + timeZone + "' is not a time zone: use an IANA name such as Europe/Berlin");
      }
    }
    for (String day : days == null ? List.<String>of() : days) {
      if (parseDay(day) == null) {
        problems.add(field + ".days: '" + day + "' is not a day: use MON, TUE, WED, THU, FRI, SAT or SUN");
      }
    }
    return problems;
  }

  /**
   * Is this instant inside the window? Computed from workflow time, so it is the same on every
   * replay (the zone rules come from the worker's JVM; they change only with tzdata releases).
   */
  public boolean contains(Instant instant) {
    ZoneId zone = timeZone == null ? ZoneId.of("UTC") : ZoneId.of(timeZone);
    ZonedDateTime now = instant.atZone(zone);
    LocalTime open = parseTime(start);
    LocalTime close = parseTime(end);
    LocalTime time = now.toLocalTime();
    if (!open.isAfter(close)) {
      return !time.isBefore(open) && time.isBefore(close) && opensOn(now.getDayOfWeek());
    }
    // past midnight: the evening part belongs to today's window, the morning part to yesterday's
    if (!time.isBefore(open)) {
      return opensOn(now.getDayOfWeek());
    }
    return time.isBefore(close) && opensOn(now.getDayOfWeek().minus(1));
  }

  @Override
  public String toString() {
    return start + "-" + end + " " + (timeZone == null ? "UTC" : timeZone)
        + (days == null || days.isEmpty() ? "" : " on " + String.join(",", days));
  }

  private boolean opensOn(DayOfWeek day) {
    return days == null || days.isEmpty() || days.stream().map(StartWindow::parseDay).anyMatch(day::equals);
  }

  private static LocalTime parseTime(String value) {
    if (value == null || !value.matches("\\d{2}:\\d{2}")) {
      return null;
    }
    try {
      return LocalTime.parse(value);
    } catch (DateTimeParseException e) {
      return null;
    }
  }

  private static DayOfWeek parseDay(String value) {
    if (value == null) {
      return null;
    }
    for (DayOfWeek day : DayOfWeek.values()) {
      if (day.name().startsWith(value.trim().toUpperCase(Locale.ROOT)) && value.trim().length() >= 3) {
        return day;
      }
    }
    return null;
  }
}
