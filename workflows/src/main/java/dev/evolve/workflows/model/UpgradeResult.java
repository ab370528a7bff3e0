package dev.evolve.workflows.model;

import com.fasterxml.jackson.annotation.JsonIgnoreProperties;
import java.util.List;
import java.util.Map;

/**
 * How a cycle ended.
 *
 * @param status SUCCEEDED, UPGRADED_WITH_ISSUES (upgraded, but moving back or removing the
 *     temporary pool needed a retry or a human: see notes), PLANNED (dry run), NOTHING_TO_DO or
 *     SKIPPED_OUTSIDE_WINDOW; failures end the workflow with an error instead, so that Schedules
 *     and alerts see them
 * @param plan the plan it followed
 * @param poolVersion the original pool's version at the end
 * @param tempPool what happened to the temporary pool, e.g. {@code DELETED}
 * @param phases done/total and times of every phase
 * @param podsMoved pods moved off the pool and back, counted once per move
 * @param notes anything worth knowing
 * @param approval who approved the upgrade and when (null when none was asked for or given)
 */
@JsonIgnoreProperties(ignoreUnknown = true)
public record UpgradeResult(
    CycleStatus status,
    UpgradePlan plan,
    String poolVersion,
    String tempPool,
    Map<Phase, PhaseProgress> phases,
    int podsMoved,
    List<String> notes,
    ApprovalInfo approval) {}
