package dev.evolve.worker;

import io.temporal.worker.WorkerFactoryOptions;
import io.temporal.worker.WorkerOptions;
import java.util.Map;

/**
 * How much one worker takes on at once. Each variable left unset keeps the Temporal SDK's default,
 * which is what the worker always ran with before these could be set.
 *
 * <p>Sizing (scripts/benchmark-many-cycles.sh measures it, README "One worker, many cycles"): every
 * cycle under way keeps two workflows in the worker's cache, itself and its pool lock, and holds
 * 2 + (moves in flight) workflow threads: its own, its lock's, one per move lane. So the default
 * 600 threads carry about 200 cycles moving one workload at a time and about 50 moving ten, and
 * the default cache of 600 about 300 cycles; beyond that the worker evicts cycles and replays them.
 * Activities hold their slot while they wait for GKE, a move or a Kafka gate, so a worker needs
 * about one activity slot per move in flight across its cycles (up to {@code moveParallelism}
 * each). With many cycles under way, more workflow pollers let new cycles in: the SDK polls only
 * the worker's own (sticky) queue while more tasks wait there than it has pollers, and a new
 * cycle's first task waits on the shared queue meanwhile.
 *
 * @param workflowPollers EVOLVE_WORKFLOW_POLLERS: concurrent polls for workflow tasks (SDK default 5)
 * @param activityPollers EVOLVE_ACTIVITY_POLLERS: concurrent polls for activity tasks (SDK default 5)
 * @param workflowTaskSlots EVOLVE_MAX_CONCURRENT_WORKFLOW_TASKS: workflow tasks run at once (SDK default 200)
 * @param activitySlots EVOLVE_MAX_CONCURRENT_ACTIVITIES: activities run at once (SDK default 200)
 * @param workflowCacheSize EVOLVE_WORKFLOW_CACHE_SIZE: workflows kept in memory between tasks (SDK default 600)
 * @param workflowThreads EVOLVE_MAX_WORKFLOW_THREADS: threads for workflow code, cached workflows
 *     included (SDK default 600)
 */
public record WorkerCapacity(Integer workflowPollers, Integer activityPollers, Integer workflowTaskSlots,
    Integer activitySlots, Integer workflowCacheSize, Integer workflowThreads) {

  public static final WorkerCapacity SDK_DEFAULTS = new WorkerCapacity(null, null, null, null, null, null);

  static WorkerCapacity fromEnvironment(Map<String, String> env) {
    return new WorkerCapacity(
        positive(env, "EVOLVE_WORKFLOW_POLLERS"),
        positive(env, "EVOLVE_ACTIVITY_POLLERS"),
        positive(env, "EVOLVE_MAX_CONCURRENT_WORKFLOW_TASKS"),
        positive(env, "EVOLVE_MAX_CONCURRENT_ACTIVITIES"),
        positive(env, "EVOLVE_WORKFLOW_CACHE_SIZE"),
        positive(env, "EVOLVE_MAX_WORKFLOW_THREADS"));
  }

  /** Unset or blank (compose files pass unset variables as empty strings): null, the SDK's default. */
  private static Integer positive(Map<String, String> env, String name) {
    String value = env.get(name);
    if (value == null || value.isBlank()) {
      return null;
    }
    try {
      int n = Integer.parseInt(value.trim());
      if (n > 0) {
        return n;
      }
    } catch (NumberFormatException e) {
      // reported below, with the variable's name
    }
    throw new IllegalArgumentException(name + " must be a whole number above 0, was '" + value + "'");
  }

  /** The factory's options with the SDK's defaults filled in, so that {@link #describe} shows what is in effect. */
  public WorkerFactoryOptions factoryOptions() {
    WorkerFactoryOptions.Builder builder = WorkerFactoryOptions.newBuilder();
    if (workflowCacheSize != null) {
      builder.setWorkflowCacheSize(workflowCacheSize);
    }
    if (workflowThreads != null) {
      builder.setMaxWorkflowThreadCount(workflowThreads);
    }
    return builder.validateAndBuildWithDefaults();
  }

  public WorkerOptions workerOptions() {
    WorkerOptions.Builder builder = WorkerOptions.newBuilder();
    if (workflowPollers != null) {
      builder.setMaxConcurrentWorkflowTaskPollers(workflowPollers);
    }
    if (activityPollers != null) {
      builder.setMaxConcurrentActivityTaskPollers(activityPollers);
    }
    if (workflowTaskSlots != null) {
      builder.setMaxConcurrentWorkflowTaskExecutionSize(workflowTaskSlots);
    }
    if (activitySlots != null) {
      builder.setMaxConcurrentActivityExecutionSize(activitySlots);
    }
    return builder.validateAndBuildWithDefaults();
  }

  /** What the worker runs with, defaults included, for its start-up log line. */
  public String describe() {
    WorkerFactoryOptions factory = factoryOptions();
    WorkerOptions worker = workerOptions();
    return "workflow pollers " + worker.getMaxConcurrentWorkflowTaskPollers()
        + ", activity pollers " + worker.getMaxConcurrentActivityTaskPollers()
        + ", workflow tasks at once " + worker.getMaxConcurrentWorkflowTaskExecutionSize()
        + ", activities at once " + worker.getMaxConcurrentActivityExecutionSize()
        + ", workflow cache " + factory.getWorkflowCacheSize()
        + ", workflow threads " + factory.getMaxWorkflowThreadCount();
  }
}
