package dev.evolve.activities.gke;

import com.fasterxml.jackson.annotation.JsonIgnoreProperties;

/**
 * Heartbeat details of an activity that waits for a GKE operation: a retried attempt reads the
 * operation's name from here and waits for that same operation instead of starting another.
 *
 * @param step what the operation is for (e.g. "UPGRADE_NODES default-pool"): an activity that runs
 *     several operations resumes an operation only in the step that started it
 * @param saved state an activity must not lose between attempts, e.g. a pool's upgrade settings as
 *     they were before the activity changed them (base64 of the protobuf)
 */
@JsonIgnoreProperties(ignoreUnknown = true)
public record OperationHeartbeat(String operation, String progress, String step, String saved) {

  public OperationHeartbeat(String operation, String progress) {
    this(operation, progress, null, null);
  }
}
