package dev.evolve.it;

import com.fasterxml.jackson.databind.JsonNode;
import dev.evolve.sandbox.SandboxStatus;
import java.util.function.BiPredicate;

/**
 * A moment of a cycle at which the crash tests kill the worker, recognised from the outside: the
 * workflow's {@code progress} query and the sandbox's status (e.g. the temporary pool still
 * PROVISIONING means the GKE operation is running).
 */
record KillPoint(String name, BiPredicate<JsonNode, SandboxStatus> reached) {

  static final String TEMP = "default-pool-temp";
  static final String POOL = "default-pool";

  boolean reachedBy(JsonNode progress, SandboxStatus status) {
    return reached.test(progress, status);
  }

  static boolean inPhase(JsonNode progress, String phase) {
    return progress.path("phase").asText().equals(phase);
  }

  /**
   * Whether one of the steps in flight starts with {@code prefix}. With parallel moves the step
   * reads "3 moves in flight: rolling out ...; moving kafka-1; ...", one part per move.
   */
  static boolean stepStartsWith(JsonNode progress, String prefix) {
    String step = progress.path("step").asText();
    int lanes = step.indexOf(" moves in flight: ");
    if (lanes < 0) {
      return step.startsWith(prefix);
    }
    return java.util.Arrays.stream(step.substring(lanes + " moves in flight: ".length()).split("; "))
        .anyMatch(part -> part.startsWith(prefix));
  }

  static String poolStatus(SandboxStatus status, String pool) {
    SandboxStatus.PoolStatus p = status.pools().get(pool);
    return p == null ? "ABSENT" : p.status();
  }
}
