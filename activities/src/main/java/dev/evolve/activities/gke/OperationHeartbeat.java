package dev.evolve.activities.gke;

import com.fasterxml.jackson.annotation.JsonIgnoreProperties;

/**
 * Heartbeat details of an activity that waits for a GKE operation: a retried attempt reads the
 * operation's name from here and waits for that same operation instead of starting another.
 */
@JsonIgnoreProperties(ignoreUnknown = true)
public record OperationHeartbeat(String operation, String progress) {}
