package dev.evolve.activities.kube;

import io.fabric8.kubernetes.client.Config;
import io.fabric8.kubernetes.client.KubernetesClient;
import io.fabric8.kubernetes.client.KubernetesClientBuilder;

/** Kubernetes clients: kubeconfig ($KUBECONFIG or ~/.kube/config) or in-cluster, context selectable. */
public final class KubeClients {

  private KubeClients() {}

  /** @param context kubeconfig context; null for the current one (or in-cluster config) */
  public static KubernetesClient fromKubeconfig(String context) {
    Config config = context == null || context.isBlank() ? Config.autoConfigure(null) : Config.autoConfigure(context);
    return withoutClientRetries(config);
  }

  /**
   * fabric8 retries 429 and 5xx answers by itself, evictions included, for up to ten rounds
   * without telling anyone. The activities retry on their own terms instead (a PDB's 429 within
   * a budget, with heartbeats; anything else through Temporal), so the client must not.
   */
  public static KubernetesClient withoutClientRetries(Config config) {
    config.setRequestRetryBackoffLimit(0);
    return new KubernetesClientBuilder().withConfig(config).build();
  }
}
