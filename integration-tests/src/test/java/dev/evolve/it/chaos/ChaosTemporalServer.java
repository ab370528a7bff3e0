package dev.evolve.it.chaos;

import dev.evolve.it.DevServer;
import dev.evolve.it.ManagedProcess;
import dev.evolve.it.TemporalCli;
import dev.evolve.it.TestPaths;
import java.io.IOException;
import java.net.ServerSocket;
import java.nio.file.Files;
import java.nio.file.Path;
import java.time.Duration;
import java.util.List;
import java.util.Map;
import java.util.regex.Pattern;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;

/**
 * The chaos soak's own Temporal dev server (scripts/temporal.sh start-dev), on fixed ports and a
 * database file, so that it can be stopped and started again in the middle of a cycle with the
 * workflows' state intact, at the address the worker and the soak keep using.
 */
final class ChaosTemporalServer implements AutoCloseable {

  private static final Logger log = LoggerFactory.getLogger(ChaosTemporalServer.class);
  private static final Pattern ADDRESS = Pattern.compile("address (\\S+)");

  private final Path script = TestPaths.root().resolve("scripts/temporal.sh");
  private final Path db;
  private final int port;
  private final int uiPort;
  private final TemporalCli cli;
  private ManagedProcess process;
  private int generation;

  private ChaosTemporalServer(Path db, int port, int uiPort, TemporalCli cli) {
    this.db = db;
    this.port = port;
    this.uiPort = uiPort;
    this.cli = cli;
  }

  static ChaosTemporalServer start(Path db) {
    try {
      Files.createDirectories(db.getParent());
      Files.deleteIfExists(db);
    } catch (IOException e) {
      throw new IllegalStateException(e);
    }
    int port = freePort();
    int uiPort = freePort();
    TemporalCli cli = new TemporalCli(Path.of(DevServer.install(TestPaths.root().resolve("scripts/temporal.sh"))),
        "127.0.0.1:" + port);
    ChaosTemporalServer server = new ChaosTemporalServer(db, port, uiPort, cli);
    server.launch();
    return server;
  }

  String address() {
    return "127.0.0.1:" + port;
  }

  TemporalCli cli() {
    return cli;
  }

  /** SIGTERM, then the same server again on the same ports and database file. */
  void restart() {
    process.close();
    launch();
  }

  private void launch() {
    generation++;
    process = ManagedProcess.start("chaos-temporal-" + generation, List.of("bash", script.toString(), "start-dev",
        "--port", String.valueOf(port), "--ui-port", String.valueOf(uiPort), "--db", db.toString()), Map.of());
    process.awaitLogLine(ADDRESS, Duration.ofSeconds(30));
    cli.awaitServing();
    log.info("temporal dev server {} at {} on {}", generation, address(), db);
  }

  private static int freePort() {
    try (ServerSocket socket = new ServerSocket(0)) {
      return socket.getLocalPort();
    } catch (IOException e) {
      throw new IllegalStateException(e);
    }
  }

  /** Stops the server and removes its database file. */
  @Override
  public void close() {
    if (process != null) {
      process.close();
    }
    try {
      Files.deleteIfExists(db);
      Files.deleteIfExists(db.resolveSibling(db.getFileName() + "-shm"));
      Files.deleteIfExists(db.resolveSibling(db.getFileName() + "-wal"));
    } catch (IOException e) {
      log.warn("cannot remove {}: {}", db, e.toString());
    }
  }
}
