package dev.evolve.fakegke;

import com.google.container.v1.NodeConfig;
import com.google.container.v1.NodeManagement;
import com.google.container.v1.NodePool;
import java.util.ArrayList;
import java.util.List;

/** One node pool as the fake keeps it; its node names are in zone order. */
final class FakePool {

  final String name;
  final List<String> locations;
  final NodeManagement management;
  volatile NodeConfig config;
  volatile String version;
  volatile int nodeCountPerZone;
  volatile NodePool.Status status;
  /** zone and node name of every node, in creation order */
  final List<String[]> nodes = new ArrayList<>();

  FakePool(String name, NodeConfig config, String version, int nodeCountPerZone, List<String> locations,
      NodeManagement management, NodePool.Status status) {
    this.name = name;
    this.config = config;
    this.version = version;
    this.nodeCountPerZone = nodeCountPerZone;
    this.locations = List.copyOf(locations);
    this.management = management;
    this.status = status;
  }

  synchronized NodePool toProto(String selfLink) {
    return NodePool.newBuilder()
        .setName(name)
        .setConfig(config)
        .setVersion(version)
        .setInitialNodeCount(nodeCountPerZone)
        .addAllLocations(locations)
        .setManagement(management)
        .setStatus(status)
        .setSelfLink(selfLink)
        .build();
  }

  synchronized List<String[]> nodesSnapshot() {
    return new ArrayList<>(nodes);
  }
}
