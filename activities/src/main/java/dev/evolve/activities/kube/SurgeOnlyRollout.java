package dev.evolve.activities.kube;

import io.fabric8.kubernetes.api.model.IntOrString;
import io.fabric8.kubernetes.api.model.apps.Deployment;
import io.fabric8.kubernetes.api.model.apps.DeploymentStrategy;
import io.fabric8.kubernetes.api.model.apps.RollingUpdateDeployment;

/**
 * The strategy a Deployment is moved with. The Deployment controller never asks a
 * PodDisruptionBudget before it stops a pod, so a rollout with maxUnavailable above 0 (the default
 * is 25%) can break a budget. For the move, maxUnavailable is set to 0 and the Deployment's own
 * maxSurge kept: every old pod keeps serving until a new one is Ready, and there are never more
 * pods than the owner allowed. The original strategy is recorded in {@link OriginalScheduling} and
 * put back after the move back. A Deployment that may not surge is not rolled when a budget covers
 * it (the planner moves it by eviction instead).
 */
final class SurgeOnlyRollout {

  private SurgeOnlyRollout() {}

  /** Makes the strategy surge-only when the Deployment may surge at all; leaves it alone otherwise. */
  static void applyTo(Deployment deployment) {
    DeploymentStrategy strategy = deployment.getSpec().getStrategy();
    if (strategy != null && "Recreate".equals(strategy.getType())) {
      return;
    }
    int replicas = deployment.getSpec().getReplicas() == null ? 1 : deployment.getSpec().getReplicas();
    RollingUpdateDeployment rolling = strategy == null || strategy.getRollingUpdate() == null
        ? new RollingUpdateDeployment() : strategy.getRollingUpdate();
    if (IntOrPercent.resolve(rolling.getMaxSurge(), "25%", replicas, true) < 1) {
      return;
    }
    // An absent maxSurge means 25%; write it down, since maxUnavailable 0 with a default of 0 surge is invalid.
    if (rolling.getMaxSurge() == null) {
      rolling.setMaxSurge(new IntOrString("25%"));
    }
    rolling.setMaxUnavailable(new IntOrString(0));
    deployment.getSpec().setStrategy(new DeploymentStrategy(rolling, "RollingUpdate"));
  }
}
