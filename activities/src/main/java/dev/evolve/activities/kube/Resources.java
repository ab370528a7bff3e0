package dev.evolve.activities.kube;

import io.fabric8.kubernetes.api.model.Container;
import io.fabric8.kubernetes.api.model.Pod;
import io.fabric8.kubernetes.api.model.Quantity;
import java.math.BigDecimal;

/** CPU and memory requests in plain numbers: millicores and bytes. */
final class Resources {

  private Resources() {}

  static long millicores(Quantity q) {
    return q == null ? 0 : Quantity.getAmountInBytes(q).multiply(BigDecimal.valueOf(1000)).longValue();
  }

  static long bytes(Quantity q) {
    return q == null ? 0 : Quantity.getAmountInBytes(q).longValue();
  }

  static long cpuRequested(Pod pod) {
    return pod.getSpec().getContainers().stream().mapToLong(c -> millicores(request(c, "cpu"))).sum();
  }

  static long memoryRequested(Pod pod) {
    return pod.getSpec().getContainers().stream().mapToLong(c -> bytes(request(c, "memory"))).sum();
  }

  private static Quantity request(Container c, String resource) {
    return c.getResources() == null || c.getResources().getRequests() == null ? null
        : c.getResources().getRequests().get(resource);
  }
}
