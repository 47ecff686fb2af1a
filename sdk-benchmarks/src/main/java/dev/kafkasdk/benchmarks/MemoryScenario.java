package dev.kafkasdk.benchmarks;

import dev.kafkasdk.consumer.ConsumerRunner;
import dev.kafkasdk.consumer.Ordering;
import dev.kafkasdk.consumer.Strategy;
import dev.kafkasdk.test.KafkaCluster;
import java.lang.management.ManagementFactory;
import java.time.Duration;
import java.util.List;
import java.util.Map;
import java.util.concurrent.ExecutorService;
import java.util.concurrent.Executors;
import java.util.concurrent.TimeUnit;
import java.util.concurrent.atomic.AtomicBoolean;
import java.util.concurrent.atomic.AtomicLong;
import java.util.concurrent.locks.LockSupport;
import org.apache.kafka.clients.consumer.ConsumerRecord;
import org.apache.kafka.clients.consumer.KafkaConsumer;
import org.apache.kafka.common.serialization.ByteArrayDeserializer;

/**
 * Scenario 5: peak live heap while consuming a large backlog with a slow handler. The SDK's
 * in-flight limits pause partitions, so its heap stays flat; the baseline is the naive multi-worker
 * loop (one poll thread feeding an unbounded executor), whose executor queue grows with the
 * backlog. Live heap is sampled right after forced full collections, so garbage does not count.
 */
final class MemoryScenario implements Scenario {
  private final KafkaCluster kafka;
  private final long backlog;
  private final Duration duration;
  private final String topic = Workloads.freshName("memory");

  MemoryScenario(KafkaCluster kafka, BenchSettings settings) {
    this.kafka = kafka;
    this.backlog = settings.pick(1_000_000, 300_000);
    this.duration = Duration.ofSeconds(settings.pick(20, 8));
  }

  /** Not in a quick run unless named: see {@link Scenario#inQuickRun()}. */
  @Override
  public boolean inQuickRun() {
    return false;
  }

  @Override
  public String name() {
    return "memory";
  }

  @Override
  public String description() {
    return String.format(
        "backlog of %,d records (1 KB), handler sleeps 1 ms on 8 workers, %d s; peak live heap (MB)",
        backlog, duration.toSeconds());
  }

  @Override
  public boolean warmUp() {
    return false;
  }

  @Override
  public boolean higherIsBetter() {
    return false;
  }

  @Override
  public void prepare() throws Exception {
    Workloads.fill(kafka, topic, 6, backlog, 1024, 1000);
  }

  @Override
  public List<Variant> variants() {
    return List.of(
        new Variant("naive-executor-loop", true, round -> naive()),
        new Variant("sdk-multi-worker", false, round -> sdk()));
  }

  private Trial naive() {
    ExecutorService workers = Executors.newFixedThreadPool(8);
    AtomicBoolean stop = new AtomicBoolean();
    try (LiveHeap heap = new LiveHeap();
        KafkaConsumer<byte[], byte[]> consumer =
            new KafkaConsumer<>(
                Workloads.consumerSettings(kafka, Workloads.freshName("naive")),
                new ByteArrayDeserializer(),
                new ByteArrayDeserializer())) {
      consumer.subscribe(List.of(topic));
      long deadline = System.nanoTime() + duration.toNanos();
      while (System.nanoTime() < deadline) {
        for (ConsumerRecord<byte[], byte[]> record : consumer.poll(Duration.ofMillis(100))) {
          workers.submit(() -> slowHandle(record, stop));
        }
        consumer.commitAsync();
      }
      stop.set(true);
      return heap.trial();
    } finally {
      workers.shutdownNow();
    }
  }

  private Trial sdk() {
    AtomicBoolean stop = new AtomicBoolean();
    try (LiveHeap heap = new LiveHeap();
        ConsumerRunner<byte[], byte[]> runner =
            SdkRunners.runner(
                Workloads.consumerSettings(kafka, Workloads.freshName("sdk-mem")),
                topic,
                Strategy.multiWorker(8, Ordering.UNORDERED),
                record -> slowHandle(record, stop))) {
      runner.start();
      long deadline = System.nanoTime() + duration.toNanos();
      long left;
      while ((left = deadline - System.nanoTime()) > 0) {
        LockSupport.parkNanos(left);
      }
      stop.set(true);
      return heap.trial();
    }
  }

  private static void slowHandle(ConsumerRecord<byte[], byte[]> record, AtomicBoolean stop) {
    if (stop.get() || record.value() == null) {
      return;
    }
    try {
      TimeUnit.MILLISECONDS.sleep(1);
    } catch (InterruptedException e) {
      Thread.currentThread().interrupt();
    }
  }

  /**
   * Tracks the peak live heap while it is open: a sampler forces a full collection twice a second
   * and reads the heap in use right after it, so garbage (and old-generation leftovers that young
   * collections do not touch) never counts.
   */
  private static final class LiveHeap implements AutoCloseable {
    private final AtomicLong peak = new AtomicLong();
    private final long start;
    private final AtomicBoolean running = new AtomicBoolean(true);
    private final Thread sampler;

    LiveHeap() {
      sample();
      start = peak.getAndSet(0);
      sampler =
          new Thread(
              () -> {
                while (running.get()) {
                  LockSupport.parkNanos(TimeUnit.MILLISECONDS.toNanos(500));
                  sample();
                }
              },
              "live-heap-sampler");
      sampler.setDaemon(true);
      sampler.start();
    }

    private void sample() {
      System.gc();
      long used = ManagementFactory.getMemoryMXBean().getHeapMemoryUsage().getUsed();
      peak.accumulateAndGet(used, Math::max);
    }

    Trial trial() {
      running.set(false);
      sample();
      // start_mb: live heap before consuming (mostly the embedded broker sharing this JVM).
      return new Trial(
          peak.get() / (1024.0 * 1024.0), "MB", Map.of("start_mb", start / (1024.0 * 1024.0)));
    }

    @Override
    public void close() {
      running.set(false);
    }
  }
}
