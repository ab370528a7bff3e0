package dev.evolve.sandbox.bench;

import dev.evolve.sandbox.Sandbox;
import dev.evolve.sandbox.SandboxNodes;
import dev.evolve.sandbox.kube.ProjectHome;
import dev.evolve.sandbox.observe.Objects;
import io.fabric8.kubernetes.api.model.Node;
import io.fabric8.kubernetes.api.model.Pod;
import io.fabric8.kubernetes.api.model.apps.Deployment;
import io.fabric8.kubernetes.api.model.apps.StatefulSet;
import io.fabric8.kubernetes.client.KubernetesClient;
import java.io.IOException;
import java.io.PrintStream;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.Comparator;
import java.util.List;
import java.util.concurrent.TimeUnit;

/**
 * Empties a pool the way GKE's surge upgrade does (maxSurge 1, maxUnavailable 0), with the real
 * {@code kubectl drain} built with the control plane: for each node in turn, a surge node joins
 * the pool in the same zone, the old node is drained (cordon, then evictions that honour every
 * PodDisruptionBudget), the drain waits until every workload is whole and Ready again on other
 * nodes, and the old node is deleted. Nothing here knows about Kafka: that is the point of the
 * comparison.
 */
final class NodeByNodeDrain {

  /** One node's turn: how long its drain took, and how long until every replacement was Ready. */
  record NodeTurn(String node, long drainMillis, long readyAgainMillis) {}

  /** The whole pool: every turn, and the wall time from the first surge node to the last deletion. */
  record Result(List<NodeTurn> turns, long totalMillis) {}

  private final Sandbox sandbox;
  private final KubernetesClient client;
  private final PrintStream out;

  NodeByNodeDrain(Sandbox sandbox, PrintStream out) {
    this.sandbox = sandbox;
    this.client = sandbox.cluster().client();
    this.out = out;
  }

  Result run(String pool) throws IOException, InterruptedException {
    Path kubectl = kubectl();
    Path kubeconfig = sandbox.cluster().writeKubeconfig(Files.createTempFile("evolve-bench-", ".kubeconfig"));
    try {
      List<Node> nodes = client.nodes().withLabel(Objects.POOL_LABEL, pool).list().getItems().stream()
          .sorted(Comparator.comparing(n -> n.getMetadata().getName())).toList();
      List<NodeTurn> turns = new ArrayList<>();
      long started = System.currentTimeMillis();
      int index = 0;
      for (Node node : nodes) {
        String name = node.getMetadata().getName();
        addSurgeNode(node, pool, index++);
        long drainStarted = System.currentTimeMillis();
        drain(kubectl, kubeconfig, name);
        long drained = System.currentTimeMillis();
        awaitEveryWorkloadReady();
        long ready = System.currentTimeMillis();
        client.nodes().withName(name).delete();
        turns.add(new NodeTurn(name, drained - drainStarted, ready - drainStarted));
        out.printf("  drain %2d/%d %s: kubectl drain %s, every workload Ready again after %s%n", turns.size(),
            nodes.size(), name, BudgetBoundLimit.seconds(drained - drainStarted),
            BudgetBoundLimit.seconds(ready - drainStarted));
      }
      return new Result(turns, System.currentTimeMillis() - started);
    } finally {
      Files.deleteIfExists(kubeconfig);
    }
  }

  /** The upgraded node GKE would add before draining {@code old}: same pool, zone and machine type. */
  private void addSurgeNode(Node old, String pool, int index) {
    String zone = Objects.label(old, Objects.ZONE_LABEL);
    String machineType = Objects.label(old, "node.kubernetes.io/instance-type");
    String version = old.getStatus().getNodeInfo().getKubeletVersion().replaceFirst("^v", "");
    String name = SandboxNodes.name(sandbox.scenario().cluster().name(), pool + "-surge", zone, index);
    SandboxNodes.create(client, name, pool, zone, version, machineType);
  }

  private void drain(Path kubectl, Path kubeconfig, String node) throws IOException, InterruptedException {
    Process process = new ProcessBuilder(kubectl.toString(), "--kubeconfig", kubeconfig.toString(), "drain", node,
        "--ignore-daemonsets", "--delete-emptydir-data", "--timeout=600s")
        .redirectErrorStream(true).start();
    String output = new String(process.getInputStream().readAllBytes(), StandardCharsets.UTF_8);
    if (!process.waitFor(11, TimeUnit.MINUTES) || process.exitValue() != 0) {
      throw new IllegalStateException("kubectl drain " + node + " failed: " + output);
    }
  }

  /**
   * Every Deployment and StatefulSet has all its replicas Ready, and every workload pod that exists
   * is Ready, seen twice in a row (a StatefulSet's successor appears a moment after its
   * predecessor is gone, and its status a moment after that).
   */
  private void awaitEveryWorkloadReady() throws InterruptedException {
    long deadline = System.currentTimeMillis() + TimeUnit.MINUTES.toMillis(10);
    int inARow = 0;
    while (inARow < 2) {
      if (System.currentTimeMillis() > deadline) {
        throw new IllegalStateException("the workloads were not whole and Ready again within 10 minutes");
      }
      inARow = everyWorkloadReady() ? inARow + 1 : 0;
      Thread.sleep(200);
    }
  }

  private boolean everyWorkloadReady() {
    for (Deployment d : client.apps().deployments().inAnyNamespace().list().getItems()) {
      if (!whole(d.getSpec().getReplicas(), d.getStatus().getReadyReplicas(), d.getStatus().getReplicas())) {
        return false;
      }
    }
    for (StatefulSet s : client.apps().statefulSets().inAnyNamespace().list().getItems()) {
      if (!whole(s.getSpec().getReplicas(), s.getStatus().getReadyReplicas(), s.getStatus().getReplicas())) {
        return false;
      }
    }
    for (Pod pod : client.pods().inAnyNamespace().list().getItems()) {
      if (!Objects.isDaemonSetPod(pod) && !Objects.isFinished(pod) && !Objects.isReady(pod)) {
        return false;
      }
    }
    return true;
  }

  private static boolean whole(Integer wanted, Integer ready, Integer current) {
    int w = wanted == null ? 1 : wanted;
    return ready != null && ready >= w && current != null && current == w;
  }

  private static Path kubectl() throws IOException, InterruptedException {
    Path script = ProjectHome.find().resolve("scripts/kube.sh");
    Process process = new ProcessBuilder("bash", script.toString(), "bin-dir").start();
    String dir = new String(process.getInputStream().readAllBytes(), StandardCharsets.UTF_8).trim();
    process.waitFor();
    Path kubectl = Path.of(dir, "kubectl");
    if (!Files.isExecutable(kubectl)) {
      throw new IllegalStateException("kubectl is not built at " + kubectl + ": run scripts/kube.sh install");
    }
    return kubectl;
  }
}
