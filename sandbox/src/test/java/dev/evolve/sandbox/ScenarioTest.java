package dev.evolve.sandbox;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertNull;

import java.nio.file.Files;
import java.nio.file.Path;
import java.util.List;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

/** A scenario file reads back as written, in JSON and in YAML (the format in sandbox/README.md). */
class ScenarioTest {

  @Test
  void theDefaultScenarioRoundTripsThroughJson(@TempDir Path dir) throws Exception {
    Scenario scenario = Scenario.defaultScenario();
    Path json = Files.writeString(dir.resolve("s.json"), scenario.toJson());
    assertEquals(scenario, Scenario.load(json));
  }

  @Test
  void aYamlFileNamesOnlyWhatItNeeds(@TempDir Path dir) throws Exception {
    Path yaml = Files.writeString(dir.resolve("s.yaml"), """
        cluster: {project: p, location: europe-west1, name: c, controlPlaneVersion: 1.33.5-gke.1, zones: [europe-west1-b]}
        pools: [{name: default-pool, version: 1.32.9-gke.1, machineType: e2-standard-4, nodesPerZone: 2}]
        workloads:
        - {kind: Deployment, namespace: a, name: web, replicas: 2, pdb: {minAvailable: "1"}}
        - {kind: StatefulSet, namespace: a, name: db, strategy: OnDelete, volumeZones: [europe-west1-b],
           terminationGracePeriodSeconds: 45}
        """);
    Scenario loaded = Scenario.load(yaml);
    assertEquals(2, loaded.pools().get(0).nodesPerZone());
    Scenario.WorkloadSpec web = loaded.workloads().get(0);
    assertEquals("1", web.pdb().minAvailable());
    assertNull(web.terminationGracePeriodSeconds(), "unset, so Kubernetes' default of 30 s applies");
    Scenario.WorkloadSpec db = loaded.workloads().get(1);
    assertEquals("OnDelete", db.strategy());
    assertEquals(List.of("europe-west1-b"), db.volumeZones());
    assertEquals(45.0, db.terminationGracePeriodSeconds());
  }
}
