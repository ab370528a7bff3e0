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
 * @param metricsPort EVOLVE_METRICS_PORT: the HTTP port of /metrics, /healthz and /readyz (default
 *     {@value #DEFAULT_METRICS_PORT}); {@code off} serves none of them, and is then null
 */
public record WorkerSettings(String taskQueue, String gkeEndpoint, String kubeContext, Duration gkePollInterval,
    WorkerCapacity capacity, Integer metricsPort) {

  static final Duration DEFAULT_GKE_POLL_INTERVAL = Duration.ofSeconds(10);
  /** The port OpenTelemetry's Prometheus exporter uses by default: free of Temporal's 7233/8233 and the Web UI's 8080. */
  static final int DEFAULT_METRICS_PORT = 9464;

  public static WorkerSettings fromEnvironment(Map<String, String> env) {
    return new WorkerSettings(
        env.getOrDefault("EVOLVE_TASK_QUEUE", NodePoolUpgradeWorkflow.TASK_QUEUE),
        setOrNull(env.get("EVOLVE_GKE_ENDPOINT")),
        setOrNull(env.get("EVOLVE_KUBE_CONTEXT")),
        gkePollInterval(setOrNull(env.get("EVOLVE_GKE_POLL_SECONDS"))),
        WorkerCapacity.fromEnvironment(env),
        metricsPort(setOrNull(env.get("EVOLVE_METRICS_PORT"))));
  }

  private static Integer metricsPort(String value) {
    if (value == null) {
      return DEFAULT_METRICS_PORT;
    }
    if (value.trim().equalsIgnoreCase("off")) {
      return null;
    }
    try {
      int port = Integer.parseInt(value.trim());
      if (port >= 1 && port <= 65535) {
        return port;
      }
    } catch (NumberFormatException e) {
      // reported below, with the variable's name
    }
    throw new IllegalArgumentException("EVOLVE_METRICS_PORT must be a port from 1 to 65535, or off, was '"
        + value + "'");
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
