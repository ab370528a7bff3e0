package dev.evolve.it.chaos;

import com.fasterxml.jackson.databind.JsonNode;
import dev.evolve.sandbox.SandboxStatus;
import java.util.ArrayList;
import java.util.List;
import java.util.Map;
import java.util.Set;

/**
 * What must hold after every cycle of the soak, whatever was injected. Each check returns the
 * breach in words, so that the soak can stop at the first one and say what it saw.
 *
 * @param pool the pool the cycles upgrade
 * @param originalVersion its version before each cycle
 * @param targetVersion the version each cycle asks for
 */
record CycleInvariants(String pool, String originalVersion, String targetVersion) {

  /** Documented ways for a cycle to end, by how Temporal closed the workflow. */
  private static final Map<String, Set<String>> TERMINAL = Map.of(
      "COMPLETED", Set.of("SUCCEEDED", "UPGRADED_WITH_ISSUES"),
      "FAILED", Set.of("ROLLED_BACK", "BLOCKED", "FAILED"),
      "CANCELED", Set.of("CANCELLED", "ROLLED_BACK"));

  /**
   * @param cancelled whether the soak cancelled the cycle
   * @param mostPoolsSeen the most pools the cluster had at any moment of the cycle
   * @param nodeVersions the kubelet versions of the pool's nodes after the cycle
   */
  List<String> check(String execution, JsonNode progress, boolean cancelled, SandboxStatus before, SandboxStatus after,
      SchedulingSnapshot schedulingBefore, SchedulingSnapshot schedulingAfter, int mostPoolsSeen,
      Set<String> nodeVersions) {
    List<String> breaches = new ArrayList<>();
    String status = progress == null ? "?" : progress.path("status").asText();
    String phase = progress == null ? "?" : progress.path("phase").asText();
    if (!TERMINAL.getOrDefault(execution, Set.of()).contains(status) || !phase.equals("DONE")) {
      breaches.add("ended " + execution + " with status " + status + " in phase " + phase
          + ": not a documented terminal state");
    }
    if (status.equals("CANCELLED") && !cancelled) {
      breaches.add("CANCELLED although nobody cancelled it");
    }
    if (after.disruptions().size() > before.disruptions().size()) {
      breaches.add("PodDisruptionBudget violations: " + after.disruptions().subList(before.disruptions().size(),
          after.disruptions().size()));
    }
    List<String> lostBefore = before.podsLost() == null ? List.of() : before.podsLost();
    List<String> lostAfter = after.podsLost() == null ? List.of() : after.podsLost();
    if (lostAfter.size() > lostBefore.size()) {
      breaches.add("pods lost with their node: " + lostAfter.subList(lostBefore.size(), lostAfter.size()));
    }
    if (mostPoolsSeen > 2) {
      breaches.add(mostPoolsSeen + " pools at once: two temporary pools");
    }
    if (!after.pools().keySet().equals(Set.of(pool))) {
      breaches.add("pools left: " + after.pools() + " (the policy DELETE keeps no temporary pool)");
    }
    if (!after.podsPerPool().equals(before.podsPerPool()) || after.pendingPods() != 0) {
      breaches.add("workload pods " + after.podsPerPool() + " (" + after.pendingPods() + " pending), before "
          + before.podsPerPool() + ": not every workload back on " + pool);
    }
    schedulingAfter.differencesFrom(schedulingBefore).forEach(d -> breaches.add("scheduling not as before: " + d));
    SandboxStatus.PoolStatus p = after.pools().get(pool);
    if (p != null) {
      Set<String> allowed = Set.of(originalVersion, targetVersion);
      if (!allowed.contains(p.version()) || !p.status().equals("RUNNING")) {
        breaches.add(pool + " is " + p.status() + " at " + p.version() + ": neither " + originalVersion + " nor "
            + targetVersion);
      }
      boolean upgraded = status.equals("SUCCEEDED") || status.equals("UPGRADED_WITH_ISSUES");
      if (upgraded && !p.version().equals(targetVersion)) {
        breaches.add(status + " but " + pool + " is at " + p.version());
      }
      if (nodeVersions.size() != 1 || !allowed.contains(nodeVersions.iterator().next().replaceFirst("^v", ""))) {
        breaches.add(pool + "'s nodes run " + nodeVersions + ": between versions");
      }
    }
    return breaches;
  }
}
