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
    return new KubernetesClientBuilder().withConfig(config).build();
  }
}
