package dev.evolve.sandbox.kafka;

import java.time.Duration;
import java.util.ArrayList;
import java.util.BitSet;
import java.util.HashSet;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.Properties;
import java.util.Set;
import java.util.TreeMap;
import java.util.concurrent.ConcurrentHashMap;
import java.util.concurrent.TimeUnit;
import java.util.concurrent.atomic.AtomicLong;
import org.apache.kafka.clients.admin.Admin;
import org.apache.kafka.clients.admin.AlterConfigOp;
import org.apache.kafka.clients.admin.ConfigEntry;
import org.apache.kafka.clients.admin.NewTopic;
import org.apache.kafka.clients.admin.TopicDescription;
import org.apache.kafka.clients.consumer.ConsumerConfig;
import org.apache.kafka.clients.consumer.ConsumerRecord;
import org.apache.kafka.clients.consumer.KafkaConsumer;
import org.apache.kafka.clients.producer.KafkaProducer;
import org.apache.kafka.clients.producer.ProducerConfig;
import org.apache.kafka.clients.producer.ProducerRecord;
import org.apache.kafka.common.TopicPartitionInfo;
import org.apache.kafka.common.config.ConfigResource;
import org.apache.kafka.common.errors.TopicExistsException;
import org.apache.kafka.common.serialization.StringDeserializer;
import org.apache.kafka.common.serialization.StringSerializer;
import org.apache.kafka.common.utils.AppInfoParser;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;

/**
 * A producer writing numbered messages (acks=all, idempotent) to topics with replication factor 3,
 * a consumer reading them back, and a sampler reading every partition's ISR through the Admin API
 * twice a second. Together they answer what a platform team asks of a broker move: was anything
 * acknowledged lost, and did any partition drop below min.insync.replicas.
 */
public final class KafkaLoad implements AutoCloseable {

  private static final Logger log = LoggerFactory.getLogger(KafkaLoad.class);
  private static final Duration SAMPLE_EVERY = Duration.ofMillis(500);
  private static final long UNREAD_AFTER_MILLIS = 10_000;

  private final KafkaCluster kafka;
  private final KafkaSpec spec;
  private final Map<String, TopicLog> logs = new LinkedHashMap<>();
  private final AtomicLong longestStall = new AtomicLong();
  private final Map<String, Integer> lowestIsr = new ConcurrentHashMap<>();
  private final Map<String, AtomicLong> belowMillis = new ConcurrentHashMap<>();
  private final List<Sample> samples = java.util.Collections.synchronizedList(new ArrayList<>());
  private final AtomicLong unanswered = new AtomicLong();
  private final AtomicLong longestSampleGap = new AtomicLong();
  private volatile boolean producing = true;
  private volatile boolean running = true;
  private final Thread producer;
  private final Thread consumer;
  private final Thread sampler;

  /** Sends and reads of one topic; guarded by itself. */
  private static final class TopicLog {
    final AtomicLong next = new AtomicLong();
    final BitSet acked = new BitSet();
    final BitSet seen = new BitSet();
    final Map<Long, Long> ackedAt = new TreeMap<>();
    long failed;
    long duplicates;
  }

  /** Brokers that were missing from the ISR of one of their partitions at a moment. */
  private record Sample(long atMillis, Set<Integer> outOfIsr) {}

  private KafkaLoad(KafkaCluster kafka, KafkaSpec spec) {
    this.kafka = kafka;
    this.spec = spec;
    for (String topic : spec.topicsOrDefault()) {
      logs.put(topic, new TopicLog());
      belowMillis.put(topic, new AtomicLong());
    }
    producer = thread("kafka-load-producer", this::produce);
    consumer = thread("kafka-load-consumer", this::consume);
    sampler = thread("kafka-load-isr-sampler", this::sample);
  }

  /** Creates the topics and starts writing, reading and sampling. */
  public static KafkaLoad start(KafkaCluster kafka) throws Exception {
    KafkaSpec spec = kafka.spec();
    try (Admin admin = kafka.admin()) {
      awaitBrokersRegistered(admin, 3);
      List<NewTopic> topics = spec.topicsOrDefault().stream()
          .map(t -> new NewTopic(t, spec.partitionsOrDefault(), (short) 3)
              .configs(Map.of("min.insync.replicas", String.valueOf(spec.minInsyncReplicasOrDefault()))))
          .toList();
      try {
        admin.createTopics(topics).all().get(60, TimeUnit.SECONDS);
      } catch (java.util.concurrent.ExecutionException e) {
        if (!(e.getCause() instanceof TopicExistsException)) {
          throw e;
        }
      }
      throttleCatchUp(admin, spec);
    }
    KafkaLoad load = new KafkaLoad(kafka, spec);
    load.sampler.start();
    load.consumer.start();
    load.producer.start();
    // The load counts as running once the brokers have acknowledged something: a cycle that ends at
    // once (a failure in PREPARE) must still be judged on a producer that was writing.
    long deadline = System.currentTimeMillis() + 30_000;
    while (load.acknowledged() == 0 && System.currentTimeMillis() < deadline) {
      Thread.sleep(50);
    }
    log.info("load started: {} msg/s over {}", spec.messagesPerSecondOrDefault(), spec.topicsOrDefault());
    return load;
  }

  /**
   * A broker pod turns Ready once its broker accepts connections, which can be a moment before the
   * controller has registered it: topics of replication factor 3 need three registered brokers.
   */
  private static void awaitBrokersRegistered(Admin admin, int brokers) throws Exception {
    long deadline = System.currentTimeMillis() + 60_000;
    while (true) {
      int registered = admin.describeCluster().nodes().get(10, TimeUnit.SECONDS).size();
      if (registered >= brokers) {
        return;
      }
      if (System.currentTimeMillis() > deadline) {
        throw new IllegalStateException("only " + registered + " of " + brokers + " brokers registered after 60 s");
      }
      Thread.sleep(100);
    }
  }

  /**
   * On loopback with little data a returning broker rejoins every ISR within milliseconds; on a
   * real cluster it takes seconds to minutes to fetch what it missed. Kafka's follower replication
   * throttle (which leaves in-sync replicas alone) gives catch-up a real duration here: a cluster-wide
   * rate, and every replica of the load's topics subject to it.
   */
  private static void throttleCatchUp(Admin admin, KafkaSpec spec) throws Exception {
    long rate = spec.catchUpBytesPerSecondOrDefault();
    if (rate == 0) {
      return;
    }
    Map<ConfigResource, java.util.Collection<AlterConfigOp>> changes = new LinkedHashMap<>();
    changes.put(new ConfigResource(ConfigResource.Type.BROKER, ""), List.of(new AlterConfigOp(
        new ConfigEntry("follower.replication.throttled.rate", String.valueOf(rate)), AlterConfigOp.OpType.SET)));
    for (String topic : spec.topicsOrDefault()) {
      changes.put(new ConfigResource(ConfigResource.Type.TOPIC, topic), List.of(new AlterConfigOp(
          new ConfigEntry("follower.replication.throttled.replicas", "*"), AlterConfigOp.OpType.SET)));
    }
    admin.incrementalAlterConfigs(changes).all().get(30, TimeUnit.SECONDS);
  }

  private void produce() {
    Properties p = new Properties();
    p.put(ProducerConfig.BOOTSTRAP_SERVERS_CONFIG, kafka.bootstrap());
    p.put(ProducerConfig.ACKS_CONFIG, "all");
    p.put(ProducerConfig.ENABLE_IDEMPOTENCE_CONFIG, "true");
    p.put(ProducerConfig.LINGER_MS_CONFIG, "5");
    // A move takes a broker away for seconds: retry through it rather than fail the send.
    p.put(ProducerConfig.DELIVERY_TIMEOUT_MS_CONFIG, "300000");
    p.put(ProducerConfig.REQUEST_TIMEOUT_MS_CONFIG, "15000");
    p.put(ProducerConfig.MAX_BLOCK_MS_CONFIG, "60000");
    List<String> topics = spec.topicsOrDefault();
    long perSecond = spec.messagesPerSecondOrDefault();
    String padding = ":" + "x".repeat(spec.messageBytesOrDefault());
    try (KafkaProducer<String, String> out = new KafkaProducer<>(p, new StringSerializer(), new StringSerializer())) {
      long began = System.nanoTime();
      long sent = 0;
      while (producing) {
        long due = (System.nanoTime() - began) * perSecond / 1_000_000_000L;
        for (; sent < due && producing; sent++) {
          String topic = topics.get((int) (sent % topics.size()));
          TopicLog topicLog = logs.get(topic);
          long seq = topicLog.next.getAndIncrement();
          long sentAt = System.currentTimeMillis();
          String value = (seq + padding).substring(0, spec.messageBytesOrDefault());
          out.send(new ProducerRecord<>(topic, Long.toString(seq), value), (metadata, error) -> {
            long now = System.currentTimeMillis();
            longestStall.accumulateAndGet(now - sentAt, Math::max);
            synchronized (topicLog) {
              if (error == null) {
                topicLog.acked.set((int) seq);
                // the consumer may read a message before its acknowledgement reaches this callback
                if (!topicLog.seen.get((int) seq)) {
                  topicLog.ackedAt.put(seq, now);
                }
              } else {
                topicLog.failed++;
                log.warn("{}#{} not acknowledged: {}", topic, seq, error.toString());
              }
            }
          });
        }
        Thread.sleep(10);
      }
      out.flush();
    } catch (InterruptedException e) {
      Thread.currentThread().interrupt();
    } catch (RuntimeException e) {
      log.error("producer stopped: {}", e.toString(), e);
    }
  }

  private void consume() {
    Properties p = new Properties();
    p.put(ConsumerConfig.BOOTSTRAP_SERVERS_CONFIG, kafka.bootstrap());
    p.put(ConsumerConfig.GROUP_ID_CONFIG, "evolve-sandbox-load");
    p.put(ConsumerConfig.AUTO_OFFSET_RESET_CONFIG, "earliest");
    try (KafkaConsumer<String, String> in = new KafkaConsumer<>(p, new StringDeserializer(), new StringDeserializer())) {
      in.subscribe(spec.topicsOrDefault());
      while (running) {
        for (ConsumerRecord<String, String> record : in.poll(Duration.ofMillis(200))) {
          TopicLog topicLog = logs.get(record.topic());
          int seq = Integer.parseInt(record.key());
          synchronized (topicLog) {
            if (topicLog.seen.get(seq)) {
              topicLog.duplicates++;
            } else {
              topicLog.seen.set(seq);
              topicLog.ackedAt.remove((long) seq);
            }
          }
        }
      }
    } catch (org.apache.kafka.common.errors.InterruptException e) {
      Thread.currentThread().interrupt();
    } catch (RuntimeException e) {
      log.error("consumer stopped: {}", e.toString(), e);
    }
  }

  private void sample() {
    try (Admin admin = kafka.admin()) {
      long lastAnswered = System.currentTimeMillis();
      while (running) {
        long began = System.currentTimeMillis();
        try {
          Map<String, TopicDescription> topics = admin.describeTopics(spec.topicsOrDefault()).allTopicNames()
              .get(2, TimeUnit.SECONDS);
          long now = System.currentTimeMillis();
          long interval = now - lastAnswered;
          longestSampleGap.accumulateAndGet(interval, Math::max);
          lastAnswered = now;
          Set<Integer> outOfIsr = new HashSet<>();
          for (TopicDescription topic : topics.values()) {
            int lowest = Integer.MAX_VALUE;
            for (TopicPartitionInfo partition : topic.partitions()) {
              lowest = Math.min(lowest, partition.isr().size());
              partition.replicas().stream().filter(r -> !partition.isr().contains(r))
                  .forEach(r -> outOfIsr.add(r.id()));
            }
            lowestIsr.merge(topic.name(), lowest, Math::min);
            if (lowest < spec.minInsyncReplicasOrDefault()) {
              belowMillis.get(topic.name()).addAndGet(interval);
              log.warn("{}: a partition is below min.insync.replicas (ISR {})", topic.name(), lowest);
            }
          }
          samples.add(new Sample(now, outOfIsr));
        } catch (java.util.concurrent.ExecutionException | java.util.concurrent.TimeoutException e) {
          unanswered.incrementAndGet();
        }
        Thread.sleep(Math.max(0, SAMPLE_EVERY.toMillis() - (System.currentTimeMillis() - began)));
      }
    } catch (InterruptedException e) {
      Thread.currentThread().interrupt();
    }
  }

  /**
   * Stops the producer, waits up to {@code drainLimit} for the consumer to read everything that was
   * acknowledged, stops reading and sampling, and reports.
   */
  public KafkaReport finish(Duration drainLimit, List<BrokerPods.BrokerEvent> events) throws InterruptedException {
    producing = false;
    producer.join(120_000);
    long deadline = System.currentTimeMillis() + drainLimit.toMillis();
    while (System.currentTimeMillis() < deadline && unreadAcknowledged(0) > 0) {
      Thread.sleep(200);
    }
    running = false;
    consumer.join(10_000);
    sampler.join(10_000);
    return snapshot(events);
  }

  private long acknowledged() {
    long acknowledged = 0;
    for (TopicLog topicLog : logs.values()) {
      synchronized (topicLog) {
        acknowledged += topicLog.acked.cardinality();
      }
    }
    return acknowledged;
  }

  private long unreadAcknowledged(long olderThanMillis) {
    long limit = System.currentTimeMillis() - olderThanMillis;
    long unread = 0;
    for (TopicLog topicLog : logs.values()) {
      synchronized (topicLog) {
        unread += topicLog.ackedAt.values().stream().filter(at -> at <= limit).count();
      }
    }
    return unread;
  }

  /**
   * The figures so far; {@code unread} counts what was acknowledged over 10 s ago and not read yet,
   * and {@code lost} is only counted once {@link #finish} has stopped the load.
   */
  public KafkaReport snapshot(List<BrokerPods.BrokerEvent> events) {
    long produced = 0;
    long acknowledged = 0;
    long failed = 0;
    long consumed = 0;
    long lost = 0;
    long duplicates = 0;
    List<String> lostExamples = new ArrayList<>();
    for (Map.Entry<String, TopicLog> entry : logs.entrySet()) {
      TopicLog topicLog = entry.getValue();
      synchronized (topicLog) {
        produced += topicLog.next.get();
        acknowledged += topicLog.acked.cardinality();
        failed += topicLog.failed;
        consumed += topicLog.seen.cardinality();
        duplicates += topicLog.duplicates;
        BitSet missing = (BitSet) topicLog.acked.clone();
        missing.andNot(topicLog.seen);
        lost += missing.cardinality();
        for (int seq = missing.nextSetBit(0); seq >= 0 && lostExamples.size() < 5; seq = missing.nextSetBit(seq + 1)) {
          lostExamples.add(entry.getKey() + "#" + seq);
        }
      }
    }
    Map<String, Double> below = new TreeMap<>();
    belowMillis.forEach((topic, millis) -> below.put(topic, millis.get() / 1000.0));
    boolean finished = !running;
    return new KafkaReport(AppInfoParser.getVersion(), kafka.controllersDescription(), kafka.brokers(),
        spec.topicsOrDefault(), spec.partitionsOrDefault(), spec.minInsyncReplicasOrDefault(), produced,
        acknowledged, failed, consumed, finished ? lost : 0, duplicates, new TreeMap<>(lowestIsr), below,
        samples.size(), (int) unanswered.get(), longestSampleGap.get(), longestStall.get(),
        unreadAcknowledged(UNREAD_AFTER_MILLIS), moves(events), finished ? lostExamples : List.of());
  }

  /** Pairs each broker's stop with its next start, and finds when it was back in every ISR. */
  private List<KafkaReport.BrokerMove> moves(List<BrokerPods.BrokerEvent> events) {
    List<KafkaReport.BrokerMove> moves = new ArrayList<>();
    List<Sample> seen;
    synchronized (samples) {
      seen = List.copyOf(samples);
    }
    for (int i = 0; i < events.size(); i++) {
      BrokerPods.BrokerEvent stop = events.get(i);
      boolean stopped = stop.what().startsWith("stopped") || stop.what().startsWith("killed");
      if (!stopped) {
        continue;
      }
      long from = stop.atMillis() - stop.tookMillis();
      BrokerPods.BrokerEvent serving = events.subList(i + 1, events.size()).stream()
          .filter(e -> e.ordinal() == stop.ordinal() && e.what().equals("serving")).findFirst().orElse(null);
      if (serving == null) {
        continue;
      }
      long backInIsr = seen.stream().filter(s -> s.atMillis() >= serving.atMillis()
          && !s.outOfIsr().contains(stop.ordinal())).mapToLong(Sample::atMillis).findFirst().orElse(-1);
      moves.add(new KafkaReport.BrokerMove(stop.ordinal(), stop.what(), stop.tookMillis(),
          serving.atMillis() - from, backInIsr < 0 ? -1 : backInIsr - from));
    }
    return moves;
  }

  private static Thread thread(String name, InterruptibleRunnable body) {
    Thread t = new Thread(() -> {
      try {
        body.run();
      } catch (InterruptedException e) {
        Thread.currentThread().interrupt();
      }
    }, name);
    t.setDaemon(true);
    return t;
  }

  @FunctionalInterface
  private interface InterruptibleRunnable {
    void run() throws InterruptedException;
  }

  @Override
  public void close() {
    producing = false;
    running = false;
    producer.interrupt();
    consumer.interrupt();
    sampler.interrupt();
  }
}
