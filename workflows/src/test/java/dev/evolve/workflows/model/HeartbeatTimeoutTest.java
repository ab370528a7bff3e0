package dev.evolve.workflows.model;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertNull;
import static org.junit.jupiter.api.Assertions.assertTrue;

import dev.evolve.workflows.plan.RequestValidator;
import io.temporal.api.common.v1.Payload;
import io.temporal.common.converter.DefaultDataConverter;
import java.nio.charset.StandardCharsets;
import java.time.Duration;
import org.junit.jupiter.api.Test;

/** heartbeatTimeoutSeconds: read from the CLI's JSON like every other field, checked, defaulted. */
class HeartbeatTimeoutTest {

  private static UpgradeRequest fromJson(String json) {
    Payload payload = Payload.newBuilder()
        .putMetadata("encoding", com.google.protobuf.ByteString.copyFromUtf8("json/plain"))
        .setData(com.google.protobuf.ByteString.copyFrom(json, StandardCharsets.UTF_8))
        .build();
    return DefaultDataConverter.STANDARD_INSTANCE.fromPayload(payload, UpgradeRequest.class, UpgradeRequest.class);
  }

  private static final String BASE = """
      "project": "p", "location": "europe-west1", "cluster": "c", "nodePool": "default-pool",
      "targetVersion": "1.33.5-gke.1201000\"""";

  @Test
  void theWorkflowInputCarriesTheHeartbeatTimeout() {
    UpgradeRequest request = fromJson("{" + BASE + ", \"heartbeatTimeoutSeconds\": 8}");

    assertEquals(8L, request.heartbeatTimeoutSeconds());
    assertEquals(Duration.ofSeconds(8), request.heartbeatTimeoutOr(Duration.ofMinutes(1)));
    assertEquals(8L, request.withDryRun(true).heartbeatTimeoutSeconds());
    assertTrue(RequestValidator.problems(request).isEmpty(), RequestValidator.problems(request).toString());
  }

  @Test
  void leftOutItKeepsEachActivitysDefault() {
    UpgradeRequest request = fromJson("{" + BASE + "}");

    assertNull(request.heartbeatTimeoutSeconds());
    assertEquals(Duration.ofMinutes(2), request.heartbeatTimeoutOr(Duration.ofMinutes(2)));
  }

  @Test
  void aTimeoutShorterThanTheActivitiesPollIsRefused() {
    UpgradeRequest request = fromJson("{" + BASE + ", \"heartbeatTimeoutSeconds\": 1}");

    assertEquals(1, RequestValidator.problems(request).size());
    assertTrue(RequestValidator.problems(request).get(0).startsWith("heartbeatTimeoutSeconds must be at least 5"));
  }
}
