package dev.evolve.it;

import io.fabric8.kubernetes.api.model.Pod;
import io.fabric8.kubernetes.api.model.PodCondition;
import io.fabric8.kubernetes.client.Config;
import io.fabric8.kubernetes.client.KubernetesClient;
import io.fabric8.kubernetes.client.KubernetesClientBuilder;
import io.fabric8.kubernetes.client.informers.ResourceEventHandler;
import io.fabric8.kubernetes.client.informers.SharedIndexInformer;
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
  private final SharedIndexInformer<Pod> informer;

  private PodEventLog(KubernetesClient client, BufferedWriter out, SharedIndexInformer<Pod> informer) {
    this.client = client;
    this.out = out;
    this.informer = informer;
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
    // An informer, not a bare watch: after an API server restart a watch ends with "too old
    // resource version" and would log nothing more; the informer lists again and goes on.
    SharedIndexInformer<Pod> informer = client.pods().inAnyNamespace().inform(new ResourceEventHandler<>() {
      @Override
      public void onAdd(Pod pod) {
        write(out, now() + " ADDED " + describe(pod));
      }

      @Override
      public void onUpdate(Pod before, Pod pod) {
        write(out, now() + " MODIFIED " + describe(pod));
      }

      @Override
      public void onDelete(Pod pod, boolean finalStateUnknown) {
        write(out, now() + " DELETED " + describe(pod) + (finalStateUnknown ? " (seen gone on a new list)" : ""));
      }
    });
    return new PodEventLog(client, out, informer);
  }

  private static String now() {
    return LocalTime.now().truncatedTo(ChronoUnit.MILLIS).toString();
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
    informer.close();
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
