package dev.kafkasdk.benchmarks;

import dev.kafkasdk.test.KafkaCluster;
import java.time.Duration;
import java.util.Map;
import java.util.concurrent.TimeUnit;
import java.util.concurrent.atomic.AtomicLong;
import java.util.concurrent.atomic.LongAdder;
import java.util.concurrent.locks.LockSupport;

/**
 * The trials of a peer library (Spring Kafka's listener container), measured exactly as the SDK
 * variants of the same scenario are, with the peer's delivery checked: see {@link DeliveryCheck}.
 */
final class PeerTrials {
  private PeerTrials() {}

  /** A peer's consumer as a trial drives it. */
  interface Peer extends AutoCloseable {
    /** Starts consuming. */
    void start();

    /** Partitions the peer's consumers own now; safe to call from any thread. */
    int assignedPartitions();

    /** How many members the peer's consumers make in the group. */
    int consumers();

    /** Stops consuming and closes the peer's clients, committing what it handled. */
    @Override
    void close();
  }

  /** Builds a peer over the given consumer settings that calls {@code handler} per record. */
  @FunctionalInterface
  interface PeerFactory {
    Peer create(Map<String, Object> settings, String topic, RecordSink handler);
  }

  /**
   * Where a peer's CPU goes, found by thread name: threads that poll and threads that only run the
   * handler (none when the poll threads run it).
   */
  record PeerThreads(String poll, String workers) {}

  /**
   * One consumer-light trial: a handler that only counts, until every record of the preloaded topic
   * was handled or {@code cap} has passed since the first one (a peer far slower than the SDK, e.g.
   * Parallel Consumer with PARTITION ordering, would otherwise take many minutes per trial). Fails
   * if order broke ({@code ordered}); uncapped, a lost record stalls the trial until its timeout
   * and a redelivered one does not count twice; capped ({@code capped} extra 1), every record below
   * the offsets the peer committed on close must have been handled.
   */
  static Trial light(
      KafkaCluster kafka,
      String topic,
      long records,
      int keys,
      boolean ordered,
      String name,
      Duration cap,
      PeerFactory factory,
      java.util.function.Function<String, PeerThreads> threadsOfGroup)
      throws Exception {
    DeliveryCheck check = new DeliveryCheck(Workloads.endOffsets(kafka, topic), keys, ordered);
    LongAdder bytes = new LongAdder();
    AtomicLong first = new AtomicLong();
    String group = Workloads.freshName("peer");
    Trial trial;
    boolean capped;
    try (Peer peer =
        factory.create(
            Workloads.consumerSettings(kafka, group),
            topic,
            (partition, offset, key, valueSize) -> {
              if (first.get() == 0) {
                first.compareAndSet(0, System.nanoTime());
              }
              if (check.handled(partition, offset, key)) {
                bytes.add(valueSize);
              }
            })) {
      long started = System.nanoTime();
      peer.start();
      SdkRunners.awaitCount(check::distinct, 1, Duration.ofMinutes(10));
      Cpu cpu = new Cpu(threadsOfGroup.apply(group), check.distinct());
      long deadline = first.get() + cap.toNanos();
      while (check.distinct() < records && System.nanoTime() < deadline) {
        LockSupport.parkNanos(TimeUnit.MICROSECONDS.toNanos(500));
      }
      long ended = System.nanoTime();
      capped = check.distinct() < records;
      trial =
          cpu.addTo(
                  Trial.consumed(check.distinct(), bytes.sum(), started, first.get(), ended),
                  check.distinct())
              .withExtra("capped", capped ? 1 : 0);
    }
    if (capped) {
      // Time-boxed: what the peer committed on close must all have been handled.
      check.requireNoneLostBelow(GroupPositions.committedOffsets(kafka, group), name);
    } else {
      check.requireOrder(name);
    }
    return trial;
  }

  /**
   * One io-bound trial: the 5 ms handler, counted over the window after the warm-up, which starts
   * once the peer owns every partition. After the peer closed, every record below the group's
   * committed offsets must have been handled, and per-key order must have held ({@code ordered}).
   */
  static Trial ioBound(
      KafkaCluster kafka,
      String topic,
      int partitions,
      int keys,
      boolean ordered,
      int workers,
      double ideal,
      Duration warmup,
      Duration window,
      String name,
      PeerFactory factory)
      throws Exception {
    DeliveryCheck check = new DeliveryCheck(Workloads.endOffsets(kafka, topic), keys, ordered);
    String group = Workloads.freshName("peer-io");
    long count;
    long elapsed;
    try (Peer peer =
        factory.create(
            IoBoundScenario.consumerSettings(kafka, group),
            topic,
            (partition, offset, key, valueSize) -> {
              // Interrupted while closing: the record stays unhandled, so the peer must not
              // commit past it.
              TimeUnit.MICROSECONDS.sleep(IoBoundScenario.HANDLER_MICROS);
              check.handled(partition, offset, key);
            })) {
      peer.start();
      GroupMembership.awaitStable(
          kafka,
          group,
          peer.consumers(),
          peer::assignedPartitions,
          partitions,
          Duration.ofMinutes(2));
      Workloads.park(warmup);
      long startCount = check.distinct();
      long started = System.nanoTime();
      Workloads.park(window);
      elapsed = System.nanoTime() - started;
      count = check.distinct() - startCount;
    }
    if (check.distinct() >= check.total()) {
      throw new IllegalStateException(
          name + " ran out of records (" + check.total() + "): raise the io-bound fill");
    }
    Map<Integer, Long> positions = GroupPositions.committedOffsets(kafka, group);
    check.requireNoneLostBelow(positions, name);
    Trial trial = Trial.throughput(count, count * 100L, elapsed);
    return new Trial(
        trial.value(),
        trial.unit(),
        Map.of(
            "workers",
            (double) workers,
            "ideal",
            ideal,
            "checked_below",
            (double) positions.values().stream().mapToLong(Long::longValue).sum()));
  }

  /**
   * CPU per record over the steady part of a light trial, under the same names as the SDK variants'
   * figures ({@link CpuPerRecord}): the peer's polling threads, its handler-only threads, and the
   * whole JVM.
   */
  private static final class Cpu {
    private final long[] poll;
    private final long[] workers;
    private final long poll0;
    private final long workers0;
    private final long process0;
    private final long records0;

    Cpu(PeerThreads threads, long records0) {
      this.poll = CpuClock.threadsNamed(threads.poll());
      this.workers =
          threads.workers() == null ? new long[0] : CpuClock.threadsNamed(threads.workers());
      this.records0 = records0;
      this.poll0 = CpuClock.threadsNanos(poll);
      this.workers0 = CpuClock.threadsNanos(workers);
      this.process0 = CpuClock.processNanos();
    }

    Trial addTo(Trial trial, long handled) {
      double records = Math.max(1, handled - records0);
      return trial
          .withExtra("poll_ns/rec", (CpuClock.threadsNanos(poll) - poll0) / records)
          .withExtra("worker_ns/rec", (CpuClock.threadsNanos(workers) - workers0) / records)
          .withExtra("cpu_ns/rec", (CpuClock.processNanos() - process0) / records);
    }
  }
}
