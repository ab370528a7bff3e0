package dev.evolve.workflows.model;

import com.fasterxml.jackson.annotation.JsonIgnoreProperties;

/**
 * How the Kafka activities reach a cluster. A null bootstrap list means: use the worker's own
 * configuration ({@code EVOLVE_KAFKA_BOOTSTRAP_SERVERS} and client properties).
 */
@JsonIgnoreProperties(ignoreUnknown = true)
public record KafkaTarget(String bootstrapServers) {}
