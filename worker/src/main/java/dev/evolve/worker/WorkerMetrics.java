package dev.evolve.worker;

import com.uber.m3.tally.RootScopeBuilder;
import com.uber.m3.tally.Scope;
import com.uber.m3.tally.ScopeCloseException;
import io.micrometer.core.instrument.Meter;
import io.micrometer.core.instrument.binder.jvm.JvmMemoryMetrics;
import io.micrometer.core.instrument.binder.jvm.JvmThreadMetrics;
import io.micrometer.core.instrument.binder.system.ProcessorMetrics;
import io.micrometer.core.instrument.config.MeterFilter;
import io.micrometer.core.instrument.distribution.DistributionStatisticConfig;
import io.micrometer.prometheusmetrics.PrometheusConfig;
import io.micrometer.prometheusmetrics.PrometheusMeterRegistry;
import io.temporal.common.reporter.MicrometerClientStatsReporter;
import java.time.Duration;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;

/**
 * The worker's one metrics registry. The Temporal SDK reports through Tally; the SDK's Micrometer
 * reporter hands what Tally reports to a Prometheus registry. The Tally scope made here goes into
 * the service stubs' options, and from there the SDK gives it (tagged with namespace, task queue,
 * workflow or activity type) to its own metrics, to {@code Workflow.getMetricsScope()} in the
 * cycle's code and to each activity's context: everything ends up in {@link #scrape}, with no
 * static registry anywhere.
 */
public final class WorkerMetrics implements AutoCloseable {

  private static final Logger log = LoggerFactory.getLogger(WorkerMetrics.class);

  /**
   * How often Tally hands its counters to the registry. Scrapes come every 15 to 60 s; one second
   * keeps a scrape at most a second behind, for the cost of walking a few hundred series.
   */
  static final Duration REPORT_EVERY = Duration.ofSeconds(1);

  /** The cycle's phase timer (workflows' CycleMetrics), whose phases last seconds to hours. */
  static final String PHASE_DURATION = "evolve_phase_duration";

  private final PrometheusMeterRegistry registry;
  private final Scope scope;

  private WorkerMetrics(PrometheusMeterRegistry registry, Scope scope) {
    this.registry = registry;
    this.scope = scope;
  }

  public static WorkerMetrics create() {
    return create(REPORT_EVERY);
  }

  public static WorkerMetrics create(Duration reportEvery) {
    PrometheusMeterRegistry registry = new PrometheusMeterRegistry(PrometheusConfig.DEFAULT);
    registry.config().meterFilter(phaseBuckets());
    // what a Deployment's memory limit and CPU request are judged by
    new JvmMemoryMetrics().bindTo(registry);
    new JvmThreadMetrics().bindTo(registry);
    new ProcessorMetrics().bindTo(registry);
    Scope scope = new RootScopeBuilder()
        .reporter(new MicrometerClientStatsReporter(registry))
        .reportEvery(com.uber.m3.util.Duration.ofMillis(reportEvery.toMillis()));
    return new WorkerMetrics(registry, scope);
  }

  /**
   * The SDK asks for a histogram on every timer; Micrometer's default buckets stop at 30 s, which
   * would put every phase but PREPARE in +Inf. Phases get buckets from a second to twelve hours.
   */
  private static MeterFilter phaseBuckets() {
    return new MeterFilter() {
      @Override
      public DistributionStatisticConfig configure(Meter.Id id, DistributionStatisticConfig config) {
        if (!id.getName().equals(PHASE_DURATION)) {
          return config;
        }
        return DistributionStatisticConfig.builder()
            .minimumExpectedValue((double) Duration.ofSeconds(1).toNanos())
            .maximumExpectedValue((double) Duration.ofHours(12).toNanos())
            .build().merge(config);
      }
    };
  }

  /** For WorkflowServiceStubsOptions (or a test environment's options): the SDK's and the cycle's metrics go here. */
  public Scope scope() {
    return scope;
  }

  public PrometheusMeterRegistry registry() {
    return registry;
  }

  /** Everything in the Prometheus text format (version 0.0.4). */
  public String scrape() {
    return registry.scrape();
  }

  /** Reports what Tally still holds, then closes the registry. */
  @Override
  public void close() {
    try {
      scope.close();
    } catch (ScopeCloseException e) {
      log.warn("closing the metrics scope: {}", e.getMessage());
    }
    registry.close();
  }
}
