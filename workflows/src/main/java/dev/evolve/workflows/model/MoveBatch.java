package dev.evolve.workflows.model;

import com.fasterxml.jackson.annotation.JsonIgnoreProperties;
import java.util.List;

/**
 * One batch of a large cycle's moves, run as a child workflow so that no workflow run's history
 * grows with the number of workloads (change id {@code move-batches-in-child-workflows}).
 *
 * @param request the cycle's request (pool names, timeouts, Kafka settings)
 * @param phase the cycle's phase the batch belongs to (MIGRATE, RESTORE or COMPENSATE)
 * @param number which batch of the cycle this is, counted from 1 over the whole cycle run (it names
 *     the child workflow and its reports)
 * @param part which part of the moves being made this batch is, counted from 1
 * @param parts how many batches those moves were cut into
 * @param toTemp true onto the temporary pool, false back off it
 * @param moves the planned moves, in plan order
 * @param onTemp moving back: what of these workloads is on the temporary pool (pods touched for
 *     pod-by-pod moves); empty moving onto it
 * @param workloads what PREPARE found about these workloads (budgets, requests), for the rules
 *     that decide which moves may run side by side
 * @param tempCpuMillisLeft the temporary pool's sized CPU less what earlier batches put on it
 *     (may be negative)
 * @param tempMemoryBytesLeft the same for memory
 * @param parallelism how many moves may run at once
 * @param attempts how many times each move activity is tried (more in a rollback)
 * @param workingStatus the cycle's status while it works (RUNNING, or COMPENSATING in a rollback)
 * @param control the user's pause and hold releases when the batch starts
 */
@JsonIgnoreProperties(ignoreUnknown = true)
public record MoveBatch(
    UpgradeRequest request,
    Phase phase,
    int number,
    int part,
    int parts,
    boolean toTemp,
    List<PlannedMove> moves,
    List<TouchedWorkload> onTemp,
    List<Workload> workloads,
    long tempCpuMillisLeft,
    long tempMemoryBytesLeft,
    int parallelism,
    int attempts,
    CycleStatus workingStatus,
    MoveBatchControl control) {}
