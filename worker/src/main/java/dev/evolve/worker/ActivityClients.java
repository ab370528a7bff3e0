package dev.evolve.worker;

import com.google.cloud.container.v1.ClusterManagerClient;
import dev.evolve.activities.gke.GkeActivitiesImpl;
import dev.evolve.activities.gke.KubernetesPoolNodes;
import dev.evolve.activities.gke.GkeClients;
import dev.evolve.activities.kafka.KafkaActivitiesImpl;
import dev.evolve.activities.kafka.KafkaClientConfig;
import dev.evolve.activities.kube.KubeClients;
import dev.evolve.activities.kube.KubernetesActivitiesImpl;
import dev.evolve.activities.podgates.KafkaGatesByTarget;
import dev.evolve.activities.podgates.PodReadinessKafkaActivities;
import dev.evolve.workflows.activities.KafkaActivities;
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

  /** Admin API gates, or pod-readiness gates for a request naming {@code pods://NAMESPACE/STATEFULSET}. */
  KafkaActivities kafkaGates() {
    return new KafkaGatesByTarget(new KafkaActivitiesImpl(kafka), new PodReadinessKafkaActivities(kubeClient));
  }

  @Override
  public void close() {
    gkeClient.close();
    kubeClient.close();
  }
}
