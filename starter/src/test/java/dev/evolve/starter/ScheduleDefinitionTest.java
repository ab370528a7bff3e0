package dev.evolve.starter;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertNull;
import static org.junit.jupiter.api.Assertions.assertTrue;

import dev.evolve.workflows.model.StartWindow;
import dev.evolve.workflows.model.UpgradeRequest;
import io.temporal.api.enums.v1.ScheduleOverlapPolicy;
import io.temporal.client.schedules.Schedule;
import io.temporal.client.schedules.ScheduleActionStartWorkflow;
import java.time.Duration;
import java.util.List;
import org.junit.jupiter.api.Test;

/** What a schedule of cycles looks like, without a server: the server-side run is in integration-tests. */
class ScheduleDefinitionTest {

  static final UpgradeRequest REQUEST = UpgradeRequest.builder("p", "europe-west1", "prod", "default-pool", "-")
      .build();

  @Test
  void intervalsReadTheWayPeopleWriteThem() {
    assertEquals(Duration.ofDays(7), ScheduleDefinition.parseInterval("7d"));
    assertEquals(Duration.ofMinutes(90), ScheduleDefinition.parseInterval("1h30m"));
    assertEquals(Duration.ofHours(6), ScheduleDefinition.parseInterval("PT6H"));
    assertNull(ScheduleDefinition.parseInterval("weekly"));
    assertNull(ScheduleDefinition.parseInterval("7d and a bit"));
  }

  @Test
  void aScheduleSkipsOverlapsPausesOnFailureAndCarriesTheWindowInTheRequest() {
    StartWindow window = ScheduleDefinition.parseWindow("22:00-04:00", "Europe/Berlin", List.of("SAT"));
    ScheduleDefinition definition = new ScheduleDefinition("s", REQUEST, "0 23 * * SAT", null, "Europe/Berlin",
        window, "evolve-node-pools", false, "note");

    Schedule schedule = definition.toSchedule();

    assertEquals(ScheduleOverlapPolicy.SCHEDULE_OVERLAP_POLICY_SKIP, schedule.getPolicy().getOverlap());
    assertTrue(schedule.getPolicy().isPauseOnFailure());
    assertEquals(Duration.ofHours(6), schedule.getPolicy().getCatchupWindow(), "the window's length, past midnight");
    assertEquals(List.of("0 23 * * SAT"), schedule.getSpec().getCronExpressions());
    assertEquals("Europe/Berlin", schedule.getSpec().getTimeZoneName());
    ScheduleActionStartWorkflow action = (ScheduleActionStartWorkflow) schedule.getAction();
    assertEquals("NodePoolUpgrade", action.getWorkflowType());
    assertEquals("evolve/p/europe-west1/prod/default-pool", action.getOptions().getWorkflowId());
    assertEquals("evolve-node-pools", action.getOptions().getTaskQueue());
  }

  @Test
  void withoutAWindowMissedStartsAreMadeUpForAnHourOnly() {
    ScheduleDefinition definition = new ScheduleDefinition("s", REQUEST, null, Duration.ofDays(7), "UTC", null,
        "q", true, "n");

    assertEquals(Duration.ofHours(1), definition.catchupWindow());
    assertEquals(Duration.ofDays(7), definition.toSchedule().getSpec().getIntervals().get(0).getEvery());
    assertTrue(definition.toSchedule().getState().isPaused());
  }

  @Test
  void badCadenceOptionsAreNamed() {
    List<String> problems = ScheduleDefinition.problems("0 3 * *", "soon", "Mars/Base", "2-6");

    assertEquals(5, problems.size(), problems.toString());
    assertTrue(problems.get(0).contains("exactly one of --cron"), problems.get(0));
    assertTrue(problems.get(1).startsWith("--cron"), problems.get(1));
    assertTrue(problems.get(2).startsWith("--every"), problems.get(2));
    assertTrue(problems.get(3).startsWith("--time-zone"), problems.get(3));
    assertTrue(problems.get(4).startsWith("--window"), problems.get(4));
  }
}
