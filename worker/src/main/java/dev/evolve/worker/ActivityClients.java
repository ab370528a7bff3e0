package dev.evolve.worker;

import com.google.cloud.container.v1.ClusterManagerClient;
import dev.evolve.activities.gke.GkeActivitiesImpl;
import dev.evolve.activities.gke.KubernetesPoolNodes;
import dev.evolve.activities.gke.GkeClients;
import dev.evolve.activities.kafka.KafkaActivitiesImpl;
import dev.evolve.activities.kafka.KafkaClientConfig;
import dev.evolve.activities.kube.KubeClients;
import dev.evolve.activities.kube.KubernetesActivitiesImpl;
import io.fabric8.kubernetes.client.KubernetesClient;
import java.time.Duration;
import java.util.Map;

/** The activities on their real clients, built from the worker's environment; closes the clients. */
record ActivityClients(ClusterManagerClient gkeClient, Duration gkePollInterval, KubernetesClient kubeClient,
    KafkaClientConfig kafka) implements AutoCloseable {

  static ActivityClients fromEnvironment(WorkerSettings settings, Map<String, String> env) throws Exception {
    return new ActivityClients(GkeClients.create(settings.gkeEndpoint()), settings.gkePollInterval(),
        KubeClients.fromKubeconfig(settings.kubeContext()), KafkaClientConfig.fromEnvironment(env));
  }

  GkeActivitiesImpl gke() {
    return new GkeActivitiesImpl(gkeClient, gkePollInterval, new KubernetesPoolNodes(kubeClient));
  }

  KubernetesActivitiesImpl kubernetes() {
    return new KubernetesActivitiesImpl(kubeClient);
  }

  /** The gates read Kafka itself, through the Admin API: never a pod's readiness or annotations. */
  KafkaActivitiesImpl kafkaGates() {
    return new KafkaActivitiesImpl(kafka);
  }

  @Override
  public void close() {
    gkeClient.close();
    kubeClient.close();
  }
}
