package dev.evolve.worker;

import dev.evolve.workflows.NodePoolUpgradeWorkflow;
import java.util.Map;

/**
 * What the worker reads from its environment besides the Temporal connection.
 *
 * @param taskQueue EVOLVE_TASK_QUEUE (default {@value NodePoolUpgradeWorkflow#TASK_QUEUE})
 * @param gkeEndpoint EVOLVE_GKE_ENDPOINT: host:port of a GKE stand-in (plaintext); unset means the
 *     real GKE API with Application Default Credentials
 * @param kubeContext EVOLVE_KUBE_CONTEXT: kubeconfig context (default: the current one)
 *     (Kafka is reached through EVOLVE_KAFKA_BOOTSTRAP_SERVERS and EVOLVE_KAFKA_CLIENT_PROPERTIES,
 *     read by the Kafka activities' own configuration)
 */
public record WorkerSettings(String taskQueue, String gkeEndpoint, String kubeContext) {

  public static WorkerSettings fromEnvironment(Map<String, String> env) {
    return new WorkerSettings(
        env.getOrDefault("EVOLVE_TASK_QUEUE", NodePoolUpgradeWorkflow.TASK_QUEUE),
        setOrNull(env.get("EVOLVE_GKE_ENDPOINT")),
        setOrNull(env.get("EVOLVE_KUBE_CONTEXT")));
  }

  /** Compose files and CI systems pass unset variables as empty strings. */
  private static String setOrNull(String value) {
    return value == null || value.isBlank() ? null : value;
  }

  public String gkeEndpointOrDefault() {
    return gkeEndpoint == null ? "container.googleapis.com (ADC)" : gkeEndpoint;
  }
}
