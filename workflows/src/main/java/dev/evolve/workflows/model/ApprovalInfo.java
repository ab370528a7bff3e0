package dev.evolve.workflows.model;

import com.fasterxml.jackson.annotation.JsonIgnoreProperties;

/**
 * Who let the cycle upgrade the original pool, and when.
 *
 * @param approvedBy the name given with the approval
 * @param approvedAtMillis workflow time the approval arrived
 * @param via {@code update} (approveCycle, validated) or {@code signal} (approve)
 */
@JsonIgnoreProperties(ignoreUnknown = true)
public record ApprovalInfo(String approvedBy, long approvedAtMillis, String via) {}
