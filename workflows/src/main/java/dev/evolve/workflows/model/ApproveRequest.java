package dev.evolve.workflows.model;

import com.fasterxml.jackson.annotation.JsonIgnoreProperties;

/** Argument of the {@code approveCycle} update: who approves (recorded in history and result). */
@JsonIgnoreProperties(ignoreUnknown = true)
public record ApproveRequest(String by) {}
