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
 * @param kafkaGates EVOLVE_KAFKA_GATES: {@code admin-api} (default) asks Kafka itself;
 *     {@code pod-readiness} judges brokers by their pods only (the sandbox, or clusters the
 *     worker cannot reach over Kafka's protocol)
 */
public record WorkerSettings(String taskQueue, String gkeEndpoint, String kubeContext, String kafkaGates) {

  public static WorkerSettings fromEnvironment(Map<String, String> env) {
    String gates = env.getOrDefault("EVOLVE_KAFKA_GATES", "admin-api");
    if (!gates.equals("admin-api") && !gates.equals("pod-readiness")) {
      throw new IllegalArgumentException("EVOLVE_KAFKA_GATES must be admin-api or pod-readiness, not '" + gates + "'");
    }
    return new WorkerSettings(
        env.getOrDefault("EVOLVE_TASK_QUEUE", NodePoolUpgradeWorkflow.TASK_QUEUE),
        env.get("EVOLVE_GKE_ENDPOINT"),
        env.get("EVOLVE_KUBE_CONTEXT"),
        gates);
  }

  public String gkeEndpointOrDefault() {
    return gkeEndpoint == null ? "container.googleapis.com (ADC)" : gkeEndpoint;
  }
}
