package dev.evolve.sandbox.sim;

import io.fabric8.kubernetes.api.model.policy.v1.PodDisruptionBudget;
import io.fabric8.kubernetes.api.model.policy.v1.PodDisruptionBudgetStatusBuilder;

/** Keeps every PodDisruptionBudget's status current: healthy, desired, expected, allowed. */
final class PdbController implements Controller {

  @Override
  public void reconcile(ClusterView view) {
    for (PodDisruptionBudget pdb : view.pdbs()) {
      Budgets.State state = Budgets.of(pdb, view.pods(), view.replicaSets(), view.deployments(), view.statefulSets());
      var was = pdb.getStatus();
      if (was != null && Integer.valueOf(state.healthy()).equals(was.getCurrentHealthy())
          && Integer.valueOf(state.desired()).equals(was.getDesiredHealthy())
          && Integer.valueOf(state.expected()).equals(was.getExpectedPods())
          && Integer.valueOf(state.disruptionsAllowed()).equals(was.getDisruptionsAllowed())
          && java.util.Objects.equals(pdb.getMetadata().getGeneration(), was.getObservedGeneration())) {
        continue;
      }
      view.client().policy().v1().podDisruptionBudget().inNamespace(pdb.getMetadata().getNamespace())
          .withName(pdb.getMetadata().getName()).editStatus(p -> {
            p.setStatus(new PodDisruptionBudgetStatusBuilder().withCurrentHealthy(state.healthy())
                .withDesiredHealthy(state.desired()).withExpectedPods(state.expected())
                .withDisruptionsAllowed(state.disruptionsAllowed())
                .withObservedGeneration(pdb.getMetadata().getGeneration())
                .addToConditions(new io.fabric8.kubernetes.api.model.ConditionBuilder().withType("DisruptionAllowed")
                    .withStatus(state.disruptionsAllowed() > 0 ? "True" : "False")
                    .withReason(state.disruptionsAllowed() > 0 ? "SufficientPods" : "InsufficientPods")
                    .withLastTransitionTime(Objects.now()).withMessage("").build())
                .build());
            return p;
          });
    }
  }
}
