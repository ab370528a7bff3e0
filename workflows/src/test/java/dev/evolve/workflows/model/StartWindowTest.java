package dev.evolve.workflows.model;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertTrue;

import java.time.Instant;
import java.util.List;
import org.junit.jupiter.api.Test;

class StartWindowTest {

  // 2026-11-28 is a Saturday
  static Instant utc(String isoLocal) {
    return Instant.parse(isoLocal + "Z");
  }

  @Test
  void aWindowWithinOneDayIncludesItsStartAndExcludesItsEnd() {
    StartWindow window = new StartWindow("02:00", "06:00", null, null);

    assertTrue(window.contains(utc("2026-11-28T02:00:00")));
    assertTrue(window.contains(utc("2026-11-28T05:59:59")));
    assertFalse(window.contains(utc("2026-11-28T06:00:00")));
    assertFalse(window.contains(utc("2026-11-28T01:59:59")));
  }

  @Test
  void theTimeZoneDecidesWhatLocalTimeItIs() {
    // 02:30 in Berlin (UTC+1 in November) is 01:30 UTC
    StartWindow berlin = new StartWindow("02:00", "06:00", "Europe/Berlin", null);

    assertTrue(berlin.contains(utc("2026-11-28T01:30:00")));
    assertFalse(berlin.contains(utc("2026-11-28T05:30:00")));
  }

  @Test
  void aWindowPastMidnightBelongsToTheDayItOpens() {
    StartWindow saturdayNight = new StartWindow("22:00", "04:00", "UTC", List.of("SAT"));

    assertTrue(saturdayNight.contains(utc("2026-11-28T23:00:00")), "Saturday evening");
    assertTrue(saturdayNight.contains(utc("2026-11-29T03:00:00")), "early Sunday, still Saturday's window");
    assertFalse(saturdayNight.contains(utc("2026-11-29T23:00:00")), "Sunday evening");
    assertFalse(saturdayNight.contains(utc("2026-11-28T03:00:00")), "early Saturday belongs to Friday's window");
  }

  @Test
  void everyProblemNamesTheField() {
    List<String> problems = new StartWindow("25:00", "6", "Nowhere/City", List.of("Someday")).problems("startWindow");

    assertEquals(4, problems.size(), problems.toString());
    assertTrue(problems.get(0).startsWith("startWindow.start"), problems.get(0));
    assertTrue(problems.get(1).startsWith("startWindow.end"), problems.get(1));
    assertTrue(problems.get(2).startsWith("startWindow.timeZone"), problems.get(2));
    assertTrue(problems.get(3).startsWith("startWindow.days"), problems.get(3));
    assertEquals(List.of(), new StartWindow("02:00", "06:00", "Europe/Berlin", List.of("sat", "SUN")).problems("w"));
  }
}
