package dev.evolve.sandbox.deploy;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertNull;
import static org.junit.jupiter.api.Assertions.assertTrue;

import dev.evolve.sandbox.kube.ControlPlane;
import dev.evolve.sandbox.kube.ProjectHome;
import io.fabric8.kubernetes.api.model.NamespaceBuilder;
import io.fabric8.kubernetes.client.Config;
import io.fabric8.kubernetes.client.KubernetesClient;
import io.fabric8.kubernetes.client.KubernetesClientBuilder;
import java.io.IOException;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.List;
import java.util.concurrent.TimeUnit;
import org.junit.jupiter.api.AfterAll;
import org.junit.jupiter.api.BeforeAll;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

/**
 * deploy/kubernetes/ as a user applies it (README, "Running the worker in a cluster"), with
 * kubectl's server-side apply as a server dry run against the real API server: every object must
 * pass the server's schema validation (strict: an unknown or misspelt field fails), admission and
 * defaulting, and nothing may be created. Only the namespace is created for real first: a dry
 * run of a namespaced object is refused while its namespace does not exist.
 */
class KubernetesManifestsTest {

  static final Path MANIFESTS = ProjectHome.find().resolve("deploy/kubernetes");

  @TempDir
  static Path dir;
  static ControlPlane plane;
  static KubernetesClient client;

  @BeforeAll
  static void start() {
    plane = ControlPlane.start(dir.resolve("kube"), 900);
    client = new KubernetesClientBuilder().withConfig(Config.fromKubeconfig(readKubeconfig())).build();
  }

  @AfterAll
  static void stop() {
    if (client != null) {
      client.close();
    }
    if (plane != null) {
      plane.close();
    }
  }

  @Test
  void theApiServerAcceptsEveryObjectAndCreatesNone() throws Exception {
    client.namespaces().resource(new NamespaceBuilder().withNewMetadata().withName("evolve").endMetadata().build())
        .create();

    Output applied = kubectl("apply", "--server-side", "--field-manager=evolve-manifests-test",
        "--dry-run=server", "--validate=strict",
        "-f", MANIFESTS.toString(), "-f", MANIFESTS.resolve("example").toString());

    assertEquals(0, applied.exitCode(), applied.text());
    List<String> expected = List.of("namespace/evolve", "serviceaccount/evolve-worker",
        "clusterrole.rbac.authorization.k8s.io/evolve-worker",
        "clusterrolebinding.rbac.authorization.k8s.io/evolve-worker", "secret/evolve-temporal",
        "deployment.apps/evolve-worker");
    List<String> accepted = applied.text().lines().filter(l -> l.endsWith("serverside-applied (server dry run)"))
        .map(l -> l.substring(0, l.indexOf(' '))).sorted().toList();
    assertEquals(expected.stream().sorted().toList(), accepted, applied.text());

    // a dry run: the server answered for each object, and none of them exists
    assertNull(client.apps().deployments().inNamespace("evolve").withName("evolve-worker").get());
    assertNull(client.serviceAccounts().inNamespace("evolve").withName("evolve-worker").get());
    assertNull(client.rbac().clusterRoles().withName("evolve-worker").get());
    assertNull(client.secrets().inNamespace("evolve").withName("evolve-temporal").get());
  }

  @Test
  void aMisspeltFieldIsRefused() throws Exception {
    // the check above can fail: the same apply of a Deployment with a field the schema lacks
    Path broken = dir.resolve("broken.yaml");
    Files.writeString(broken, Files.readString(MANIFESTS.resolve("deployment.yaml"))
        .replace("readinessProbe:", "readynessProbe:"));
    client.namespaces().resource(new NamespaceBuilder().withNewMetadata().withName("evolve").endMetadata().build())
        .createOr(existing -> existing.update());

    Output applied = kubectl("apply", "--server-side", "--dry-run=server", "--validate=strict",
        "-f", broken.toString());

    assertTrue(applied.exitCode() != 0, applied.text());
    assertTrue(applied.text().contains("readynessProbe"), applied.text());
  }

  record Output(int exitCode, String text) {}

  static Output kubectl(String... args) throws IOException, InterruptedException {
    List<String> command = new ArrayList<>(List.of(kubectlBinary().toString(), "--kubeconfig",
        plane.kubeconfig().toString()));
    command.addAll(List.of(args));
    Process process = new ProcessBuilder(command).redirectErrorStream(true).start();
    String text = new String(process.getInputStream().readAllBytes(), StandardCharsets.UTF_8);
    assertTrue(process.waitFor(120, TimeUnit.SECONDS), "kubectl did not end: " + text);
    return new Output(process.exitValue(), text);
  }

  /** The kubectl that scripts/kube.sh built beside the control plane's binaries. */
  static Path kubectlBinary() throws IOException, InterruptedException {
    Process process = new ProcessBuilder("bash", ProjectHome.find().resolve("scripts/kube.sh").toString(), "bin-dir")
        .start();
    String bin = new String(process.getInputStream().readAllBytes(), StandardCharsets.UTF_8).trim();
    process.waitFor();
    Path kubectl = Path.of(bin, "kubectl");
    assertTrue(Files.isExecutable(kubectl), "kubectl is not built at " + kubectl + ": run scripts/kube.sh install");
    return kubectl;
  }

  static String readKubeconfig() {
    try {
      return Files.readString(plane.kubeconfig());
    } catch (IOException e) {
      throw new java.io.UncheckedIOException(e);
    }
  }
}
