package dev.evolve.it.chaos;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertTrue;

import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.ObjectMapper;
import dev.evolve.sandbox.SandboxStatus.PoolStatus;
import dev.evolve.sandbox.SandboxStatus;
import java.util.List;
import java.util.Map;
import java.util.Set;
import org.junit.jupiter.api.Test;

/** The soak's checks on made-up outcomes: each breach is named, a clean cycle passes. */
class CycleInvariantsTest {

  private static final ObjectMapper JSON = new ObjectMapper();
  private static final String OLD = "1.32.9-gke.1100000";
  private static final String NEW = "1.33.5-gke.1201000";
  private final CycleInvariants invariants = new CycleInvariants("default-pool", OLD, NEW);
  private final SandboxStatus before = status(Map.of("default-pool", new PoolStatus(OLD, "RUNNING", 3)), List.of());
  private final SandboxStatus upgraded = status(Map.of("default-pool", new PoolStatus(NEW, "RUNNING", 3)), List.of());
  private final SchedulingSnapshot scheduling = new SchedulingSnapshot(Map.of("shop/Deployment/web",
      JSON.createObjectNode().put("nodeSelector", "none")));

  @Test
  void aCleanUpgradePasses() {
    assertEquals(List.of(), check("COMPLETED", "SUCCEEDED", upgraded, scheduling, 2, Set.of("v" + NEW)));
  }

  @Test
  void aRollbackOnTheOldVersionPasses() {
    assertEquals(List.of(), check("FAILED", "ROLLED_BACK", before, scheduling, 2, Set.of("v" + OLD)));
  }

  @Test
  void eachBreachIsNamed() {
    assertBreach("not a documented terminal state", check("TERMINATED", "RUNNING", upgraded, scheduling, 2,
        Set.of("v" + NEW)));
    assertBreach("CANCELLED although nobody", check("CANCELED", "CANCELLED", before, scheduling, 2, Set.of("v" + OLD)));
    assertBreach("two temporary pools", check("COMPLETED", "SUCCEEDED", upgraded, scheduling, 3, Set.of("v" + NEW)));
    assertBreach("pools left", check("COMPLETED", "SUCCEEDED", status(Map.of("default-pool",
        new PoolStatus(NEW, "RUNNING", 3), "default-pool-temp", new PoolStatus(NEW, "RUNNING", 3)), List.of()),
        scheduling, 2, Set.of("v" + NEW)));
    assertBreach("PodDisruptionBudget violations", check("COMPLETED", "SUCCEEDED",
        new SandboxStatus(upgraded.pools(), upgraded.podsPerPool(), 0, List.of("shop/web below 2"), Map.of(), Map.of(),
            null, List.of()), scheduling, 2, Set.of("v" + NEW)));
    assertBreach("pods lost", check("COMPLETED", "SUCCEEDED", new SandboxStatus(upgraded.pools(),
        upgraded.podsPerPool(), 0, List.of(), Map.of(), Map.of(), null, List.of("shop/web-1 on node-a")), scheduling,
        2, Set.of("v" + NEW)));
    assertBreach("scheduling not as before", check("COMPLETED", "SUCCEEDED", upgraded,
        new SchedulingSnapshot(Map.of("shop/Deployment/web", JSON.createObjectNode().put("nodeSelector", "temp"))), 2,
        Set.of("v" + NEW)));
    assertBreach("between versions", check("COMPLETED", "SUCCEEDED", upgraded, scheduling, 2,
        Set.of("v" + NEW, "v" + OLD)));
    assertBreach("SUCCEEDED but", check("COMPLETED", "SUCCEEDED", before, scheduling, 2, Set.of("v" + OLD)));
    assertBreach("not every workload back", check("COMPLETED", "SUCCEEDED", new SandboxStatus(upgraded.pools(),
        Map.of("default-pool", 5, "default-pool-temp", 1), 0, List.of(), Map.of(), Map.of(), null, List.of()),
        scheduling, 2, Set.of("v" + NEW)));
  }

  private List<String> check(String execution, String status, SandboxStatus after, SchedulingSnapshot schedulingAfter,
      int mostPools, Set<String> nodeVersions) {
    JsonNode progress = JSON.createObjectNode().put("status", status).put("phase", "DONE");
    return invariants.check(execution, progress, false, before, after, scheduling, schedulingAfter, mostPools,
        nodeVersions);
  }

  private static void assertBreach(String expected, List<String> breaches) {
    assertTrue(breaches.stream().anyMatch(b -> b.contains(expected)), "expected '" + expected + "' in " + breaches);
  }

  private static SandboxStatus status(Map<String, PoolStatus> pools, List<String> disruptions) {
    return new SandboxStatus(pools, Map.of("default-pool", 6), 0, disruptions, Map.of(), Map.of(), null, List.of());
  }
}
