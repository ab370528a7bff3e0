package dev.evolve.it;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertTrue;

import java.time.Duration;
import java.util.List;
import java.util.Optional;
import java.util.Set;
import java.util.TreeSet;
import org.junit.jupiter.api.Test;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;

/**
 * A sandbox that dies without running its shutdown hook (SIGKILL, as when a test run is killed)
 * must not leave its Kubernetes control plane running: scripts/kube.sh watches the sandbox JVM
 * ({@code up --parent-pid}) and stops what it started. A normal stop is checked by every test's
 * {@link SandboxProcess#close()}.
 */
class SandboxCleanupIT {

  private static final Logger log = LoggerFactory.getLogger(SandboxCleanupIT.class);
  private static final Set<String> COMPONENTS =
      Set.of("etcd", "kube-apiserver", "kube-controller-manager", "kube-scheduler", "kwok");

  @Test
  void aSandboxKilledWithSigkillTakesItsControlPlaneWithIt() {
    try (SandboxProcess sandbox = SandboxProcess.start("cleanup-sandbox")) {
      List<ProcessHandle> started = sandbox.controlPlane();
      Set<String> names = new TreeSet<>();
      started.forEach(p -> p.info().command().ifPresent(c -> names.add(c.substring(c.lastIndexOf('/') + 1))));
      assertTrue(names.containsAll(COMPONENTS), "the sandbox runs the whole control plane: " + names);

      long killedAt = System.nanoTime();
      sandbox.kill();
      // kube.sh checks every second that its parent lives, then stops the five components in turn.
      Await.until("the killed sandbox's control plane to stop", Duration.ofSeconds(15), Duration.ofMillis(100),
          () -> SandboxProcess.alive(started).isEmpty() ? Optional.of(true) : Optional.empty());
      log.info("control plane gone {} ms after the sandbox JVM got SIGKILL",
          Duration.ofNanos(System.nanoTime() - killedAt).toMillis());
      assertEquals(List.of(), SandboxProcess.alive(started));
    }
  }
}
