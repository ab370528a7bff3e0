package dev.evolve.it;

import java.time.Duration;
import java.util.HashMap;
import java.util.List;
import java.util.Map;
import java.util.regex.Pattern;

/**
 * The worker as its own process ({@code ./evolve worker}), connected like any Temporal app through
 * TEMPORAL_ADDRESS and to the sandbox through the variables of its worker.env. The crash tests
 * kill it with SIGKILL and start the next one with {@link #restart()}.
 */
public final class WorkerProcess implements AutoCloseable {

  private static final Pattern READY = Pattern.compile("worker polling task queue");

  private final String name;
  private final Map<String, String> env;
  private ManagedProcess current;
  private int generation;

  private WorkerProcess(String name, Map<String, String> env) {
    this.name = name;
    this.env = env;
  }

  public static WorkerProcess start(String name, String temporalAddress, SandboxProcess sandbox) {
    return start(name, temporalAddress, sandbox, "evolve-node-pools");
  }

  public static WorkerProcess start(String name, String temporalAddress, SandboxProcess sandbox, String taskQueue) {
    Map<String, String> env = new HashMap<>(sandbox.workerEnvironment());
    env.put("TEMPORAL_ADDRESS", temporalAddress);
    env.put("TEMPORAL_NAMESPACE", "default");
    env.put("EVOLVE_TASK_QUEUE", taskQueue);
    WorkerProcess worker = new WorkerProcess(name, env);
    worker.launch();
    return worker;
  }

  public void kill() {
    current.kill();
  }

  /** A new worker process in the killed one's place; returns once it polls. */
  public void restart() {
    launch();
  }

  private void launch() {
    generation++;
    current = ManagedProcess.start(name + "-" + generation,
        ManagedProcess.java("dev.evolve.worker.EvolveWorker", List.of()), env);
    current.awaitLogLine(READY, Duration.ofSeconds(60));
  }

  @Override
  public void close() {
    if (current != null) {
      current.close();
    }
  }
}
