package dev.evolve.activities.kafka;

import java.io.IOException;
import java.net.InetAddress;
import java.net.ServerSocket;
import java.nio.file.Files;
import java.nio.file.Path;
import java.time.Duration;
import java.util.ArrayList;
import java.util.Comparator;
import java.util.List;
import java.util.Map;
import java.util.Properties;
import java.util.concurrent.TimeUnit;
import java.util.stream.Stream;
import org.apache.kafka.clients.admin.Admin;
import org.apache.kafka.clients.admin.AdminClientConfig;
import org.apache.kafka.clients.admin.NewTopic;
import org.apache.kafka.common.Uuid;

/**
 * A real KRaft cluster (each node broker and controller) run as child JVMs on loopback ports, from
 * the Kafka jars on the test classpath or from another Kafka's jars. Each node can be killed and
 * restarted. The nodes die with the cluster's close and, should the tests never get there, with
 * the test JVM (a shutdown hook); the cluster's directory goes with its close.
 */
final class KraftCluster implements AutoCloseable {

  private final int size;
  private final String classpath;
  private final Path dir;
  private final int[] brokerPorts;
  private final int[] controllerPorts;
  private final Process[] nodes;
  private final Thread killOnExit = new Thread(this::destroyAll, "kraft-cluster-kill");

  /** Three nodes of this build's Kafka. */
  KraftCluster() throws IOException, InterruptedException {
    this(3, System.getProperty("java.class.path"));
  }

  /** {@code size} nodes run from {@code classpath} (a Kafka's jars and their dependencies). */
  KraftCluster(int size, String classpath) throws IOException, InterruptedException {
    this.size = size;
    this.classpath = classpath;
    this.brokerPorts = new int[size];
    this.controllerPorts = new int[size];
    this.nodes = new Process[size];
    dir = Files.createTempDirectory("kraft");
    Runtime.getRuntime().addShutdownHook(killOnExit);
    for (int i = 0; i < size; i++) {
      brokerPorts[i] = freePort();
      controllerPorts[i] = freePort();
    }
    String clusterId = Uuid.randomUuid().toString();
    for (int i = 0; i < size; i++) {
      Path config = writeConfig(i);
      Process format = java("kafka.tools.StorageTool", "format", "-t", clusterId, "-c", config.toString())
          .redirectOutput(dir.resolve("format-" + i + ".log").toFile()).redirectErrorStream(true).start();
      if (!format.waitFor(60, TimeUnit.SECONDS) || format.exitValue() != 0) {
        format.destroyForcibly();
        throw new IllegalStateException("formatting node " + i + " failed: "
            + Files.readString(dir.resolve("format-" + i + ".log")));
      }
    }
    for (int i = 0; i < size; i++) {
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

  /** The topic the tests judge: six partitions on three nodes, min.insync.replicas 2. */
  void createOrdersTopic() throws Exception {
    try (Admin admin = admin()) {
      admin.createTopics(List.of(new NewTopic("orders", 6, (short) 3)
          .configs(Map.of("min.insync.replicas", "2")))).all().get(30, TimeUnit.SECONDS);
    }
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

  /**
   * Waits until the controller has fenced the node: describeCluster without includeFencedBrokers
   * lists only unfenced brokers, on Kafka 3.x and 4.x alike.
   */
  void awaitFencedOrGone(int node, Duration timeout) throws Exception {
    long deadline = System.currentTimeMillis() + timeout.toMillis();
    try (Admin admin = admin()) {
      while (System.currentTimeMillis() < deadline) {
        if (admin.describeCluster().nodes().get(10, TimeUnit.SECONDS).stream().noneMatch(n -> n.id() == node)) {
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
    for (int v = 0; v < size; v++) {
      voters.append(v == 0 ? "" : ",").append(v).append("@127.0.0.1:").append(controllerPorts[v]);
    }
    int replicas = Math.min(3, size);
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
        "offsets.topic.replication.factor=" + replicas,
        "transaction.state.log.replication.factor=" + replicas,
        "transaction.state.log.min.isr=" + Math.min(2, replicas),
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

  private ProcessBuilder java(String mainClass, String... args) {
    List<String> command = new ArrayList<>(List.of(Path.of(System.getProperty("java.home"), "bin", "java").toString(),
        "-Xmx384m", "-cp", classpath, mainClass));
    command.addAll(List.of(args));
    return new ProcessBuilder(command);
  }

  private static int freePort() throws IOException {
    try (ServerSocket socket = new ServerSocket(0, 1, InetAddress.getLoopbackAddress())) {
      return socket.getLocalPort();
    }
  }

  private void destroyAll() {
    for (Process node : nodes) {
      if (node != null) {
        node.destroyForcibly();
      }
    }
  }

  @Override
  public void close() throws Exception {
    destroyAll();
    for (Process node : nodes) {
      if (node != null) {
        node.waitFor(30, TimeUnit.SECONDS);
      }
    }
    try {
      Runtime.getRuntime().removeShutdownHook(killOnExit);
    } catch (IllegalStateException shuttingDown) {
      // the hook is running or about to: nothing left to undo
    }
    try (Stream<Path> files = Files.walk(dir)) {
      files.sorted(Comparator.reverseOrder()).forEach(f -> f.toFile().delete());
    }
  }
}
