package dev.evolve.worker;

import dev.evolve.workflows.NodePoolUpgradeWorkflow;
import java.time.Duration;
import java.util.Map;

/**
 * What the worker reads from its environment besides the Temporal connection.
 *
 * @param taskQueue EVOLVE_TASK_QUEUE (default {@value NodePoolUpgradeWorkflow#TASK_QUEUE})
 * @param gkeEndpoint EVOLVE_GKE_ENDPOINT: host:port of a GKE stand-in (plaintext); unset means the
 *     real GKE API with Application Default Credentials
 * @param kubeContext EVOLVE_KUBE_CONTEXT: kubeconfig context (default: the current one)
 * @param gkePollInterval EVOLVE_GKE_POLL_SECONDS: how often a running GKE operation is checked
 *     (default 10 s; real operations take minutes, the sandbox's fake ones a second)
 *     (Kafka is reached through EVOLVE_KAFKA_BOOTSTRAP_SERVERS and EVOLVE_KAFKA_CLIENT_PROPERTIES,
 *     read by the Kafka activities' own configuration)
 * @param capacity how much the worker takes on at once (EVOLVE_WORKFLOW_POLLERS and others, see
 *     {@link WorkerCapacity}); unset means the Temporal SDK's defaults
 */
public record WorkerSettings(String taskQueue, String gkeEndpoint, String kubeContext, Duration gkePollInterval,
    WorkerCapacity capacity) {

  static final Duration DEFAULT_GKE_POLL_INTERVAL = Duration.ofSeconds(10);

  public static WorkerSettings fromEnvironment(Map<String, String> env) {
    return new WorkerSettings(
        env.getOrDefault("EVOLVE_TASK_QUEUE", NodePoolUpgradeWorkflow.TASK_QUEUE),
        setOrNull(env.get("EVOLVE_GKE_ENDPOINT")),
        setOrNull(env.get("EVOLVE_KUBE_CONTEXT")),
        gkePollInterval(setOrNull(env.get("EVOLVE_GKE_POLL_SECONDS"))),
        WorkerCapacity.fromEnvironment(env));
  }

  /** Compose files and CI systems pass unset variables as empty strings. */
  private static String setOrNull(String value) {
    return value == null || value.isBlank() ? null : value;
  }

  private static Duration gkePollInterval(String seconds) {
    if (seconds == null) {
      return DEFAULT_GKE_POLL_INTERVAL;
    }
    try {
      double value = Double.parseDouble(seconds.trim());
      if (value > 0) {
        return Duration.ofMillis(Math.round(value * 1000));
      }
    } catch (NumberFormatException e) {
      // reported below, with the variable's name
    }
    throw new IllegalArgumentException("EVOLVE_GKE_POLL_SECONDS must be a number of seconds above 0, was '"
        + seconds + "'");
  }

  public String gkeEndpointOrDefault() {
    return gkeEndpoint == null ? "container.googleapis.com (ADC)" : gkeEndpoint;
  }
}
