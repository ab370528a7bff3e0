package dev.evolve.activities.gke;

import com.google.api.gax.rpc.ApiException;
import com.google.api.gax.rpc.StatusCode;
import dev.evolve.workflows.activities.FailureTypes;
import io.temporal.failure.ApplicationFailure;

/**
 * GKE's errors, sorted into what a retry can fix and what it cannot. GKE runs one mutating
 * operation per cluster and says so with FAILED_PRECONDITION; that one is worth retrying with
 * backoff. Version skew, missing resources, bad arguments and quota are not: the message says
 * what a human must change.
 */
final class GkeErrors {

  private GkeErrors() {}

  /**
   * @param permissions the IAM permissions the call needs, named when GKE says PERMISSION_DENIED
   *     (its message often only says "The caller does not have permission")
   */
  static RuntimeException translate(ApiException e, String doing, String... permissions) {
    String message = e.getMessage() == null ? "" : e.getMessage();
    StatusCode.Code code = e.getStatusCode().getCode();
    if (isAnotherOperationRunning(message)) {
      return ApplicationFailure.newFailure(doing + ": GKE is busy with another operation on this cluster, "
          + "retrying with backoff (" + message + ")", "ClusterBusy");
    }
    if (isVersionSkew(message)) {
      return ApplicationFailure.newNonRetryableFailure(doing + ": " + message
          + " (node versions may not exceed the control plane, nor lag it by more than two minors: "
          + "upgrade the control plane first or choose another version)", FailureTypes.VERSION_SKEW);
    }
    return switch (code) {
      case NOT_FOUND -> ApplicationFailure.newNonRetryableFailure(doing + ": not found: " + message
          + " (check project, location, cluster and pool names)", FailureTypes.NOT_FOUND);
      case INVALID_ARGUMENT -> ApplicationFailure.newNonRetryableFailure(doing + ": GKE rejected the request: "
          + message, FailureTypes.INVALID_ARGUMENT);
      // RESOURCE_EXHAUSTED is two things: a per-minute API rate limit, which passes, and quota
      // (CPUs, IP addresses, ...), which stays until someone raises it.
      case RESOURCE_EXHAUSTED -> isRateLimit(e, message)
          ? ApplicationFailure.newFailure(doing + ": GKE's API rate limit, retrying with backoff (" + message + ")",
              FailureTypes.RATE_LIMITED)
          : ApplicationFailure.newNonRetryableFailure(doing + ": quota exhausted: " + message
              + " (raise the quota or choose a smaller temporary pool)", FailureTypes.QUOTA_EXCEEDED);
      case PERMISSION_DENIED -> ApplicationFailure.newNonRetryableFailure(doing
          + ": the worker's Google identity lacks IAM permission " + String.join(" and ", permissions)
          + " on the project (grant it, e.g. through roles/container.clusterAdmin or a custom role): " + message,
          FailureTypes.PERMISSION_DENIED);
      case UNAUTHENTICATED -> ApplicationFailure.newNonRetryableFailure(doing
          + ": GKE did not accept the worker's credentials (missing or expired Application Default Credentials; "
          + "it needs " + String.join(" and ", permissions) + "): " + message, FailureTypes.PERMISSION_DENIED);
      default -> ApplicationFailure.newFailure(doing + ": " + code + ": " + message, "GkeUnavailable");
    };
  }

  /** Google's rate limits say "per minute" (or RATE_LIMIT_EXCEEDED); quota names a resource. */
  static boolean isRateLimit(ApiException e, String message) {
    String reason = e.getReason() == null ? "" : e.getReason();
    return reason.equals("RATE_LIMIT_EXCEEDED") || message.contains("RATE_LIMIT_EXCEEDED")
        || message.matches("(?s).*\\bper (minute|second|100 seconds|user per minute)\\b.*")
        || message.contains("Too many requests");
  }

  static boolean isAnotherOperationRunning(String message) {
    return message.contains("Please wait and try again once it is done")
        || message.contains("incompatible operation");
  }

  static boolean isVersionSkew(String message) {
    return message.contains("cannot be greater than current master version")
        || message.contains("minor versions behind");
  }
}
