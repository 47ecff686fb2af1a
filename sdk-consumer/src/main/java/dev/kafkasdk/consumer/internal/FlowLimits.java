package dev.kafkasdk.consumer.internal;

import java.util.Optional;

/**
 * The in-flight limits of one poll loop and the {@code max.poll.records} that keeps them strict.
 *
 * <p>A poll returns at most {@code maxPollRecords} records in total, so a partition (or the whole
 * consumer) may be fetched from only while it has room for a full poll: with that rule the number
 * of records polled and not yet committable never exceeds the limits, instead of overshooting by a
 * poll's worth.
 *
 * <p>These are the configured limits. The limits in force may be higher while the handler is cheap,
 * for the limits {@code growth} allows: see {@link FlowWindow}.
 *
 * @param maxInFlight limit for the loop
 * @param maxInFlightPerPartition limit per partition
 * @param maxPollRecords the {@code max.poll.records} the loop's consumer uses
 * @param growth which of the two limits may grow
 * @param byteBudget the most bytes of records (serialized, with their per-record overhead) that a
 *     grown limit may hold in flight; a limit never grows beyond it, and never shrinks below the
 *     configured value because of it
 */
record FlowLimits(
    int maxInFlight,
    int maxInFlightPerPartition,
    int maxPollRecords,
    LimitGrowth growth,
    long byteBudget) {
  private static final int DEFAULT_MAX_POLL_RECORDS = 500;

  /**
   * What a runner may hold in flight, in bytes, when its limits grow: split evenly over its poll
   * loops. Kafka's own default for one fetch response, {@code fetch.max.bytes}, is 50 MiB.
   */
  static final long RUNNER_BYTE_BUDGET = 32L * 1024 * 1024;

  /** Fixed limits, none of which grows. */
  FlowLimits(int maxInFlight, int maxInFlightPerPartition, int maxPollRecords) {
    this(maxInFlight, maxInFlightPerPartition, maxPollRecords, LimitGrowth.NONE, 0);
  }

  /**
   * Splits the runner's limits over its poll loops.
   *
   * @param runnerMaxInFlight the runner-wide limit
   * @param perPartition the per-partition limit
   * @param explicitMaxPollRecords {@code max.poll.records} if the application set it
   * @param loops the number of poll loops (consumers)
   * @param growth which limits were left at their defaults and may grow
   * @return the limits of each loop
   */
  static FlowLimits forLoop(
      int runnerMaxInFlight,
      int perPartition,
      Optional<Integer> explicitMaxPollRecords,
      int loops,
      LimitGrowth growth) {
    int total = Math.max(1, runnerMaxInFlight / loops);
    int partition = Math.min(perPartition, total);
    // Half the partition limit by default, so a partition can be fetched again while the previous
    // poll's records are still being processed.
    int poll =
        explicitMaxPollRecords
            .map(value -> Math.min(value, partition))
            .orElse(Math.max(1, Math.min(DEFAULT_MAX_POLL_RECORDS, partition / 2)));
    return new FlowLimits(total, partition, poll, growth, RUNNER_BYTE_BUDGET / loops);
  }
}
