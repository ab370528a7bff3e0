package dev.evolve.worker.bench;

import com.sun.management.GarbageCollectionNotificationInfo;
import com.sun.management.OperatingSystemMXBean;
import java.lang.management.GarbageCollectorMXBean;
import java.lang.management.ManagementFactory;
import java.lang.management.MemoryPoolMXBean;
import java.lang.management.MemoryType;
import java.lang.management.MemoryUsage;
import java.util.Map;
import java.util.Set;
import java.util.concurrent.Executors;
import java.util.concurrent.ScheduledExecutorService;
import java.util.concurrent.TimeUnit;
import java.util.concurrent.atomic.AtomicLong;
import java.util.stream.Collectors;
import javax.management.NotificationEmitter;
import javax.management.openmbean.CompositeData;

/**
 * The worker JVM's own heap, watched two ways. A sampler reads the heap every 100 ms; and every
 * garbage collection reports the heap just before it (where the heap peaks: it grows until a
 * collection) and just after it (what the worker holds, cached workflows, histories and buffers,
 * plus old garbage a young collection leaves for later: an upper bound on what a smaller heap must
 * fit). The largest of each is what {@link #figures()} reports.
 */
final class HeapWatch {

  /** What the worker's JVM went through, in bytes, milliseconds and counts. */
  record Figures(long maxHeap, long peakUsed, long peakCommitted, long peakAfterGc, long gcCount, long gcMillis,
      long longestGcMillis, int peakThreads, double cpuSeconds, double uptimeSeconds) {}

  private final Set<String> heapPools = ManagementFactory.getMemoryPoolMXBeans().stream()
      .filter(p -> p.getType() == MemoryType.HEAP).map(MemoryPoolMXBean::getName).collect(Collectors.toSet());
  private final AtomicLong peakUsed = new AtomicLong();
  private final AtomicLong peakCommitted = new AtomicLong();
  private final AtomicLong peakAfterGc = new AtomicLong();
  private final AtomicLong longestGc = new AtomicLong();
  private final ScheduledExecutorService sampler = Executors.newSingleThreadScheduledExecutor(r -> {
    Thread t = new Thread(r, "heap-watch");
    t.setDaemon(true);
    return t;
  });

  void start() {
    for (GarbageCollectorMXBean gc : ManagementFactory.getGarbageCollectorMXBeans()) {
      if (gc instanceof NotificationEmitter emitter) {
        emitter.addNotificationListener((notification, handback) -> {
          if (GarbageCollectionNotificationInfo.GARBAGE_COLLECTION_NOTIFICATION.equals(notification.getType())) {
            afterCollection(GarbageCollectionNotificationInfo.from((CompositeData) notification.getUserData()));
          }
        }, null, null);
      }
    }
    sampler.scheduleAtFixedRate(this::sample, 0, 100, TimeUnit.MILLISECONDS);
  }

  private void sample() {
    MemoryUsage heap = ManagementFactory.getMemoryMXBean().getHeapMemoryUsage();
    peakUsed.accumulateAndGet(heap.getUsed(), Math::max);
    peakCommitted.accumulateAndGet(heap.getCommitted(), Math::max);
  }

  private void afterCollection(GarbageCollectionNotificationInfo info) {
    peakUsed.accumulateAndGet(heapUsed(info.getGcInfo().getMemoryUsageBeforeGc()), Math::max);
    peakAfterGc.accumulateAndGet(heapUsed(info.getGcInfo().getMemoryUsageAfterGc()), Math::max);
    longestGc.accumulateAndGet(info.getGcInfo().getDuration(), Math::max);
  }

  private long heapUsed(Map<String, MemoryUsage> byPool) {
    return byPool.entrySet().stream().filter(e -> heapPools.contains(e.getKey()))
        .mapToLong(e -> e.getValue().getUsed()).sum();
  }

  Figures figures() {
    sample();
    long gcCount = 0;
    long gcMillis = 0;
    for (GarbageCollectorMXBean gc : ManagementFactory.getGarbageCollectorMXBeans()) {
      gcCount += Math.max(0, gc.getCollectionCount());
      gcMillis += Math.max(0, gc.getCollectionTime());
    }
    double cpu = ManagementFactory.getOperatingSystemMXBean() instanceof OperatingSystemMXBean os
        ? os.getProcessCpuTime() / 1e9 : Double.NaN;
    return new Figures(Runtime.getRuntime().maxMemory(), peakUsed.get(), peakCommitted.get(), peakAfterGc.get(),
        gcCount, gcMillis, longestGc.get(), ManagementFactory.getThreadMXBean().getPeakThreadCount(), cpu,
        ManagementFactory.getRuntimeMXBean().getUptime() / 1000.0);
  }

  void stop() {
    sampler.shutdownNow();
  }
}
