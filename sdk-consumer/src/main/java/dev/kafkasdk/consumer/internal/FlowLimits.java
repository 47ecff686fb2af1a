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
 * @param maxInFlight limit for the loop
 * @param maxInFlightPerPartition limit per partition
 * @param maxPollRecords the {@code max.poll.records} the loop's consumer uses
 */
record FlowLimits(int maxInFlight, int maxInFlightPerPartition, int maxPollRecords) {
  private static final int DEFAULT_MAX_POLL_RECORDS = 500;

  /**
   * Splits the runner's limits over its poll loops.
   *
   * @param runnerMaxInFlight the runner-wide limit
   * @param perPartition the per-partition limit
   * @param explicitMaxPollRecords {@code max.poll.records} if the application set it
   * @param loops the number of poll loops (consumers)
   * @return the limits of each loop
   */
  static FlowLimits forLoop(
      int runnerMaxInFlight,
      int perPartition,
      Optional<Integer> explicitMaxPollRecords,
      int loops) {
    int total = Math.max(1, runnerMaxInFlight / loops);
    int partition = Math.min(perPartition, total);
    // Half the partition limit by default, so a partition can be fetched again while the previous
    // poll's records are still being processed.
    int poll =
        explicitMaxPollRecords
            .map(value -> Math.min(value, partition))
            .orElse(Math.max(1, Math.min(DEFAULT_MAX_POLL_RECORDS, partition / 2)));
    return new FlowLimits(total, partition, poll);
  }

  /** Whether the loop has room for one more full poll. */
  boolean admits(int trackedTotal) {
    return trackedTotal + maxPollRecords <= maxInFlight;
  }

  /** Whether a partition has room for one more full poll. */
  boolean admitsPartition(int trackedInPartition) {
    return trackedInPartition + maxPollRecords <= maxInFlightPerPartition;
  }
}
