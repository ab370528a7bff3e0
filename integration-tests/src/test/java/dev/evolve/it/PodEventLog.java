package dev.evolve.it;

import io.fabric8.kubernetes.api.model.Pod;
import io.fabric8.kubernetes.api.model.PodCondition;
import io.fabric8.kubernetes.client.Config;
import io.fabric8.kubernetes.client.KubernetesClient;
import io.fabric8.kubernetes.client.KubernetesClientBuilder;
import io.fabric8.kubernetes.client.Watch;
import io.fabric8.kubernetes.client.Watcher;
import io.fabric8.kubernetes.client.WatcherException;
import java.io.BufferedWriter;
import java.io.IOException;
import java.io.UncheckedIOException;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.time.LocalTime;
import java.time.temporal.ChronoUnit;

/**
 * Every change to every pod of a sandbox's cluster, one line each, in a file next to the other
 * logs: when a comparison of pod starts fails, this says which pod started when, on which node,
 * and what happened to its predecessor. The sandbox's status only has the counts.
 */
final class PodEventLog implements AutoCloseable {

  private final KubernetesClient client;
  private final BufferedWriter out;
  private final Watch watch;

  private PodEventLog(KubernetesClient client, BufferedWriter out, Watch watch) {
    this.client = client;
    this.out = out;
    this.watch = watch;
  }

  static PodEventLog start(Path kubeconfig, Path file) {
    KubernetesClient client;
    BufferedWriter out;
    try {
      client = new KubernetesClientBuilder()
          .withConfig(Config.fromKubeconfig(null, Files.readString(kubeconfig), kubeconfig.toString())).build();
      out = Files.newBufferedWriter(file, StandardCharsets.UTF_8);
    } catch (IOException e) {
      throw new UncheckedIOException(e);
    }
    Watch watch = client.pods().inAnyNamespace().watch(new Watcher<>() {
      @Override
      public void eventReceived(Action action, Pod pod) {
        write(out, LocalTime.now().truncatedTo(ChronoUnit.MILLIS) + " " + action + " " + describe(pod));
      }

      @Override
      public void onClose(WatcherException cause) {
        write(out, LocalTime.now().truncatedTo(ChronoUnit.MILLIS) + " watch closed: " + cause.getMessage());
      }
    });
    return new PodEventLog(client, out, watch);
  }

  /** "ns/name uid=... node=... phase=... ready=... deleting=..." */
  private static String describe(Pod pod) {
    String ready = pod.getStatus() == null || pod.getStatus().getConditions() == null ? "-"
        : pod.getStatus().getConditions().stream().filter(c -> "Ready".equals(c.getType()))
            .map(PodCondition::getStatus).findFirst().orElse("-");
    return pod.getMetadata().getNamespace() + "/" + pod.getMetadata().getName()
        + " uid=" + pod.getMetadata().getUid()
        + " node=" + pod.getSpec().getNodeName()
        + " phase=" + (pod.getStatus() == null ? null : pod.getStatus().getPhase())
        + " ready=" + ready
        + (pod.getMetadata().getDeletionTimestamp() == null ? "" : " deleting=" + pod.getMetadata().getDeletionTimestamp());
  }

  private static void write(BufferedWriter out, String line) {
    synchronized (out) {
      try {
        out.write(line);
        out.newLine();
        out.flush();
      } catch (IOException e) {
        // the log is a diagnostic: a closed file must not fail the watch
      }
    }
  }

  @Override
  public void close() {
    watch.close();
    client.close();
    synchronized (out) {
      try {
        out.close();
      } catch (IOException e) {
        // nothing more to write
      }
    }
  }
}
