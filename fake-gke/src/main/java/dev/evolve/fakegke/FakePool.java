package dev.evolve.fakegke;

import com.google.container.v1.NodeConfig;
import com.google.container.v1.NodeManagement;
import com.google.container.v1.NodePool;
import com.google.container.v1.NodePoolAutoscaling;
import java.util.ArrayList;
import java.util.List;

/** One node pool as the fake keeps it; its node names are in zone order. */
final class FakePool {

  /** What GKE gives a pool created without upgrade settings: surge, one node at a time. */
  static final NodePool.UpgradeSettings GKE_DEFAULT_UPGRADE = NodePool.UpgradeSettings.newBuilder()
      .setStrategy(com.google.container.v1.NodePoolUpdateStrategy.SURGE).setMaxSurge(1).setMaxUnavailable(0).build();

  final String name;
  final List<String> locations;
  final NodeManagement management;
  /**
   * What the pool was created with (max pods, network and placement settings, ...). GKE keeps
   * initialNodeCount as it was at creation: a resize changes the instance groups, not this.
   */
  final NodePool created;
  volatile NodeConfig config;
  volatile String version;
  volatile int nodeCountPerZone;
  volatile NodePool.Status status;
  volatile NodePool.UpgradeSettings upgradeSettings;
  volatile NodePoolAutoscaling autoscaling;
  /** zone and node name of every node, in creation order */
  final List<String[]> nodes = new ArrayList<>();

  FakePool(NodePool created, List<String> locations, String version, NodePool.Status status) {
    this.name = created.getName();
    this.created = created;
    this.config = created.getConfig();
    this.version = version;
    this.nodeCountPerZone = created.getInitialNodeCount();
    this.locations = List.copyOf(locations);
    this.management = created.getManagement();
    this.status = status;
    this.upgradeSettings = created.hasUpgradeSettings() ? created.getUpgradeSettings() : GKE_DEFAULT_UPGRADE;
    this.autoscaling = created.getAutoscaling();
  }

  FakePool(String name, NodeConfig config, String version, int nodeCountPerZone, List<String> locations,
      NodeManagement management, NodePool.Status status) {
    this(NodePool.newBuilder().setName(name).setConfig(config).setInitialNodeCount(nodeCountPerZone)
        .setManagement(management).build(), locations, version, status);
  }

  synchronized NodePool toProto(String selfLink, String project) {
    NodePool.Builder pool = created.toBuilder()
        .setName(name)
        .setConfig(config)
        .setVersion(version)
        .clearLocations().addAllLocations(locations)
        .setManagement(management)
        .setStatus(status)
        .setSelfLink(selfLink)
        .setUpgradeSettings(upgradeSettings)
        .setAutoscaling(autoscaling)
        .clearInstanceGroupUrls();
    // one managed instance group per zone, as GKE lists them; their sizes are the pool's size
    for (String zone : locations) {
      pool.addInstanceGroupUrls("https://www.googleapis.com/compute/v1/projects/" + project + "/zones/" + zone
          + "/instanceGroupManagers/gke-" + name + "-grp");
    }
    return pool.build();
  }

  synchronized List<String[]> nodesSnapshot() {
    return new ArrayList<>(nodes);
  }

  synchronized long nodesIn(String zone) {
    return nodes.stream().filter(n -> n[0].equals(zone)).count();
  }
}
