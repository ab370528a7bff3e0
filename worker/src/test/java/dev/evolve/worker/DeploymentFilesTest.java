package dev.evolve.worker;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertTrue;

import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.ObjectMapper;
import com.fasterxml.jackson.dataformat.yaml.YAMLFactory;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.List;
import java.util.concurrent.TimeUnit;
import java.util.regex.Matcher;
import java.util.regex.Pattern;
import org.junit.jupiter.api.Assumptions;
import org.junit.jupiter.api.Test;

/**
 * docker-compose.yml and the Dockerfile cannot run here (no Docker engine), so what can go stale
 * without anyone noticing is checked instead: services that depend on services that exist, files
 * that are mounted exist, images pinned, and the worker image starting this module's main class.
 */
class DeploymentFilesTest {

  static final Path ROOT = Path.of("..").toAbsolutePath().normalize();
  static final JsonNode COMPOSE = read(ROOT.resolve("docker-compose.yml"));

  static JsonNode read(Path file) {
    try {
      return new ObjectMapper(new YAMLFactory()).readTree(file.toFile());
    } catch (Exception e) {
      throw new AssertionError("cannot parse " + file + ": " + e.getMessage(), e);
    }
  }

  @Test
  void everyDependencyIsAServiceOfTheFile() {
    JsonNode services = COMPOSE.get("services");
    List<String> missing = new ArrayList<>();
    services.fields().forEachRemaining(service -> {
      JsonNode dependsOn = service.getValue().get("depends_on");
      if (dependsOn != null) {
        dependsOn.fieldNames().forEachRemaining(name -> {
          if (!services.has(name)) {
            missing.add(service.getKey() + " -> " + name);
          }
        });
      }
    });
    assertEquals(List.of(), missing);
    for (String expected : List.of("postgresql", "temporal", "temporal-ui", "worker")) {
      assertTrue(services.has(expected), "service " + expected);
    }
  }

  @Test
  void mountedFilesExistAndImagesArePinned() {
    List<String> problems = new ArrayList<>();
    COMPOSE.get("services").fields().forEachRemaining(service -> {
      JsonNode image = service.getValue().get("image");
      if (image != null && (image.asText().endsWith(":latest") || !image.asText().contains(":"))) {
        problems.add(service.getKey() + " image not pinned: " + image.asText());
      }
      JsonNode volumes = service.getValue().get("volumes");
      for (JsonNode volume : volumes == null ? List.<JsonNode>of() : volumes) {
        String source = volume.asText().split(":")[0];
        if (source.startsWith("./") && !Files.exists(ROOT.resolve(source))) {
          problems.add(service.getKey() + " mounts missing " + source);
        }
      }
    });
    assertEquals(List.of(), problems);
  }

  @Test
  void theWorkerImageRunsTheWorkerMain() throws Exception {
    String dockerfile = Files.readString(ROOT.resolve("Dockerfile"));
    Matcher entrypoint = Pattern.compile("ENTRYPOINT \\[.*\"([a-zA-Z.]+)\"\\]").matcher(dockerfile);
    assertTrue(entrypoint.find(), "Dockerfile has an exec-form ENTRYPOINT");
    assertEquals(EvolveWorker.class.getName(), entrypoint.group(1));
    assertEquals(".", COMPOSE.get("services").get("worker").get("build").asText());
    assertFalse(dockerfile.contains(":latest"), "base images pinned");
  }

  /** The real check, where Docker's compose plugin is installed. */
  @Test
  void composeAcceptsTheFile() throws Exception {
    Assumptions.assumeTrue(composeAvailable(), "docker compose plugin not installed here");
    Process config = new ProcessBuilder("docker", "compose", "-f", "docker-compose.yml", "config", "--quiet")
        .directory(ROOT.toFile()).redirectErrorStream(true).start();
    String output = new String(config.getInputStream().readAllBytes());
    assertTrue(config.waitFor(60, TimeUnit.SECONDS));
    assertEquals(0, config.exitValue(), output);
  }

  static boolean composeAvailable() {
    try {
      Process p = new ProcessBuilder("docker", "compose", "version").redirectErrorStream(true).start();
      p.getInputStream().readAllBytes();
      return p.waitFor(20, TimeUnit.SECONDS) && p.exitValue() == 0;
    } catch (Exception e) {
      return false;
    }
  }

  // ---- deploy/kubernetes/: what must agree with the worker, the Dockerfile and each other ----

  static final Path MANIFESTS = ROOT.resolve("deploy/kubernetes");

  static List<JsonNode> documents(Path file) {
    try {
      ObjectMapper yaml = new ObjectMapper(new YAMLFactory());
      List<JsonNode> documents = new ArrayList<>();
      try (var values = yaml.readerFor(JsonNode.class).readValues(file.toFile())) {
        while (values.hasNext()) {
          JsonNode document = (JsonNode) values.next();
          if (document != null && !document.isNull() && !document.isEmpty()) {
            documents.add(document);
          }
        }
      }
      return documents;
    } catch (Exception e) {
      throw new AssertionError("cannot parse " + file + ": " + e.getMessage(), e);
    }
  }

  static JsonNode only(String file, String kind) {
    List<JsonNode> found = documents(MANIFESTS.resolve(file)).stream()
        .filter(d -> kind.equals(d.path("kind").asText())).toList();
    assertEquals(1, found.size(), kind + " in " + file);
    return found.get(0);
  }

  @Test
  void theDeploymentServesTheWorkersPortAndProbesWhereTheWorkerAnswers() throws Exception {
    JsonNode pod = only("deployment.yaml", "Deployment").path("spec").path("template");
    JsonNode container = pod.path("spec").path("containers").get(0);
    int port = WorkerSettings.DEFAULT_METRICS_PORT;
    JsonNode metricsPort = container.path("ports").get(0);
    assertEquals("metrics", metricsPort.path("name").asText());
    assertEquals(port, metricsPort.path("containerPort").asInt());
    assertEquals(String.valueOf(port), pod.path("metadata").path("annotations").path("prometheus.io/port").asText());
    assertEquals("true", pod.path("metadata").path("annotations").path("prometheus.io/scrape").asText());
    assertEquals("/metrics", pod.path("metadata").path("annotations").path("prometheus.io/path").asText());
    assertEquals("/healthz", container.path("livenessProbe").path("httpGet").path("path").asText());
    assertEquals("/readyz", container.path("readinessProbe").path("httpGet").path("path").asText());
    assertEquals("metrics", container.path("livenessProbe").path("httpGet").path("port").asText());
    assertEquals("metrics", container.path("readinessProbe").path("httpGet").path("port").asText());
    // the readiness check gives Temporal 3 s: the probe must wait longer than that
    assertTrue(container.path("readinessProbe").path("timeoutSeconds").asInt() > 3);

    String dockerfile = Files.readString(ROOT.resolve("Dockerfile"));
    assertTrue(dockerfile.contains("\nEXPOSE " + port + "\n"), "the Dockerfile exposes " + port);
    Matcher uid = Pattern.compile("useradd .*--uid (\\d+)").matcher(dockerfile);
    assertTrue(uid.find());
    assertEquals(uid.group(1), pod.path("spec").path("securityContext").path("runAsUser").asText());
    assertTrue(pod.path("spec").path("securityContext").path("runAsNonRoot").asBoolean());
    assertTrue(container.path("securityContext").path("readOnlyRootFilesystem").asBoolean());
    assertTrue(container.path("volumeMounts").findValuesAsText("mountPath").contains("/tmp"),
        "a writable /tmp under a read-only root");
    assertTrue(dockerfile.contains("MaxRAMPercentage"), "the JVM sizes its heap from the container's limit");
    assertTrue(container.path("resources").path("limits").has("memory"));
    assertTrue(container.path("resources").path("requests").has("cpu"));
  }

  @Test
  void theDeploymentsIdentityAndSecretAreTheOnesDefinedBesideIt() {
    JsonNode deployment = only("deployment.yaml", "Deployment");
    JsonNode podSpec = deployment.path("spec").path("template").path("spec");
    JsonNode serviceAccount = only("serviceaccount.yaml", "ServiceAccount");
    assertEquals(serviceAccount.path("metadata").path("name").asText(), podSpec.path("serviceAccountName").asText());
    assertEquals(deployment.path("metadata").path("namespace").asText(),
        serviceAccount.path("metadata").path("namespace").asText());
    assertEquals("evolve-worker@PROJECT_ID.iam.gserviceaccount.com",
        serviceAccount.path("metadata").path("annotations").path("iam.gke.io/gcp-service-account").asText());

    JsonNode binding = only("rbac.yaml", "ClusterRoleBinding");
    assertEquals(serviceAccount.path("metadata").path("name").asText(),
        binding.path("subjects").get(0).path("name").asText());
    assertEquals(serviceAccount.path("metadata").path("namespace").asText(),
        binding.path("subjects").get(0).path("namespace").asText());
    assertEquals(only("rbac.yaml", "ClusterRole").path("metadata").path("name").asText(),
        binding.path("roleRef").path("name").asText());

    JsonNode secret = only("example/temporal-secret.yaml", "Secret");
    List<String> fromSecret = new ArrayList<>();
    for (JsonNode env : podSpec.path("containers").get(0).path("env")) {
      JsonNode ref = env.path("valueFrom").path("secretKeyRef");
      if (!ref.isMissingNode()) {
        assertEquals(secret.path("metadata").path("name").asText(), ref.path("name").asText());
        assertTrue(secret.path("stringData").has(ref.path("key").asText()), ref.path("key").asText());
        fromSecret.add(env.path("name").asText());
      }
    }
    assertEquals(List.of("TEMPORAL_ADDRESS", "TEMPORAL_NAMESPACE", "TEMPORAL_API_KEY"), fromSecret);
    assertTrue(secret.path("stringData").path("TEMPORAL_API_KEY").asText().contains("not-a-real-key"));
  }
}
