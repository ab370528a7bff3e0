package dev.evolve.activities.kube;

import static org.junit.jupiter.api.Assertions.assertEquals;

import io.fabric8.kubernetes.client.Config;
import io.fabric8.kubernetes.client.KubernetesClient;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.HashMap;
import java.util.List;
import java.util.Map;
import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.BeforeEach;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

/**
 * In a pod there is no kubeconfig: the worker's client must then take the pod's service account
 * (the API server's address from KUBERNETES_SERVICE_HOST/PORT, the token file Kubernetes mounts).
 * fabric8 reads each of those from a system property before the environment, which lets a test
 * play the pod without touching the real environment. Nothing is sent anywhere.
 */
class KubeClientsTest {

  static final List<String> PROPERTIES = List.of(Config.KUBERNETES_KUBECONFIG_FILE,
      Config.KUBERNETES_SERVICE_HOST_PROPERTY, Config.KUBERNETES_SERVICE_PORT_PROPERTY,
      Config.KUBERNETES_AUTH_SERVICEACCOUNT_TOKEN_FILE_SYSTEM_PROPERTY, Config.KUBERNETES_MASTER_SYSTEM_PROPERTY);

  final Map<String, String> saved = new HashMap<>();

  @TempDir
  Path dir;

  @BeforeEach
  void save() {
    PROPERTIES.forEach(p -> saved.put(p, System.getProperty(p)));
  }

  @AfterEach
  void restore() {
    saved.forEach((p, v) -> {
      if (v == null) {
        System.clearProperty(p);
      } else {
        System.setProperty(p, v);
      }
    });
  }

  @Test
  void withoutAKubeconfigTheClientTakesThePodsServiceAccount() throws Exception {
    Path token = Files.writeString(dir.resolve("token"), "token-of-the-pod");
    System.setProperty(Config.KUBERNETES_KUBECONFIG_FILE, dir.resolve("no-such-kubeconfig").toString());
    System.clearProperty(Config.KUBERNETES_MASTER_SYSTEM_PROPERTY);
    System.setProperty(Config.KUBERNETES_SERVICE_HOST_PROPERTY, "127.0.0.1");
    System.setProperty(Config.KUBERNETES_SERVICE_PORT_PROPERTY, "6443");
    System.setProperty(Config.KUBERNETES_AUTH_SERVICEACCOUNT_TOKEN_FILE_SYSTEM_PROPERTY, token.toString());

    try (KubernetesClient client = KubeClients.fromKubeconfig(null)) {
      Config config = client.getConfiguration();
      assertEquals("https://127.0.0.1:6443/", config.getMasterUrl());
      String used = config.getAutoOAuthToken() != null ? config.getAutoOAuthToken() : config.getOauthToken();
      assertEquals("token-of-the-pod", used);
      // the activities retry on their own terms, in a pod as anywhere
      assertEquals(0, config.getRequestRetryBackoffLimit());
    }
  }
}
