package dev.evolve.sandbox.kafka;

import java.io.IOException;
import java.io.UncheckedIOException;
import java.net.InetSocketAddress;
import java.net.ServerSocket;
import java.net.Socket;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.List;
import java.util.Properties;
import java.util.concurrent.CopyOnWriteArrayList;
import java.util.concurrent.ExecutorService;
import java.util.concurrent.Executors;
import java.util.concurrent.Future;
import org.apache.kafka.clients.admin.Admin;
import org.apache.kafka.clients.admin.AdminClientConfig;
import org.apache.kafka.common.Uuid;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;

/**
 * The Kafka processes behind a broker StatefulSet: a KRaft cluster whose broker {@code b} listens
 * on a fixed loopback port (its stable DNS name, as the headless service gives a StatefulSet pod)
 * and keeps its log in {@code broker-b} (its volume) across restarts. With separate controllers
 * (the default) three controller processes run for the cluster's whole life, outside any pod;
 * combined, each broker process is also a voter.
 *
 * <p>This class starts and stops processes; {@link BrokerPods} decides when, from the pods.
 */
public final class KafkaCluster implements AutoCloseable {

  private static final Logger log = LoggerFactory.getLogger(KafkaCluster.class);

  /** Controller node ids, far from broker ids (= pod ordinals) so that neither is mistaken for the other. */
  static final int CONTROLLER_ID_BASE = 3000;
  private static final int CONTROLLERS = 3;

  private final KafkaSpec spec;
  private final int brokers;
  private final Path dir;
  private final int[] brokerPorts;
  private final int[] controllerPorts;
  private final List<KafkaProcess> controllers = new ArrayList<>();
  private final List<KafkaProcess> started = new CopyOnWriteArrayList<>();

  private KafkaCluster(KafkaSpec spec, int brokers, Path dir) throws IOException {
    this.spec = spec;
    this.brokers = brokers;
    this.dir = dir;
    this.brokerPorts = freePorts(brokers);
    this.controllerPorts = freePorts(spec.combined() ? brokers : CONTROLLERS);
  }

  /**
   * Formats every node's storage and starts the separate controllers; brokers start when their
   * pods run.
   */
  public static KafkaCluster start(KafkaSpec spec, int brokers, Path dir) {
    long began = System.currentTimeMillis();
    try {
      Files.createDirectories(dir);
      KafkaCluster cluster = new KafkaCluster(spec, brokers, dir);
      try {
        cluster.writeConfigsAndFormat();
        if (!spec.combined()) {
          for (int c = 0; c < CONTROLLERS; c++) {
            KafkaProcess controller = KafkaProcess.start(cluster.controllerConfig(c),
                cluster.logOf("controller-" + c), cluster.logbackConfig(), "192m");
            cluster.controllers.add(controller);
            cluster.started.add(controller);
          }
        }
        log.info("Kafka cluster formatted{} in {} ms: brokers at {}", spec.combined() ? ""
            : ", 3 controllers started,", System.currentTimeMillis() - began, cluster.bootstrap());
        return cluster;
      } catch (Exception e) {
        cluster.close();
        throw e;
      }
    } catch (IOException e) {
      throw new UncheckedIOException("cannot set up the Kafka cluster in " + dir + ": " + e.getMessage(), e);
    } catch (InterruptedException e) {
      Thread.currentThread().interrupt();
      throw new IllegalStateException("interrupted while formatting Kafka storage", e);
    } catch (java.util.concurrent.ExecutionException e) {
      throw new IllegalStateException("cannot format Kafka storage: " + e.getCause().getMessage(), e.getCause());
    }
  }

  /** "127.0.0.1:P0,127.0.0.1:P1,...": what clients and the worker's Kafka gates connect to. */
  public String bootstrap() {
    List<String> servers = new ArrayList<>();
    for (int port : brokerPorts) {
      servers.add("127.0.0.1:" + port);
    }
    return String.join(",", servers);
  }

  public int brokers() {
    return brokers;
  }

  public KafkaSpec spec() {
    return spec;
  }

  /** "separate quorum of 3" or "combined with the brokers". */
  public String controllersDescription() {
    return spec.combined() ? "combined with the brokers (each broker a voter)" : "separate quorum of " + CONTROLLERS;
  }

  /** Starts broker {@code ordinal} on its own log directory. */
  KafkaProcess startBroker(int ordinal) throws IOException {
    KafkaProcess broker = KafkaProcess.start(dir.resolve("broker-" + ordinal + ".properties"),
        logOf("broker-" + ordinal), logbackConfig(), "320m");
    started.add(broker);
    return broker;
  }

  /** Whether broker {@code ordinal} accepts connections: a readiness probe on its port. */
  boolean accepts(int ordinal) {
    try (Socket socket = new Socket()) {
      socket.connect(new InetSocketAddress("127.0.0.1", brokerPorts[ordinal]), 500);
      return true;
    } catch (IOException e) {
      return false;
    }
  }

  /** An Admin client with short timeouts, for the sandbox's own checks. */
  public Admin admin() {
    Properties p = new Properties();
    p.put(AdminClientConfig.BOOTSTRAP_SERVERS_CONFIG, bootstrap());
    p.put(AdminClientConfig.REQUEST_TIMEOUT_MS_CONFIG, "3000");
    p.put(AdminClientConfig.DEFAULT_API_TIMEOUT_MS_CONFIG, "5000");
    return Admin.create(p);
  }

  Path logOf(String node) {
    return dir.resolve(node + ".log");
  }

  private void writeConfigsAndFormat() throws IOException, InterruptedException,
      java.util.concurrent.ExecutionException {
    Files.writeString(logbackConfig(), """
        <configuration>
          <appender name="OUT" class="ch.qos.logback.core.ConsoleAppender">
            <encoder><pattern>%d{HH:mm:ss.SSS} %-5level %logger{30} - %msg%n</pattern></encoder>
          </appender>
          <logger name="org.apache.kafka.clients" level="WARN"/>
          <root level="INFO"><appender-ref ref="OUT"/></root>
        </configuration>
        """);
    List<Path> configs = new ArrayList<>();
    for (int b = 0; b < brokers; b++) {
      Path config = dir.resolve("broker-" + b + ".properties");
      Files.writeString(config, brokerConfig(b));
      configs.add(config);
    }
    if (!spec.combined()) {
      for (int c = 0; c < CONTROLLERS; c++) {
        Path config = dir.resolve("controller-" + c + ".properties");
        Files.writeString(config, controllerConfigText(c));
        configs.add(config);
      }
    }
    String clusterId = Uuid.randomUuid().toString();
    ExecutorService formatters = Executors.newFixedThreadPool(configs.size());
    try {
      List<Future<?>> formats = new ArrayList<>();
      for (Path config : configs) {
        String node = config.getFileName().toString().replace(".properties", "");
        formats.add(formatters.submit(() -> {
          KafkaProcess.format(config, clusterId, logOf("format-" + node), logbackConfig());
          return null;
        }));
      }
      for (Future<?> format : formats) {
        format.get();
      }
    } finally {
      formatters.shutdownNow();
    }
  }

  private Path controllerConfig(int c) {
    return dir.resolve("controller-" + c + ".properties");
  }

  private Path logbackConfig() {
    return dir.resolve("logback-kafka.xml");
  }

  private String voters() {
    List<String> voters = new ArrayList<>();
    for (int v = 0; v < controllerPorts.length; v++) {
      int id = spec.combined() ? v : CONTROLLER_ID_BASE + v;
      voters.add(id + "@127.0.0.1:" + controllerPorts[v]);
    }
    return String.join(",", voters);
  }

  private String brokerConfig(int b) {
    String listeners = "PLAINTEXT://127.0.0.1:" + brokerPorts[b]
        + (spec.combined() ? ",CONTROLLER://127.0.0.1:" + controllerPorts[b] : "");
    return common(spec.combined() ? "broker,controller" : "broker", b, listeners, dir.resolve("broker-" + b)) + """
        advertised.listeners=PLAINTEXT://127.0.0.1:%d
        inter.broker.listener.name=PLAINTEXT
        default.replication.factor=3
        min.insync.replicas=%d
        offsets.topic.replication.factor=3
        offsets.topic.num.partitions=6
        transaction.state.log.replication.factor=3
        transaction.state.log.min.isr=2
        group.initial.rebalance.delay.ms=0
        # A broker that died without a controlled shutdown leaves the ISR after this long (Kafka: 30 s).
        replica.lag.time.max.ms=10000
        # Kafka judges the replication throttle over windows of 11 s, and checks it between fetches of
        # up to 10 MB: a few seconds' backlog would never be throttled. Two windows of a second and
        # small fetches let the catch-up throttle (KafkaLoad) bite.
        replication.quota.window.num=2
        replica.fetch.max.bytes=32768
        replica.fetch.response.max.bytes=65536
        num.network.threads=2
        num.io.threads=2
        num.replica.fetchers=1
        background.threads=2
        log.cleaner.threads=1
        """.formatted(brokerPorts[b], spec.minInsyncReplicasOrDefault());
  }

  private String controllerConfigText(int c) {
    return common("controller", CONTROLLER_ID_BASE + c, "CONTROLLER://127.0.0.1:" + controllerPorts[c],
        dir.resolve("controller-" + c));
  }

  private String common(String roles, int nodeId, String listeners, Path logDir) {
    return """
        process.roles=%s
        node.id=%d
        controller.quorum.voters=%s
        listeners=%s
        controller.listener.names=CONTROLLER
        listener.security.protocol.map=PLAINTEXT:PLAINTEXT,CONTROLLER:PLAINTEXT
        log.dirs=%s
        # Fence a broker that stopped heartbeating within seconds (Kafka: 9 s, heartbeat 2 s).
        broker.session.timeout.ms=6000
        broker.heartbeat.interval.ms=1000
        """.formatted(roles, nodeId, voters(), listeners, logDir);
  }

  private static int[] freePorts(int count) throws IOException {
    int[] ports = new int[count];
    List<ServerSocket> held = new ArrayList<>();
    try {
      for (int i = 0; i < count; i++) {
        ServerSocket socket = new ServerSocket(0);
        held.add(socket);
        ports[i] = socket.getLocalPort();
      }
    } finally {
      for (ServerSocket socket : held) {
        socket.close();
      }
    }
    return ports;
  }

  /** Kills every process this cluster started (brokers too), so nothing outlives the sandbox. */
  @Override
  public void close() {
    for (KafkaProcess process : started) {
      if (process.isAlive()) {
        try {
          process.kill();
        } catch (InterruptedException e) {
          Thread.currentThread().interrupt();
        }
      }
    }
  }
}
