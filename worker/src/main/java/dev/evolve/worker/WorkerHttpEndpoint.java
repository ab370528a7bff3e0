package dev.evolve.worker;

import com.sun.net.httpserver.HttpExchange;
import com.sun.net.httpserver.HttpServer;
import java.io.IOException;
import java.io.OutputStream;
import java.net.InetSocketAddress;
import java.nio.charset.StandardCharsets;
import java.util.Optional;
import java.util.concurrent.ExecutorService;
import java.util.concurrent.Executors;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;

/**
 * The worker's HTTP port: {@code /metrics} for Prometheus, {@code /healthz} (liveness: the process
 * answers) and {@code /readyz} (readiness, see {@link Readiness}) for Kubernetes. The JDK's own
 * server: three small GET handlers need no framework.
 */
public final class WorkerHttpEndpoint implements AutoCloseable {

  private static final Logger log = LoggerFactory.getLogger(WorkerHttpEndpoint.class);

  static final String PROMETHEUS_TEXT = "text/plain; version=0.0.4; charset=utf-8";
  private static final String PLAIN = "text/plain; charset=utf-8";

  private final HttpServer server;
  private final ExecutorService threads;
  private volatile Readiness readiness = Readiness.startingUp();

  private WorkerHttpEndpoint(HttpServer server, ExecutorService threads) {
    this.server = server;
    this.threads = threads;
  }

  /**
   * Serves on {@code port} on every interface (a pod is scraped and probed on its own IP); port 0
   * takes a free one, see {@link #port}.
   */
  public static WorkerHttpEndpoint start(int port, WorkerMetrics metrics) throws IOException {
    HttpServer server = HttpServer.create(new InetSocketAddress(port), 16);
    // two threads: a readiness check waiting on Temporal must not hold up a scrape
    ExecutorService threads = Executors.newFixedThreadPool(2, r -> {
      Thread thread = new Thread(r, "evolve-http");
      thread.setDaemon(true);
      return thread;
    });
    WorkerHttpEndpoint endpoint = new WorkerHttpEndpoint(server, threads);
    server.createContext("/metrics", exchange -> endpoint.answer(exchange, 200, PROMETHEUS_TEXT, metrics.scrape()));
    server.createContext("/healthz", exchange -> endpoint.answer(exchange, 200, PLAIN, "ok\n"));
    server.createContext("/readyz", endpoint::readyz);
    server.setExecutor(threads);
    server.start();
    log.info("metrics on http://{}:{}/metrics, probes on /healthz and /readyz", "0.0.0.0", endpoint.port());
    return endpoint;
  }

  /** From now on {@code /readyz} asks this (until then: not ready, starting up). */
  public void readiness(Readiness value) {
    readiness = value;
  }

  public int port() {
    return server.getAddress().getPort();
  }

  private void readyz(HttpExchange exchange) throws IOException {
    Optional<String> notReady;
    try {
      notReady = readiness.notReadyBecause();
    } catch (RuntimeException e) {
      notReady = Optional.of("readiness check failed: " + e);
    }
    if (notReady.isPresent()) {
      answer(exchange, 503, PLAIN, "not ready: " + notReady.get() + "\n");
    } else {
      answer(exchange, 200, PLAIN, "ready\n");
    }
  }

  private void answer(HttpExchange exchange, int status, String contentType, String body) throws IOException {
    try (exchange) {
      // the contexts match by prefix: only the exact paths are served, and only to GET (and HEAD)
      String method = exchange.getRequestMethod();
      if (!exchange.getRequestURI().getPath().equals(exchange.getHttpContext().getPath())) {
        status = 404;
        body = "not found\n";
        contentType = PLAIN;
      } else if (!method.equals("GET") && !method.equals("HEAD")) {
        status = 405;
        body = "method not allowed\n";
        contentType = PLAIN;
      }
      byte[] bytes = body.getBytes(StandardCharsets.UTF_8);
      exchange.getResponseHeaders().set("Content-Type", contentType);
      boolean head = method.equals("HEAD");
      exchange.sendResponseHeaders(status, head ? -1 : bytes.length);
      if (!head) {
        try (OutputStream out = exchange.getResponseBody()) {
          out.write(bytes);
        }
      }
    }
  }

  @Override
  public void close() {
    server.stop(0);
    threads.shutdownNow();
  }
}
