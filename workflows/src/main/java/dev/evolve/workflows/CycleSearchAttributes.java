package dev.evolve.workflows;

import io.temporal.common.SearchAttributeKey;
import java.util.List;

/**
 * Search attributes every cycle keeps current, so that {@code temporal workflow list --query
 * "EvolvePool='default-pool' AND EvolvePhase='MIGRATE'"} finds running cycles. They must be
 * registered on the namespace (the worker does it at start-up when it may).
 */
public final class CycleSearchAttributes {

  public static final SearchAttributeKey<String> CLUSTER = SearchAttributeKey.forKeyword("EvolveCluster");
  public static final SearchAttributeKey<String> POOL = SearchAttributeKey.forKeyword("EvolvePool");
  public static final SearchAttributeKey<String> PHASE = SearchAttributeKey.forKeyword("EvolvePhase");

  public static final List<SearchAttributeKey<String>> ALL = List.of(CLUSTER, POOL, PHASE);

  private CycleSearchAttributes() {}
}
