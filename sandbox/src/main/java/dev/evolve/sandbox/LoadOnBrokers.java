package dev.evolve.sandbox;

import dev.evolve.sandbox.kafka.KafkaLoad;
import dev.evolve.sandbox.kafka.KafkaReport;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;

/**
 * For the long-running {@code ./evolve sandbox}: the Kafka load starts once every broker serves and
 * runs until the sandbox stops, so that any cycle driven against it, crashed workers and all, is
 * judged by what the producer and consumer saw.
 */
final class LoadOnBrokers implements AutoCloseable {

  private static final Logger log = LoggerFactory.getLogger(LoadOnBrokers.class);

  private final Sandbox sandbox;
  private volatile KafkaLoad load;
  private volatile boolean closed;

  LoadOnBrokers(Sandbox sandbox) {
    this.sandbox = sandbox;
    if (sandbox.cluster().kafka().isPresent()) {
      Thread starter = new Thread(this::startWhenServing, "kafka-load-start");
      starter.setDaemon(true);
      starter.start();
    }
  }

  private void startWhenServing() {
    try {
      while (!closed && !sandbox.cluster().brokersServing()) {
        Thread.sleep(500);
      }
      if (!closed) {
        load = KafkaLoad.start(sandbox.cluster().kafka().orElseThrow());
      }
    } catch (InterruptedException e) {
      Thread.currentThread().interrupt();
    } catch (Exception e) {
      log.error("cannot start the Kafka load: {}", e.toString(), e);
    }
  }

  /** The figures so far, or null before the load runs. */
  KafkaReport report() {
    KafkaLoad running = load;
    return running == null ? null : running.snapshot(sandbox.cluster().brokerEvents());
  }

  @Override
  public void close() {
    closed = true;
    if (load != null) {
      load.close();
    }
  }
}
