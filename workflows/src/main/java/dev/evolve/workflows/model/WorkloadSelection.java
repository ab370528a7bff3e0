package dev.evolve.workflows.model;

import com.fasterxml.jackson.annotation.JsonIgnoreProperties;
import java.util.List;

/**
 * Which workloads with pods on the pool move. Empty lists mean "no restriction". Workloads are
 * written {@code namespace/Kind/name}, e.g. {@code shop/Deployment/cart}. DaemonSets never move:
 * the temporary pool runs its own copies.
 *
 * @param namespaces only these namespaces (empty: all)
 * @param include only these workloads (empty: all)
 * @param exclude never these workloads; their pods stay on the pool and the plan reports them as
 *     blockers, since upgrading the pool would stop them
 */
@JsonIgnoreProperties(ignoreUnknown = true)
public record WorkloadSelection(List<String> namespaces, List<String> include, List<String> exclude) {

  public static WorkloadSelection everything() {
    return new WorkloadSelection(List.of(), List.of(), List.of());
  }

  public List<String> namespacesOrEmpty() {
    return namespaces != null ? namespaces : List.of();
  }

  public List<String> includeOrEmpty() {
    return include != null ? include : List.of();
  }

  public List<String> excludeOrEmpty() {
    return exclude != null ? exclude : List.of();
  }
}
