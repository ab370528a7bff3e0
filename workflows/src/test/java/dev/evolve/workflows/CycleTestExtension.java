package dev.evolve.workflows;

import io.temporal.api.enums.v1.IndexedValueType;
import io.temporal.testing.TestWorkflowExtension;

/**
 * The test environment every workflow test uses: the cycle's workflow, its search attributes
 * registered as a real namespace would have them, and the activities left for each test to
 * register (so that each gets a fresh {@link ScriptedCluster}).
 */
public final class CycleTestExtension {

  private CycleTestExtension() {}

  /** Every workflow type a worker of the cycle registers. */
  static final Class<?>[] WORKFLOWS = CycleWorkflows.implementations();

  public static TestWorkflowExtension create() {
    TestWorkflowExtension.Builder builder = TestWorkflowExtension.newBuilder()
        .registerWorkflowImplementationTypes(WORKFLOWS)
        .setDoNotStart(true);
    CycleSearchAttributes.ALL.forEach(key ->
        builder.registerSearchAttribute(key.getName(), IndexedValueType.INDEXED_VALUE_TYPE_KEYWORD));
    return builder.build();
  }
}
