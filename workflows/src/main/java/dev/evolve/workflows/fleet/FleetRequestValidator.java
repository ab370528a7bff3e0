package dev.evolve.workflows.fleet;

import dev.evolve.workflows.model.PoolKey;
import dev.evolve.workflows.model.UpgradeRequest;
import dev.evolve.workflows.plan.RequestValidator;
import java.util.ArrayList;
import java.util.HashMap;
import java.util.List;
import java.util.Map;

/**
 * Checks a fleet before any cycle starts: a typo in the twentieth pool must not surface after
 * the canary has been upgraded. Every problem names the field and the fix.
 */
public final class FleetRequestValidator {

  private FleetRequestValidator() {}

  public static List<String> problems(FleetRequest fleet) {
    List<String> problems = new ArrayList<>();
    if (fleet == null) {
      problems.add("the fleet is empty: give at least targetVersion and pools");
      return problems;
    }
    List<FleetPool> pools = fleet.poolsOrEmpty();
    if (pools.isEmpty()) {
      problems.add("pools is empty: list the pools to upgrade, each with project, location, cluster and nodePool");
    }
    if (fleet.canarySize() != null && (fleet.canarySize() < 1 || fleet.canarySize() > Math.max(1, pools.size()))) {
      problems.add("canarySize must be 1 to the number of pools (" + pools.size() + "), got " + fleet.canarySize()
          + ": how many of the first pools are upgraded alone before the others");
    }
    if (fleet.waveSize() != null && fleet.waveSize() < 1) {
      problems.add("waveSize must be at least 1, got " + fleet.waveSize() + ": pools upgraded side by side after the canary");
    }
    if (fleet.soakSeconds() != null && fleet.soakSeconds() < 0) {
      problems.add("soakSeconds must be 0 or more, got " + fleet.soakSeconds());
    }
    checkDefaults(problems, fleet.defaults());
    Map<PoolKey, Integer> seen = new HashMap<>();
    for (int i = 0; i < pools.size(); i++) {
      FleetPool pool = pools.get(i);
      String field = "pools[" + i + "]";
      if (pool == null) {
        problems.add(field + " is empty");
        continue;
      }
      Integer first = seen.putIfAbsent(pool.key(), i);
      if (first != null) {
        problems.add(field + " repeats pools[" + first + "] (" + pool.path() + "): list each pool once");
      }
      for (String problem : RequestValidator.problems(fleet.requestFor(pool))) {
        problems.add(field + " (" + pool.path() + "): " + problem
            + (problem.startsWith("targetVersion") && fleet.targetVersion() == null ? " (or set the fleet's targetVersion)" : ""));
      }
    }
    return problems;
  }

  /** The fields that name a pool belong to the pool: in defaults they would be silently overridden. */
  private static void checkDefaults(List<String> problems, UpgradeRequest defaults) {
    if (defaults == null) {
      return;
    }
    Map<String, Object> perPool = new java.util.LinkedHashMap<>();
    perPool.put("project", defaults.project());
    perPool.put("location", defaults.location());
    perPool.put("cluster", defaults.cluster());
    perPool.put("nodePool", defaults.nodePool());
    perPool.put("targetVersion", defaults.targetVersion());
    perPool.put("kafka", defaults.kafka());
    perPool.forEach((field, value) -> {
      if (value != null) {
        problems.add("defaults." + field + " is set: " + field + " is per pool; set it in pools[]"
            + (field.equals("targetVersion") ? " or as the fleet's targetVersion" : ""));
      }
    });
  }
}
