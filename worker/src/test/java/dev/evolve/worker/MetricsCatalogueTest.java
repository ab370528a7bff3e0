package dev.evolve.worker;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertTrue;

import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.ObjectMapper;
import com.uber.m3.tally.Scope;
import dev.evolve.activities.ActivityMetrics;
import dev.evolve.workflows.CycleMetrics;
import java.lang.reflect.Field;
import java.lang.reflect.Modifier;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.List;
import java.util.Map;
import java.util.Set;
import java.util.TreeSet;
import java.util.regex.Matcher;
import java.util.regex.Pattern;
import org.junit.jupiter.api.BeforeAll;
import org.junit.jupiter.api.Test;

/**
 * The dashboard and the README name metrics by their Prometheus names, which nothing compiles:
 * each is checked against what the worker's registry really exports for the metrics the cycle and
 * the activities emit (every one of them emitted once here, through the worker's own scope).
 */
class MetricsCatalogueTest {

  static final Path ROOT = Path.of("..").toAbsolutePath().normalize();
  static final Path DASHBOARD = ROOT.resolve("deploy/grafana/evolve.json");
  static final Pattern EVOLVE_NAME = Pattern.compile("\\bevolve_[a-z_]+");
  static final Pattern TEMPORAL_NAME = Pattern.compile("\\btemporal_[a-z_]+");

  static Set<String> exported;

  @BeforeAll
  static void exportOneOfEach() {
    try (WorkerMetrics metrics = WorkerMetrics.create()) {
      Scope scope = metrics.scope().tagged(Map.of("kind", "test"));
      List<String> counters = new ArrayList<>(CycleMetrics.COUNTERS);
      counters.addAll(ActivityMetrics.COUNTERS);
      counters.forEach(name -> scope.counter(name).inc(1));
      CycleMetrics.TIMERS.forEach(name -> scope.timer(name).record(com.uber.m3.util.Duration.ofSeconds(90)));
      metrics.scope().close();
      exported = new TreeSet<>(PrometheusText.parse(metrics.scrape()).names());
    } catch (Exception e) {
      throw new AssertionError(e);
    }
  }

  @Test
  void theDashboardIsValidJsonAndQueriesOnlyWhatTheWorkerExports() throws Exception {
    JsonNode dashboard = new ObjectMapper().readTree(DASHBOARD.toFile());
    List<String> expressions = new ArrayList<>();
    collectExpressions(dashboard.get("panels"), expressions);
    assertTrue(expressions.size() >= 10, "panels with queries: " + expressions);

    Set<String> queried = new TreeSet<>();
    Set<String> sdkQueried = new TreeSet<>();
    expressions.forEach(e -> {
      matches(EVOLVE_NAME, e, queried);
      matches(TEMPORAL_NAME, e, sdkQueried);
    });
    Set<String> unknown = new TreeSet<>(queried);
    unknown.removeAll(exported);
    assertEquals(Set.of(), unknown, "queried but not exported; the worker exports " + exported);

    // and every metric of the cycle and the activities has a panel
    for (String name : allNames()) {
      assertTrue(queried.stream().anyMatch(q -> q.startsWith(name + "_")), "no panel queries " + name);
    }

    // the SDK's series: a metric the SDK defines, with the suffix the Prometheus registry gives it
    Set<String> sdkNames = sdkMetricNames();
    for (String series : sdkQueried) {
      String base = series.replaceAll("(_seconds)?(_total|_bucket|_count|_sum|_max)?$", "");
      assertTrue(sdkNames.contains(base), series + " is not a metric of the Temporal SDK (" + base + ")");
    }
    assertTrue(sdkQueried.stream().anyMatch(s -> s.startsWith("temporal_workflow_task_execution_latency")));
    assertTrue(sdkQueried.stream().anyMatch(s -> s.startsWith("temporal_activity_execution_failed")));
    assertTrue(sdkQueried.stream().anyMatch(s -> s.startsWith("temporal_workflow_task_queue_poll_succeed")));
  }

  @Test
  void theReadmeTableNamesEveryMetricAsItIsExported() throws Exception {
    String readme = Files.readString(ROOT.resolve("README.md"));
    int start = readme.indexOf("\n## Metrics");
    assertTrue(start > 0, "README has a Metrics section");
    String section = readme.substring(start, readme.indexOf("\n## ", start + 1));
    Set<String> documented = new TreeSet<>();
    section.lines().filter(l -> l.startsWith("| `evolve_")).forEach(l -> matches(EVOLVE_NAME, l.split("\\|")[1], documented));

    Set<String> families = new TreeSet<>();
    for (String name : exported) {
      if (name.startsWith("evolve_")) {
        families.add(name.replaceAll("_(bucket|count|sum|max)$", ""));
      }
    }
    assertEquals(families, documented, "the README's table against the worker's export");
  }

  private static List<String> allNames() {
    List<String> names = new ArrayList<>(CycleMetrics.COUNTERS);
    names.addAll(ActivityMetrics.COUNTERS);
    names.addAll(CycleMetrics.TIMERS);
    return names;
  }

  private static void collectExpressions(JsonNode panels, List<String> into) {
    for (JsonNode panel : panels == null ? List.<JsonNode>of() : panels) {
      for (JsonNode target : panel.path("targets")) {
        if (target.hasNonNull("expr")) {
          into.add(target.get("expr").asText());
        }
      }
      collectExpressions(panel.get("panels"), into);
    }
  }

  private static void matches(Pattern pattern, String text, Set<String> into) {
    Matcher m = pattern.matcher(text);
    while (m.find()) {
      into.add(m.group());
    }
  }

  private static Set<String> sdkMetricNames() throws IllegalAccessException {
    Set<String> names = new TreeSet<>();
    for (Class<?> type : List.of(io.temporal.worker.MetricsType.class, io.temporal.serviceclient.MetricsType.class)) {
      for (Field field : type.getFields()) {
        if (Modifier.isStatic(field.getModifiers()) && field.getType() == String.class) {
          names.add((String) field.get(null));
        }
      }
    }
    return names;
  }
}
