package dev.evolve.activities.kafka;

import java.io.IOException;
import java.net.ServerSocket;
import java.nio.file.Files;
import java.nio.file.Path;
import java.time.Duration;
import java.util.ArrayList;
import java.util.List;
import java.util.Properties;
import java.util.concurrent.TimeUnit;
import org.apache.kafka.clients.admin.Admin;
import org.apache.kafka.clients.admin.AdminClientConfig;
import org.apache.kafka.common.Uuid;

/**
 * A real three-node KRaft cluster (each node broker and controller) run as child JVMs from the
 * Kafka jars on the test classpath, on loopback ports. Each node can be killed and restarted.
 */
final class KraftCluster implements AutoCloseable {

  private final Path dir;
  private final int[] brokerPorts = new int[3];
  private final int[] controllerPorts = new int[3];
  private final Process[] nodes = new Process[3];

  KraftCluster() throws IOException, InterruptedException {
    dir = Files.createTempDirectory("kraft");
    for (int i = 0; i < 3; i++) {
      brokerPorts[i] = freePort();
      controllerPorts[i] = freePort();
    }
    String clusterId = Uuid.randomUuid().toString();
    for (int i = 0; i < 3; i++) {
      Path config = writeConfig(i);
      Process format = java("kafka.tools.StorageTool", "format", "-t", clusterId, "-c", config.toString())
          .redirectOutput(dir.resolve("format-" + i + ".log").toFile()).redirectErrorStream(true).start();
      if (!format.waitFor(60, TimeUnit.SECONDS) || format.exitValue() != 0) {
        throw new IllegalStateException("formatting node " + i + " failed: "
            + Files.readString(dir.resolve("format-" + i + ".log")));
      }
    }
    for (int i = 0; i < 3; i++) {
      start(i);
    }
  }

  String bootstrap() {
    List<String> servers = new ArrayList<>();
    for (int port : brokerPorts) {
      servers.add("127.0.0.1:" + port);
    }
    return String.join(",", servers);
  }

  Admin admin() {
    Properties p = new Properties();
    p.put(AdminClientConfig.BOOTSTRAP_SERVERS_CONFIG, bootstrap());
    p.put(AdminClientConfig.REQUEST_TIMEOUT_MS_CONFIG, "10000");
    p.put(AdminClientConfig.DEFAULT_API_TIMEOUT_MS_CONFIG, "15000");
    return Admin.create(p);
  }

  void start(int node) throws IOException {
    nodes[node] = java("kafka.Kafka", dir.resolve("server-" + node + ".properties").toString())
        .redirectOutput(ProcessBuilder.Redirect.appendTo(dir.resolve("node-" + node + ".log").toFile()))
        .redirectErrorStream(true).start();
  }

  void kill(int node) throws InterruptedException {
    nodes[node].destroyForcibly().waitFor(30, TimeUnit.SECONDS);
  }

  /** Waits until {@code count} brokers are registered, or fails with the nodes' logs' tails. */
  void awaitBrokers(int count, Duration timeout) throws Exception {
    long deadline = System.currentTimeMillis() + timeout.toMillis();
    try (Admin admin = admin()) {
      while (System.currentTimeMillis() < deadline) {
        try {
          if (admin.describeCluster().nodes().get(5, TimeUnit.SECONDS).size() >= count) {
            return;
          }
        } catch (Exception notYet) {
          // nodes still starting
        }
        Thread.sleep(500);
      }
    }
    throw new IllegalStateException(count + " brokers not up after " + timeout + "; node 0 log: " + tail(0));
  }

  void awaitFencedOrGone(int node, Duration timeout) throws Exception {
    long deadline = System.currentTimeMillis() + timeout.toMillis();
    try (Admin admin = admin()) {
      while (System.currentTimeMillis() < deadline) {
        var nodes = admin.describeCluster(new org.apache.kafka.clients.admin.DescribeClusterOptions()
            .includeFencedBrokers(true)).nodes().get(10, TimeUnit.SECONDS);
        if (nodes.stream().noneMatch(n -> n.id() == node && !n.isFenced())) {
          return;
        }
        Thread.sleep(250);
      }
    }
    throw new IllegalStateException("broker " + node + " still registered and unfenced after " + timeout);
  }

  String tail(int node) throws IOException {
    Path log = dir.resolve("node-" + node + ".log");
    if (!Files.exists(log)) {
      return "(no log)";
    }
    List<String> lines = Files.readAllLines(log);
    return String.join("\n", lines.subList(Math.max(0, lines.size() - 20), lines.size()));
  }

  private Path writeConfig(int i) throws IOException {
    StringBuilder voters = new StringBuilder();
    for (int v = 0; v < 3; v++) {
      voters.append(v == 0 ? "" : ",").append(v).append("@127.0.0.1:").append(controllerPorts[v]);
    }
    String config = String.join("\n",
        "process.roles=broker,controller",
        "node.id=" + i,
        "controller.quorum.voters=" + voters,
        "listeners=PLAINTEXT://127.0.0.1:" + brokerPorts[i] + ",CONTROLLER://127.0.0.1:" + controllerPorts[i],
        "advertised.listeners=PLAINTEXT://127.0.0.1:" + brokerPorts[i],
        "controller.listener.names=CONTROLLER",
        "inter.broker.listener.name=PLAINTEXT",
        "listener.security.protocol.map=PLAINTEXT:PLAINTEXT,CONTROLLER:PLAINTEXT",
        "log.dirs=" + dir.resolve("data-" + i),
        "num.partitions=1",
        "offsets.topic.replication.factor=3",
        "transaction.state.log.replication.factor=3",
        "transaction.state.log.min.isr=2",
        "group.initial.rebalance.delay.ms=0",
        // shrink the ISR and fence a dead broker quickly, so the test does not wait half a minute
        "replica.lag.time.max.ms=4000",
        "broker.session.timeout.ms=6000",
        "broker.heartbeat.interval.ms=1000",
        "auto.leader.rebalance.enable=false",
        "");
    Path file = dir.resolve("server-" + i + ".properties");
    Files.writeString(file, config);
    return file;
  }

  private static ProcessBuilder java(String mainClass, String... args) {
    List<String> command = new ArrayList<>(List.of(Path.of(System.getProperty("java.home"), "bin", "java").toString(),
        "-Xmx384m", "-cp", System.getProperty("java.class.path"), mainClass));
    command.addAll(List.of(args));
    return new ProcessBuilder(command);
  }

  private static int freePort() throws IOException {
    try (ServerSocket socket = new ServerSocket(0)) {
      return socket.getLocalPort();
    }
  }

  @Override
  public void close() throws Exception {
    for (Process node : nodes) {
      if (node != null) {
        node.destroyForcibly().waitFor(30, TimeUnit.SECONDS);
      }
    }
  }
}
