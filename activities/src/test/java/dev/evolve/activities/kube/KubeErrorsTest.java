package dev.evolve.activities.kube;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertSame;
import static org.junit.jupiter.api.Assertions.assertThrows;
import static org.junit.jupiter.api.Assertions.assertTrue;

import dev.evolve.workflows.activities.FailureTypes;
import io.fabric8.kubernetes.api.model.Status;
import io.fabric8.kubernetes.api.model.StatusBuilder;
import io.fabric8.kubernetes.client.KubernetesClientException;
import io.temporal.failure.ApplicationFailure;
import org.junit.jupiter.api.Test;

/** The API server's refusals, as it words them, sorted into what a retry can fix. */
class KubeErrorsTest {

  static KubernetesClientException refusal(int code, String reason, String message) {
    Status status = new StatusBuilder().withCode(code).withReason(reason).withMessage(message).build();
    return new KubernetesClientException(status);
  }

  @Test
  void forbiddenIsNotRetriedAndNamesTheMissingRbacVerb() {
    KubernetesClientException forbidden = refusal(403, "Forbidden", "nodes \"gke-prod-default-pool-1\" is "
        + "forbidden: User \"system:serviceaccount:evolve:evolve\" cannot patch resource \"nodes\" in API group \"\" "
        + "at the cluster scope");

    ApplicationFailure failure = assertThrows(ApplicationFailure.class,
        () -> KubeErrors.call("cordoning pool default-pool", () -> {
          throw forbidden;
        }));

    assertEquals(FailureTypes.PERMISSION_DENIED, failure.getType());
    assertTrue(failure.isNonRetryable());
    assertTrue(failure.getOriginalMessage().contains("verb \"patch\" on \"nodes\""), failure.getOriginalMessage());
    assertTrue(failure.getOriginalMessage().contains("deploy/kubernetes/rbac.yaml"), failure.getOriginalMessage());
  }

  @Test
  void unprocessableIsNotRetried() {
    KubernetesClientException invalid = refusal(422, "Invalid", "Deployment.apps \"cart\" is invalid: "
        + "spec.strategy.rollingUpdate.maxUnavailable: Invalid value: intstr.IntOrString{Type:0, IntVal:0}: may not "
        + "be 0 when `maxSurge` is 0");

    ApplicationFailure failure = assertThrows(ApplicationFailure.class,
        () -> KubeErrors.call("rolling out shop/Deployment/cart", () -> {
          throw invalid;
        }));

    assertEquals(FailureTypes.INVALID_OBJECT, failure.getType());
    assertTrue(failure.isNonRetryable());
    assertTrue(failure.getOriginalMessage().contains("may not be 0"), failure.getOriginalMessage());
  }

  @Test
  void conflictsAndServerErrorsStayRetryable() {
    KubernetesClientException conflict = refusal(409, "Conflict", "Operation cannot be fulfilled on nodes "
        + "\"n1\": the object has been modified; please apply your changes to the latest version and try again");

    assertSame(conflict, assertThrows(KubernetesClientException.class, () -> KubeErrors.call("cordoning", () -> {
      throw conflict;
    })));
  }
}
