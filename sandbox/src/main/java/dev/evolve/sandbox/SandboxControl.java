package dev.evolve.sandbox;

import com.google.container.v1.Operation;
import com.sun.net.httpserver.HttpExchange;
import com.sun.net.httpserver.HttpServer;
import io.grpc.Status;
import java.io.IOException;
import java.io.UncheckedIOException;
import java.net.InetSocketAddress;
import java.net.URLDecoder;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.time.Duration;
import java.util.HashMap;
import java.util.Map;
import java.util.concurrent.Executors;
import java.util.function.Function;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;

/**
 * {@code ./evolve sandbox --control}: a small HTTP port on loopback through which another process
 * (the chaos soak, scripts/chaos.sh) injects faults into the parts the sandbox owns: the fake
 * GKE and the control plane's processes. Every command is a POST with query parameters and
 * answers 200 with one line of text, or 400 with the reason. The port is written to
 * {@code DIR/control.port}. It changes nothing unless called, and is off unless asked for.
 *
 * <pre>
 * POST /gke/reject?rpc=GetNodePool&amp;code=UNAVAILABLE&amp;message=...   the next call of the RPC fails
 * POST /gke/fail?type=UPGRADE_NODES&amp;message=...                       the next such operation fails half-way
 * POST /gke/stick?type=DELETE_NODE_POOL                               the next such operation stays RUNNING
 * POST /gke/release                                                   ... until this
 * POST /gke/other-caller?type=UPDATE_CLUSTER&amp;seconds=10              another caller's operation on the cluster
 * POST /gke/clear                                                     forget unused faults, release
 * POST /gke/await-idle?seconds=30                                     returns once no operation runs on the cluster
 * POST /gke/set-version?pool=P&amp;version=V                              the pool back on V in place (between cycles)
 * POST /kube/restart-apiserver?down=2                                 kube-apiserver SIGKILLed, started again
 * POST /kube/signal?component=kube-controller-manager&amp;signal=STOP     SIGSTOP / SIGCONT a component
 * </pre>
 */
final class SandboxControl implements AutoCloseable {

  private static final Logger log = LoggerFactory.getLogger(SandboxControl.class);

  private final HttpServer server;

  private SandboxControl(HttpServer server) {
    this.server = server;
  }

  static SandboxControl start(Sandbox sandbox, Path portFile) throws IOException {
    HttpServer server = HttpServer.create(new InetSocketAddress("127.0.0.1", 0), 0);
    server.setExecutor(Executors.newSingleThreadExecutor(r -> {
      Thread t = new Thread(r, "sandbox-control");
      t.setDaemon(true);
      return t;
    }));
    route(server, "/gke/reject", q -> {
      Status status = Status.fromCode(Status.Code.valueOf(q.get("code"))).withDescription(q.get("message"));
      sandbox.gke().faults().rejectNext(required(q, "rpc"), status);
      return "next " + q.get("rpc") + " answers " + q.get("code");
    });
    route(server, "/gke/fail", q -> {
      sandbox.gke().faults().failNext(Operation.Type.valueOf(required(q, "type")), required(q, "message"));
      return "next " + q.get("type") + " fails half-way";
    });
    route(server, "/gke/stick", q -> {
      sandbox.gke().faults().stickNext(Operation.Type.valueOf(required(q, "type")));
      return "next " + q.get("type") + " stays RUNNING until released";
    });
    route(server, "/gke/release", q -> {
      sandbox.gke().faults().release();
      return "released";
    });
    route(server, "/gke/clear", q -> {
      sandbox.gke().faults().clear();
      return "cleared";
    });
    route(server, "/gke/other-caller", q -> {
      sandbox.gke().otherCallersOperation(Operation.Type.valueOf(required(q, "type")),
          Duration.ofMillis(Math.round(Double.parseDouble(required(q, "seconds")) * 1000)));
      return "another caller's " + q.get("type") + " runs for " + q.get("seconds") + " s";
    });
    route(server, "/gke/await-idle", q -> {
      long deadline = System.nanoTime() + Duration.ofSeconds(Long.parseLong(q.getOrDefault("seconds", "30"))).toNanos();
      while (!sandbox.gke().idle() && System.nanoTime() < deadline) {
        try {
          Thread.sleep(100);
        } catch (InterruptedException e) {
          Thread.currentThread().interrupt();
          break;
        }
      }
      return sandbox.gke().idle() ? "idle" : "still busy";
    });
    route(server, "/gke/set-version", q -> {
      sandbox.gke().setPoolVersionInPlace(required(q, "pool"), required(q, "version"));
      return q.get("pool") + " set back to " + q.get("version");
    });
    route(server, "/kube/restart-apiserver", q -> {
      sandbox.cluster().controlPlane().restartApiServer(Double.parseDouble(q.getOrDefault("down", "0")));
      return "kube-apiserver restart requested";
    });
    route(server, "/kube/save-logs", q -> {
      Path to = Path.of(required(q, "to"));
      return "copied " + sandbox.cluster().controlPlane().copyLogs(to) + " log(s) to " + to;
    });
    route(server, "/kube/signal", q -> "signalled " + sandbox.cluster().controlPlane()
        .signal(required(q, "component"), required(q, "signal")));
    server.start();
    Files.writeString(portFile, String.valueOf(server.getAddress().getPort()));
    log.info("sandbox control on 127.0.0.1:{}", server.getAddress().getPort());
    return new SandboxControl(server);
  }

  private static void route(HttpServer server, String path, Function<Map<String, String>, String> command) {
    server.createContext(path, exchange -> {
      try {
        Map<String, String> query = query(exchange);
        String answer = command.apply(query);
        log.info("control {} {}: {}", path, query, answer);
        reply(exchange, 200, answer);
      } catch (RuntimeException e) {
        log.warn("control {} failed: {}", path, e.toString());
        reply(exchange, 400, e.toString());
      }
    });
  }

  private static String required(Map<String, String> query, String name) {
    String value = query.get(name);
    if (value == null || value.isEmpty()) {
      throw new IllegalArgumentException("missing parameter " + name);
    }
    return value;
  }

  private static Map<String, String> query(HttpExchange exchange) {
    Map<String, String> query = new HashMap<>();
    String raw = exchange.getRequestURI().getRawQuery();
    if (raw != null) {
      for (String pair : raw.split("&")) {
        int eq = pair.indexOf('=');
        if (eq > 0) {
          query.put(URLDecoder.decode(pair.substring(0, eq), StandardCharsets.UTF_8),
              URLDecoder.decode(pair.substring(eq + 1), StandardCharsets.UTF_8));
        }
      }
    }
    return query;
  }

  private static void reply(HttpExchange exchange, int code, String text) {
    try (exchange) {
      byte[] body = (text + "\n").getBytes(StandardCharsets.UTF_8);
      exchange.sendResponseHeaders(code, body.length);
      exchange.getResponseBody().write(body);
    } catch (IOException e) {
      throw new UncheckedIOException(e);
    }
  }

  @Override
  public void close() {
    server.stop(0);
  }
}
