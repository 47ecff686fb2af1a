package dev.kafkasdk.topics;

import java.time.Duration;
import java.util.Objects;

/**
 * How fast one consumer ran a handler, measured by {@link HandlerThroughputProbe}. Feed it to
 * {@link PartitionPlanner.Builder#consumerThroughput(ThroughputMeasurement)}.
 *
 * @param records records handled during the measured interval (warm-up excluded)
 * @param elapsed wall time of the measured interval: polling, deserializing and handling
 * @param handlerTime the part of {@code elapsed} spent inside the handler
 */
public record ThroughputMeasurement(long records, Duration elapsed, Duration handlerTime) {

  /**
   * Checks the components.
   *
   * @throws IllegalArgumentException if records is below 1, elapsed is not positive, or handler
   *     time is negative
   * @throws NullPointerException if a duration is null
   */
  public ThroughputMeasurement {
    if (records < 1) {
      throw new IllegalArgumentException("records must be at least 1, was " + records);
    }
    if (Objects.requireNonNull(elapsed, "elapsed").isNegative() || elapsed.isZero()) {
      throw new IllegalArgumentException("elapsed must be positive, was " + elapsed);
    }
    if (Objects.requireNonNull(handlerTime, "handlerTime").isNegative()) {
      throw new IllegalArgumentException("handlerTime must not be negative, was " + handlerTime);
    }
  }

  /**
   * Returns the throughput one consumer sustains.
   *
   * @return records per second over the measured interval
   */
  public double recordsPerSecond() {
    return records * 1_000_000_000.0 / elapsed.toNanos();
  }

  /**
   * Returns the share of the time spent in the handler. Near 1: the handler is the bottleneck (make
   * it faster, or add consumers); well below 1: fetching and deserializing dominate.
   *
   * @return {@code handlerTime / elapsed}, between 0 and 1
   */
  public double handlerShare() {
    return Math.min(1.0, (double) handlerTime.toNanos() / elapsed.toNanos());
  }

  @Override
  public String toString() {
    return String.format(
        "%,d records in %d ms = %,.1f records/s (%.0f%% in the handler)",
        records, elapsed.toMillis(), recordsPerSecond(), handlerShare() * 100);
  }
}
