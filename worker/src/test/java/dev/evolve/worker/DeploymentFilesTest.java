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
}
