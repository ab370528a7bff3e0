package dev.evolve.workflows.plan;

import dev.evolve.workflows.model.PoolState;
import dev.evolve.workflows.model.UpgradePlan;
import java.util.Optional;

/**
 * What a Terraform user needs to hear. Google's Terraform provider labels what it creates
 * ({@value PoolState#TERRAFORM_LABEL}=true); a pool with that label has its version written in a
 * {@code google_container_node_pool}, which the cycle changes behind Terraform's back. Without the
 * matching change in the configuration, the next {@code terraform plan} shows the drift and an
 * apply would try to put the old version back.
 */
public final class TerraformHint {

  /** How the plan's note starts; the result's hint is given only after a plan that said so. */
  static final String PREFIX = "Terraform: ";

  private TerraformHint() {}

  /** The plan's note for a pool Terraform provisioned. */
  static String planNote(PoolState pool, String target, String tempPool) {
    return PREFIX + "pool " + pool.name() + " is provisioned by Terraform (resource label "
        + PoolState.TERRAFORM_LABEL + "=true): the cycle upgrades it outside Terraform, so set version = \""
        + target + "\" in its google_container_node_pool afterwards (the summary repeats it); the temporary pool "
        + tempPool + " is created by this tool and never enters Terraform state";
  }

  /**
   * After the pool was upgraded: the change to make in the Terraform configuration, when the plan
   * found the pool to be Terraform's.
   */
  public static Optional<String> afterUpgrade(UpgradePlan plan, String version, String tempPool) {
    if (plan == null || version == null || plan.notes().stream().noneMatch(n -> n.startsWith(PREFIX))) {
      return Optional.empty();
    }
    return Optional.of(PREFIX + plan.pool() + " is now at " + version + ": in the google_container_node_pool that "
        + "declares it, set version = \"" + version + "\" (or the variable it reads) before the next terraform "
        + "apply, so that terraform plan shows no drift; " + tempPool + " was never in Terraform state, so there is "
        + "nothing to remove from it");
  }
}
