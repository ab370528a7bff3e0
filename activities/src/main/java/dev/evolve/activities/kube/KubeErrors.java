package dev.evolve.activities.kube;

import dev.evolve.workflows.activities.FailureTypes;
import io.fabric8.kubernetes.client.KubernetesClientException;
import io.temporal.failure.ApplicationFailure;
import java.util.function.Supplier;
import java.util.regex.Matcher;
import java.util.regex.Pattern;

/**
 * The API server's refusals that no retry fixes: 403 (RBAC does not allow the verb; the message
 * names verb and resource so the ClusterRole can be fixed) and 422 (the object is invalid).
 * Everything else (409 conflicts, 429, 5xx, timeouts) goes on as it was: retryable.
 */
final class KubeErrors {

  /** The authorizer's words: {@code User "X" cannot patch resource "nodes" in API group "" ...}. */
  private static final Pattern RBAC = Pattern.compile(
      "cannot (\\S+) resource \"([^\"]+)\"(?: in API group \"([^\"]*)\")?");

  private KubeErrors() {}

  static <T> T call(String doing, Supplier<T> body) {
    try {
      return body.get();
    } catch (KubernetesClientException e) {
      throw translate(e, doing);
    }
  }

  static RuntimeException translate(KubernetesClientException e, String doing) {
    String message = e.getStatus() != null && e.getStatus().getMessage() != null ? e.getStatus().getMessage()
        : String.valueOf(e.getMessage());
    if (e.getCode() == 403) {
      Matcher m = RBAC.matcher(message);
      String missing = m.find()
          ? "RBAC verb \"" + m.group(1) + "\" on \"" + m.group(2) + "\""
              + (m.group(3) == null || m.group(3).isEmpty() ? "" : " in API group \"" + m.group(3) + "\"")
          : "an RBAC permission";
      return ApplicationFailure.newNonRetryableFailure(doing + ": the worker's Kubernetes identity lacks " + missing
          + " (the ClusterRole in deploy/kubernetes/rbac.yaml grants what the activities use): " + message,
          FailureTypes.PERMISSION_DENIED);
    }
    if (e.getCode() == 422) {
      return ApplicationFailure.newNonRetryableFailure(doing + ": Kubernetes refused the object as invalid: "
          + message, FailureTypes.INVALID_OBJECT);
    }
    return e;
  }
}
