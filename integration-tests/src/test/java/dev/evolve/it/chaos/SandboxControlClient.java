package dev.evolve.it.chaos;

import java.io.IOException;
import java.net.URI;
import java.net.URLEncoder;
import java.net.http.HttpClient;
import java.net.http.HttpRequest;
import java.net.http.HttpResponse;
import java.nio.charset.StandardCharsets;
import java.time.Duration;
import java.util.Map;
import java.util.stream.Collectors;

/** The sandbox's fault port ({@code ./evolve sandbox --control}, see SandboxControl). */
final class SandboxControlClient {

  private final HttpClient http = HttpClient.newBuilder().connectTimeout(Duration.ofSeconds(5)).build();
  private final int port;

  SandboxControlClient(int port) {
    this.port = port;
  }

  /** POSTs the command; returns the sandbox's one-line answer, or throws with it. */
  String send(String path, Map<String, String> params) {
    String query = params.entrySet().stream()
        .map(e -> e.getKey() + "=" + URLEncoder.encode(e.getValue(), StandardCharsets.UTF_8))
        .collect(Collectors.joining("&"));
    HttpRequest request = HttpRequest.newBuilder(URI.create("http://127.0.0.1:" + port + path
            + (query.isEmpty() ? "" : "?" + query)))
        .timeout(Duration.ofSeconds(30)).POST(HttpRequest.BodyPublishers.noBody()).build();
    try {
      HttpResponse<String> response = http.send(request, HttpResponse.BodyHandlers.ofString());
      if (response.statusCode() != 200) {
        throw new IllegalStateException("sandbox control " + path + " " + params + ": " + response.body().trim());
      }
      return response.body().trim();
    } catch (IOException e) {
      throw new IllegalStateException("sandbox control " + path + " unreachable: " + e, e);
    } catch (InterruptedException e) {
      Thread.currentThread().interrupt();
      throw new IllegalStateException(e);
    }
  }

  String send(String path) {
    return send(path, Map.of());
  }
}
