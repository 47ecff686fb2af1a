package dev.kafkasdk.consumer.internal;

import java.util.List;
import java.util.concurrent.TimeUnit;
import java.util.function.LongSupplier;
import org.apache.kafka.clients.consumer.ConsumerRecord;

/**
 * The in-flight limits in force for one poll loop: the configured {@link FlowLimits}, raised while
 * the handler is cheap. Poll thread only.
 *
 * <p>A limit the application left at its default ({@link LimitGrowth}) is multiplied by a factor
 * between 1 and {@link #MAX_GROWTH}: the largest for which a full window of records would
 *
 * <ul>
 *   <li>take at most {@link #DRAIN_BUDGET_NANOS} of handler time to finish at the measured time per
 *       record ({@link RunLength#nanosPerRecord()}), counted as if one worker ran them all, since
 *       an ordering lane does; and
 *   <li>hold at most the loop's {@link FlowLimits#byteBudget()} by the records' serialized sizes
 *       plus {@link #RECORD_OVERHEAD_BYTES} each (a moving average over polls).
 * </ul>
 *
 * <p>Why: the default limits bound memory and what a crash redelivers, but with a handler of a few
 * hundred nanoseconds they are reached about ten polls ahead of the workers, and pausing partitions
 * then cost the light-handler benchmark a third of its rate (multi-worker 0.52-0.57 of a raw poll
 * loop at the defaults, 0.85-0.89 with limits that never paused). The two budgets keep what the
 * defaults protect: what a stop, a revocation or a crash has to wait for or redeliver stays under
 * 100 ms of handler time (the 1 s commit interval redelivers more than that after a crash anyway),
 * and memory stays bounded in bytes. Until the handler's speed is known, or when it is not measured
 * (batch handlers), the configured limits hold. A runner with a rate limiter or a circuit breaker
 * never grows its limits ({@link LimitGrowth}): they, not the handler's speed, decide when records
 * run. A handler that turns slow shrinks the window at its next timed run; records already in
 * flight stay, and partitions are paused until they drain below it.
 */
final class FlowWindow {
  /** The most a default limit is multiplied by: 5,000 and 1,000 become 40,000 and 8,000. */
  static final int MAX_GROWTH = 8;

  /** The handler time a grown window may hold, at the measured time per record. */
  static final long DRAIN_BUDGET_NANOS = TimeUnit.MILLISECONDS.toNanos(100);

  /**
   * Memory per in-flight record besides its key and value: the {@code ConsumerRecord}, its headers
   * object, two arrays' headers and the SDK's bookkeeping, rounded up.
   */
  static final int RECORD_OVERHEAD_BYTES = 160;

  private final FlowLimits limits;
  private final LongSupplier nanosPerRecord;
  private final LoopStats stats;
  // A moving average of one record's bytes, overhead included; 0 before the first poll.
  private long recordBytes;
  private int maxInFlight;
  private int maxInFlightPerPartition;

  /**
   * Creates the window of one loop.
   *
   * @param limits the configured limits and which of them may grow
   * @param nanosPerRecord the measured handler time per record, 0 while unknown
   * @param stats where the limit in force is published
   */
  FlowWindow(FlowLimits limits, LongSupplier nanosPerRecord, LoopStats stats) {
    this.limits = limits;
    this.nanosPerRecord = nanosPerRecord;
    this.stats = stats;
    this.maxInFlight = limits.maxInFlight();
    this.maxInFlightPerPartition = limits.maxInFlightPerPartition();
    stats.inFlightLimit.set(maxInFlight);
  }

  /** Notes the sizes of one partition's polled records. */
  void polled(List<ConsumerRecord<byte[], byte[]>> records) {
    if (!limits.growth().any() || records.isEmpty()) {
      return;
    }
    long bytes = 0;
    for (ConsumerRecord<byte[], byte[]> record : records) {
      // -1 for a null key or value.
      bytes += Math.max(0, record.serializedKeySize()) + Math.max(0, record.serializedValueSize());
    }
    long average = bytes / records.size() + RECORD_OVERHEAD_BYTES;
    recordBytes = recordBytes == 0 ? average : recordBytes + (average - recordBytes) / 4;
  }

  /** Sets the limits in force from the latest handler speed and record size. */
  void refresh() {
    if (!limits.growth().any()) {
      return;
    }
    long factor = growthFactor();
    int total =
        limits.growth().total() ? (int) (limits.maxInFlight() * factor) : limits.maxInFlight();
    int partition =
        limits.growth().perPartition()
            ? (int) Math.min(limits.maxInFlightPerPartition() * factor, total)
            : limits.maxInFlightPerPartition();
    if (total != maxInFlight) {
      stats.inFlightLimit.set(total);
    }
    maxInFlight = total;
    maxInFlightPerPartition = partition;
  }

  private long growthFactor() {
    long perRecord = nanosPerRecord.getAsLong();
    if (perRecord <= 0 || recordBytes <= 0) {
      return 1;
    }
    long room = Math.min(DRAIN_BUDGET_NANOS / perRecord, limits.byteBudget() / recordBytes);
    return Math.max(1, Math.min(MAX_GROWTH, room / limits.maxInFlight()));
  }

  /** Whether the loop has room for one more full poll. */
  boolean admits(int trackedTotal) {
    return trackedTotal + limits.maxPollRecords() <= maxInFlight;
  }

  /** Whether a partition has room for one more full poll. */
  boolean admitsPartition(int trackedInPartition) {
    return trackedInPartition + limits.maxPollRecords() <= maxInFlightPerPartition;
  }

  /** The loop's limit in force. */
  int maxInFlight() {
    return maxInFlight;
  }

  /** The per-partition limit in force. */
  int maxInFlightPerPartition() {
    return maxInFlightPerPartition;
  }
}
