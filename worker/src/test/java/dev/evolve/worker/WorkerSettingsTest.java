package dev.evolve.worker;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertThrows;
import static org.junit.jupiter.api.Assertions.assertTrue;

import java.time.Duration;
import java.util.Map;
import org.junit.jupiter.api.Test;

class WorkerSettingsTest {

  @Test
  void gkePollIntervalComesFromTheEnvironmentInSeconds() {
    assertEquals(Duration.ofMillis(500),
        WorkerSettings.fromEnvironment(Map.of("EVOLVE_GKE_POLL_SECONDS", "0.5")).gkePollInterval());
    assertEquals(Duration.ofSeconds(3),
        WorkerSettings.fromEnvironment(Map.of("EVOLVE_GKE_POLL_SECONDS", "3")).gkePollInterval());
  }

  @Test
  void withoutTheVariableTheWorkerPollsGkeEveryTenSeconds() {
    assertEquals(Duration.ofSeconds(10), WorkerSettings.fromEnvironment(Map.of()).gkePollInterval());
  }

  @Test
  void aPollIntervalThatIsNotAPositiveNumberIsRefusedByName() {
    for (String bad : new String[] {"0", "-1", "soon"}) {
      IllegalArgumentException e = assertThrows(IllegalArgumentException.class,
          () -> WorkerSettings.fromEnvironment(Map.of("EVOLVE_GKE_POLL_SECONDS", bad)));
      assertTrue(e.getMessage().contains("EVOLVE_GKE_POLL_SECONDS"), e.getMessage());
    }
  }
}
