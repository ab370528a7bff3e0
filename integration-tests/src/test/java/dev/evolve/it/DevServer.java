package dev.evolve.it;

import java.io.IOException;
import java.nio.charset.StandardCharsets;
import java.nio.file.Path;
import java.time.Duration;
import java.util.List;
import java.util.Map;
import java.util.concurrent.TimeUnit;
import java.util.regex.Pattern;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;

/**
 * The real Temporal server for the tests, installed and started by the project's own script, as a
 * user would (so a fresh clone installs the pinned CLI on its first {@code ./mvnw verify}). One
 * server serves every test class of the run; it stops when the test JVM exits.
 */
public final class DevServer {

  private static final Logger log = LoggerFactory.getLogger(DevServer.class);
  private static final Pattern ADDRESS = Pattern.compile("address (\\S+)");
  private static final Pattern WEB_UI = Pattern.compile("Web UI (http://\\S+)");
  private static DevServer shared;

  private final ManagedProcess process;
  private final TemporalCli cli;
  private final String webUi;

  private DevServer(ManagedProcess process, TemporalCli cli, String webUi) {
    this.process = process;
    this.cli = cli;
    this.webUi = webUi;
  }

  static synchronized DevServer shared() {
    if (shared == null) {
      shared = start();
      Runtime.getRuntime().addShutdownHook(new Thread(shared.process::close, "stop temporal dev server"));
    }
    return shared;
  }

  TemporalCli cli() {
    return cli;
  }

  /** The dev server's Web UI, e.g. {@code http://127.0.0.1:8233} (a free port when 8233 is taken). */
  String webUi() {
    return webUi;
  }

  private static DevServer start() {
    Path script = TestPaths.root().resolve("scripts/temporal.sh");
    Path binary = Path.of(install(script));
    ManagedProcess process = ManagedProcess.start("temporal-dev-server", List.of("bash", script.toString(), "start-dev"),
        Map.of());
    String address = process.awaitLogLine(ADDRESS, Duration.ofSeconds(30));
    String webUi = process.awaitLogLine(WEB_UI, Duration.ofSeconds(5));
    TemporalCli cli = new TemporalCli(binary, address);
    cli.awaitServing();
    log.info("temporal dev server at {}, Web UI {} (binary {})", address, webUi, binary);
    return new DevServer(process, cli, webUi);
  }

  /** {@code scripts/temporal.sh install}: prints the binary's path, installing it on the first run. */
  public static String install(Path script) {
    try {
      Process install = new ProcessBuilder("bash", script.toString(), "install")
          .redirectError(ProcessBuilder.Redirect.INHERIT).start();
      String out = new String(install.getInputStream().readAllBytes(), StandardCharsets.UTF_8).trim();
      if (!install.waitFor(5, TimeUnit.MINUTES) || install.exitValue() != 0 || out.isEmpty()) {
        throw new IllegalStateException(script + " install failed (exit " + install.exitValue() + "): " + out);
      }
      return out.lines().reduce((first, last) -> last).orElseThrow();
    } catch (IOException e) {
      throw new IllegalStateException("cannot run " + script, e);
    } catch (InterruptedException e) {
      Thread.currentThread().interrupt();
      throw new IllegalStateException("interrupted", e);
    }
  }
}
