package dev.evolve.workflows;

import dev.evolve.workflows.model.StartWindow;
import java.time.LocalTime;
import java.time.ZoneOffset;
import java.time.format.DateTimeFormatter;

import static dev.evolve.workflows.NodePoolUpgradeWorkflowTest.failureOf;
import static dev.evolve.workflows.NodePoolUpgradeWorkflowTest.request;
import static dev.evolve.workflows.NodePoolUpgradeWorkflowTest.result;
import static dev.evolve.workflows.NodePoolUpgradeWorkflowTest.start;
import static dev.evolve.workflows.ScriptedCluster.POOL;
import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertTrue;

import dev.evolve.workflows.activities.FailureTypes;
import dev.evolve.workflows.model.CycleStatus;
import dev.evolve.workflows.model.KafkaRotation;
import dev.evolve.workflows.model.TempPoolSettings;
import dev.evolve.workflows.model.UpgradePlan;
import dev.evolve.workflows.model.UpgradeRequest;
import dev.evolve.workflows.model.UpgradeResult;
import dev.evolve.workflows.model.Workload;
import dev.evolve.workflows.model.WorkloadRef;
import io.temporal.failure.ApplicationFailure;
import io.temporal.testing.TestWorkflowEnvironment;
import io.temporal.testing.TestWorkflowExtension;
import io.temporal.worker.Worker;
import java.util.List;
import java.util.function.Consumer;
import java.util.stream.Stream;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.extension.RegisterExtension;
import org.junit.jupiter.params.ParameterizedTest;
import org.junit.jupiter.params.provider.Arguments;
import org.junit.jupiter.params.provider.MethodSource;

/** PREPARE: blockers and bad input stop the cycle before anything changes; a dry run returns the plan. */
class PrepareWorkflowTest {

  @RegisterExtension
  static final TestWorkflowExtension testWorkflow = CycleTestExtension.create();

  /** The request's five named fields only: no Kafka, every option left to its default. */
  static UpgradeRequest.Builder bare(UpgradeRequest r) {
    return UpgradeRequest.builder(r.project(), r.location(), r.cluster(), POOL, r.targetVersion());
  }

  static UpgradeRequest withTarget(String version) {
    UpgradeRequest r = request();
    return UpgradeRequest.builder(r.project(), r.location(), r.cluster(), r.nodePool(), version).kafka(r.kafka())
        .build();
  }

  static Workload withPdbAtZero(WorkloadRef ref) {
    return ScriptedCluster.workload(ref, 1, List.of(), false, List.of(ScriptedCluster.pdb(0)));
  }

  static Stream<Arguments> blockers() {
    return Stream.of(
        Arguments.of("PDB_AT_ZERO", (Consumer<ScriptedCluster>) c ->
            c.workload(withPdbAtZero(new WorkloadRef("batch", "Job", "stuck"))), request()),
        Arguments.of("BARE_POD", (Consumer<ScriptedCluster>) c -> c.workload(
            ScriptedCluster.workload(new WorkloadRef("ops", "Pod", "debug"), 1, List.of(), false, List.of())), request()),
        Arguments.of("EMPTYDIR_DATA", (Consumer<ScriptedCluster>) c -> c.workload(
            ScriptedCluster.workload(new WorkloadRef("web", "Deployment", "cache"), 2, List.of(), true, List.of())),
            request()),
        Arguments.of("ZONAL_VOLUME", (Consumer<ScriptedCluster>) c -> c.workload(new Workload(
            new WorkloadRef("db", "StatefulSet", "pg"), 1, 1, List.of(0), 100, 100, List.of("europe-west1-z"), false,
            "RollingUpdate", null, List.of(ScriptedCluster.pdb(1)), false, null)), request()),
        Arguments.of("STATEFULSET_ROLLOUT_UNFINISHED", (Consumer<ScriptedCluster>) c -> c.workload(new Workload(
            new WorkloadRef("db", "StatefulSet", "pg"), 3, 3, List.of(0, 1, 2), 100, 100, List.of(), false,
            "RollingUpdate", null, List.of(ScriptedCluster.pdb(1)), false,
            "its pods run revision pg-1 while its template is at pg-2 (0 of 3 updated, partition 3)")), request()),
        Arguments.of("VERSION_NOT_OFFERED", (Consumer<ScriptedCluster>) c -> { }, withTarget("1.33.9-gke.1")),
        Arguments.of("ABOVE_CONTROL_PLANE", (Consumer<ScriptedCluster>) c ->
            c.validVersions(List.of(ScriptedCluster.OLD, ScriptedCluster.CONTROL_PLANE, "1.34.1-gke.100")),
            withTarget("1.34.1-gke.100")),
        Arguments.of("DOWNGRADE", (Consumer<ScriptedCluster>) c ->
            c.validVersions(List.of("1.31.2-gke.100", ScriptedCluster.OLD, ScriptedCluster.CONTROL_PLANE)),
            withTarget("1.31.2-gke.100")),
        Arguments.of("OPERATION_IN_FLIGHT", (Consumer<ScriptedCluster>) c -> c.operationInFlight("UPGRADE_MASTER"),
            request()));
  }

  @ParameterizedTest(name = "{0}")
  @MethodSource("blockers")
  void aBlockerStopsTheCycleBeforeAnyChange(String code, Consumer<ScriptedCluster> setup, UpgradeRequest request,
      TestWorkflowEnvironment env, Worker worker) {
    ScriptedCluster cluster = ScriptedCluster.standard();
    setup.accept(cluster);

    ApplicationFailure failure = failureOf(start(env, cluster, worker, request));

    assertEquals(FailureTypes.BLOCKED, failure.getType());
    assertTrue(failure.getOriginalMessage().contains(code), failure.getOriginalMessage());
    assertEquals(List.of(), cluster.changes(), "a blocked cycle changed something");
    UpgradePlan plan = failure.getDetails().get(UpgradePlan.class);
    assertTrue(plan.blockers().stream().anyMatch(b -> b.code().equals(code)), plan.blockers().toString());
  }

  static Stream<Arguments> badRequests() {
    UpgradeRequest ok = request();
    return Stream.of(
        Arguments.of("project", bare(ok).project(null).build()),
        Arguments.of("nodePool", bare(ok).nodePool(" ").build()),
        Arguments.of("targetVersion", withTarget("one-point-three")),
        Arguments.of("kafka.settleSeconds", bare(ok)
            .kafka(new KafkaRotation("kafka", "kafka", null, 0, -5L, 60L)).build()),
        Arguments.of("moveTimeoutSeconds", bare(ok).moveTimeoutSeconds(0L).build()),
        Arguments.of("tempPool.name", bare(ok)
            .tempPool(new TempPoolSettings(POOL, null, null)).build()),
        Arguments.of("startWindow.start", request().withStartWindow(new StartWindow("2am", "06:00", null, null))),
        Arguments.of("startWindow.timeZone",
            request().withStartWindow(new StartWindow("02:00", "06:00", "Mars/Olympus", null))),
        Arguments.of("startWindow.days",
            request().withStartWindow(new StartWindow("02:00", "06:00", null, List.of("Caturday")))),
        Arguments.of("tempPool.nodeCountPerZone", bare(ok)
            .tempPool(new TempPoolSettings(null, null, 0)).build()));
  }

  @ParameterizedTest(name = "{0}")
  @MethodSource("badRequests")
  void badInputFailsFastNamingTheFieldAndTouchesNothing(String field, UpgradeRequest request,
      TestWorkflowEnvironment env, Worker worker) {
    ScriptedCluster cluster = ScriptedCluster.standard();

    ApplicationFailure failure = failureOf(start(env, cluster, worker, request));

    assertEquals(FailureTypes.INVALID_REQUEST, failure.getType());
    assertTrue(failure.isNonRetryable());
    assertTrue(failure.getOriginalMessage().contains(field), failure.getOriginalMessage());
    assertEquals(List.of(), cluster.calls(), "no activity may run for a bad request");
  }

  @Test
  void aDryRunReturnsThePlanAndChangesNothing(TestWorkflowEnvironment env, Worker worker) {
    ScriptedCluster cluster = ScriptedCluster.standard();

    UpgradeResult result = result(start(env, cluster, worker, request().withDryRun(true)));

    assertEquals(CycleStatus.PLANNED, result.status());
    assertEquals(List.of(), cluster.changes());
    UpgradePlan plan = result.plan();
    assertEquals(5, plan.moves().size());
    assertEquals(List.of(0, 1, 2), plan.moves().stream()
        .filter(m -> m.workload().kind().equals("StatefulSet")).findFirst().orElseThrow().ordinals());
    assertEquals("default-pool-temp", plan.tempPool().name());
    assertEquals(ScriptedCluster.CONTROL_PLANE, plan.tempPool().version());
  }

  @Test
  void aPoolAlreadyAtTheTargetIsLeftAlone(TestWorkflowEnvironment env, Worker worker) {
    ScriptedCluster cluster = ScriptedCluster.standard();

    UpgradeResult result = result(start(env, cluster, worker, withTarget(ScriptedCluster.OLD)));

    assertEquals(CycleStatus.NOTHING_TO_DO, result.status());
    assertEquals(List.of(), cluster.changes());
  }

  /** A window of the given hours around the current UTC time, as HH:MM strings. */
  static StartWindow windowAroundNow(int fromHours, int toHours) {
    LocalTime now = LocalTime.now(ZoneOffset.UTC);
    DateTimeFormatter hhmm = DateTimeFormatter.ofPattern("HH:mm");
    return new StartWindow(now.plusHours(fromHours).format(hhmm), now.plusHours(toHours).format(hhmm), "UTC", null);
  }

  @Test
  void aCycleStartedOutsideItsWindowChangesNothing(TestWorkflowEnvironment env, Worker worker) {
    ScriptedCluster cluster = ScriptedCluster.standard();

    UpgradeResult result = result(start(env, cluster, worker, request().withStartWindow(windowAroundNow(2, 3))));

    assertEquals(CycleStatus.SKIPPED_OUTSIDE_WINDOW, result.status());
    assertEquals(List.of(), cluster.changes());
    assertTrue(result.notes().stream().anyMatch(n -> n.contains("outside the maintenance window")), result.notes().toString());
  }

  @Test
  void aCycleStartedInsideItsWindowRuns(TestWorkflowEnvironment env, Worker worker) {
    ScriptedCluster cluster = ScriptedCluster.standard();

    UpgradeResult result = result(start(env, cluster, worker, request().withStartWindow(windowAroundNow(-1, 1))));

    assertEquals(CycleStatus.SUCCEEDED, result.status());
    assertTrue(cluster.changes().stream().anyMatch(c -> c.startsWith("createTempPool")), cluster.changes().toString());
  }
}
