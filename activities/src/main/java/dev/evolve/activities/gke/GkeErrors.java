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

  static RuntimeException translate(ApiException e, String doing) {
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
      case RESOURCE_EXHAUSTED -> ApplicationFailure.newNonRetryableFailure(doing + ": quota exhausted: " + message
          + " (raise the quota or choose a smaller temporary pool)", FailureTypes.QUOTA_EXCEEDED);
      case PERMISSION_DENIED, UNAUTHENTICATED -> ApplicationFailure.newNonRetryableFailure(doing
          + ": the worker's credentials may not do this: " + message, FailureTypes.INVALID_ARGUMENT);
      default -> ApplicationFailure.newFailure(doing + ": " + code + ": " + message, "GkeUnavailable");
    };
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
