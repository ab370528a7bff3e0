package dev.evolve.workflows.model;

import com.fasterxml.jackson.annotation.JsonIgnoreProperties;

/**
 * A Kafka cluster run by a StatefulSet whose brokers move one at a time, each behind health gates.
 * Client security settings (SASL, TLS) are worker configuration, never part of a workflow input.
 *
 * @param namespace namespace of the StatefulSet
 * @param statefulSet the StatefulSet whose pods are the brokers
 * @param bootstrapServers how the worker reaches the brokers; default: the worker's configuration
 * @param brokerIdOffset broker id = pod ordinal + offset (default 0)
 * @param settleSeconds timer between one broker being caught up and the next one moving (default 60)
 * @param healthGateSeconds how long a gate may wait for the cluster to be healthy before the cycle
 *     pauses and asks a human (default 600)
 */
@JsonIgnoreProperties(ignoreUnknown = true)
public record KafkaRotation(
    String namespace,
    String statefulSet,
    String bootstrapServers,
    Integer brokerIdOffset,
    Long settleSeconds,
    Long healthGateSeconds) {

  public static final long DEFAULT_SETTLE_SECONDS = 60;
  public static final long DEFAULT_HEALTH_GATE_SECONDS = 600;

  public int brokerIdOffsetOrDefault() {
    return brokerIdOffset != null ? brokerIdOffset : 0;
  }

  public long settleSecondsOrDefault() {
    return settleSeconds != null ? settleSeconds : DEFAULT_SETTLE_SECONDS;
  }

  public long healthGateSecondsOrDefault() {
    return healthGateSeconds != null ? healthGateSeconds : DEFAULT_HEALTH_GATE_SECONDS;
  }

  public WorkloadRef workloadRef() {
    return new WorkloadRef(namespace, "StatefulSet", statefulSet);
  }

  public KafkaTarget target() {
    return new KafkaTarget(bootstrapServers);
  }
}
