package dev.evolve.workflows.model;

import com.fasterxml.jackson.annotation.JsonIgnoreProperties;

/** Argument of the {@code pauseCycle} update: why, and who asks. */
@JsonIgnoreProperties(ignoreUnknown = true)
public record PauseRequest(String reason, String by) {}
