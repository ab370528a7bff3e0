package dev.evolve.worker.bench;

import com.uber.m3.tally.RootScopeBuilder;
import com.uber.m3.tally.Scope;
import com.uber.m3.tally.ScopeCloseException;
import io.micrometer.core.instrument.Counter;
import io.micrometer.core.instrument.simple.SimpleMeterRegistry;
import io.temporal.common.reporter.MicrometerClientStatsReporter;
import io.temporal.worker.MetricsType;
import java.util.Locale;

/**
 * The Temporal SDK's own counters of the worker's workflow cache, kept in memory: a miss is a
 * workflow task for a workflow not in the cache, which the worker must replay from its whole
 * history; a thread eviction is a cached workflow thrown out because no workflow thread was left
 * for another one (its next task is such a miss).
 */
final class SdkCounters {

  private final SimpleMeterRegistry registry = new SimpleMeterRegistry();
  private final Scope scope = new RootScopeBuilder()
      .reporter(new MicrometerClientStatsReporter(registry))
      .reportEvery(com.uber.m3.util.Duration.ofSeconds(1));

  /** For {@code WorkflowServiceStubsOptions.setMetricsScope}: the worker reports through the service stubs' scope. */
  Scope scope() {
    return scope;
  }

  private long count(String name) {
    return Math.round(registry.find(name).counters().stream().mapToDouble(Counter::count).sum());
  }

  String describe() {
    try {
      scope.close(); // reports what is still buffered
    } catch (ScopeCloseException e) {
      // the counters reported up to the last second are still there
    }
    return String.format(Locale.ROOT, "workflow cache %d hits, %d misses (a full replay each), %d cycles evicted for"
            + " want of a workflow thread",
        count(MetricsType.STICKY_CACHE_HIT), count(MetricsType.STICKY_CACHE_MISS),
        count(MetricsType.STICKY_CACHE_THREAD_FORCED_EVICTION));
  }
}
