package dev.evolve.workflows.model;

import com.fasterxml.jackson.annotation.JsonIgnoreProperties;

/** A GKE operation: name, type (e.g. UPGRADE_NODES), status (PENDING, RUNNING, DONE, ABORTING), target. */
@JsonIgnoreProperties(ignoreUnknown = true)
public record OperationInfo(String name, String type, String status, String targetLink) {}
