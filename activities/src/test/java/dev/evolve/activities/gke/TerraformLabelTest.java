package dev.evolve.activities.gke;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertTrue;

import com.google.cloud.container.v1.ClusterManagerClient;
import com.google.container.v1.NodeConfig;
import com.google.container.v1.NodePool;
import dev.evolve.fakegke.FakeGke;
import dev.evolve.workflows.activities.GkeActivities;
import dev.evolve.workflows.model.ClusterRef;
import dev.evolve.workflows.model.PoolState;
import dev.evolve.workflows.model.TempPoolSpec;
import io.fabric8.kubernetes.client.KubernetesClient;
import io.fabric8.kubernetes.client.server.mock.EnableKubernetesMockClient;
import io.temporal.activity.ActivityOptions;
import io.temporal.common.RetryOptions;
import io.temporal.testing.TestActivityEnvironment;
import java.time.Duration;
import java.util.List;
import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.BeforeEach;
import org.junit.jupiter.api.Test;

/**
 * A pool Google's Terraform provider created carries the resource label goog-terraform-provisioned:
 * the activities report it, and the temporary pool, copied from it, does not inherit it.
 */
@EnableKubernetesMockClient(crud = true)
class TerraformLabelTest {

  static final String CP = "1.33.5-gke.1201000";
  static final String OLD = "1.32.9-gke.1100000";
  static final List<String> ZONES = List.of("europe-west1-b", "europe-west1-c", "europe-west1-d");
  static final ClusterRef CLUSTER = new ClusterRef("demo-project", "europe-west1", "prod");

  KubernetesClient kube;
  FakeGke fake;
  ClusterManagerClient client;
  TestActivityEnvironment env;
  GkeActivities gke;

  @BeforeEach
  void start() throws Exception {
    NodePool fromTerraform = NodePool.newBuilder().setName("default-pool").setVersion(OLD).setInitialNodeCount(1)
        .setConfig(NodeConfig.newBuilder().setMachineType("e2-standard-4").setImageType("COS_CONTAINERD")
            .putResourceLabels(PoolState.TERRAFORM_LABEL, "true").putResourceLabels("team", "platform"))
        .build();
    fake = FakeGke.builder().cluster("demo-project", "europe-west1", "prod", ZONES)
        .versions(CP, List.of(OLD, CP)).pool(fromTerraform).kubernetes(kube).build().start();
    client = GkeClients.create(fake.endpoint());
    env = TestActivityEnvironment.newInstance();
    env.registerActivitiesImplementations(new GkeActivitiesImpl(client, Duration.ofMillis(20),
        new KubernetesPoolNodes(kube)));
    gke = env.newActivityStub(GkeActivities.class, ActivityOptions.newBuilder()
        .setStartToCloseTimeout(Duration.ofMinutes(1))
        .setRetryOptions(RetryOptions.newBuilder().setMaximumAttempts(1).build()).build());
  }

  @AfterEach
  void stop() {
    env.close();
    client.close();
    fake.close();
  }

  @Test
  void thePoolIsReportedAsTerraformsAndTheTempPoolIsNot() {
    assertTrue(gke.describeCluster(CLUSTER).pool("default-pool").orElseThrow().provisionedByTerraform());

    PoolState temp = gke.createTempPool(CLUSTER,
        new TempPoolSpec("default-pool-temp", "default-pool", "e2-standard-4", 1, ZONES, CP));

    assertFalse(temp.provisionedByTerraform());
    NodePool created = client.getNodePool("projects/demo-project/locations/europe-west1/clusters/prod/nodePools/"
        + "default-pool-temp");
    assertFalse(created.getConfig().getResourceLabelsMap().containsKey(PoolState.TERRAFORM_LABEL));
    // the pool's other resource labels are the original's, as every other setting is
    assertEquals("platform", created.getConfig().getResourceLabelsMap().get("team"));
  }
}
