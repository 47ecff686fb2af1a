package dev.kafkasdk.benchmarks;

import java.util.Map;
import java.util.TreeMap;

/**
 * The outcome of one timed run of one variant.
 *
 * @param value the scenario's headline figure (records/s for throughput scenarios, milliseconds for
 *     latency, megabytes for memory)
 * @param unit the unit of {@code value}
 * @param extra further figures, e.g. MB/s or percentiles
 */
record Trial(double value, String unit, Map<String, Double> extra) {

  /**
   * Consumer throughput once consuming has begun: from the first record handled to the last, so the
   * one-off start-up (client creation, group join, first fetch) does not swamp a short run. The
   * start-up time and the rate over the whole run are kept as extras.
   *
   * @param records records handled
   * @param bytes their value bytes
   * @param startNanos when the consumer was started
   * @param firstNanos when the first record was handled
   * @param endNanos when the last record was handled
   */
  static Trial consumed(long records, long bytes, long startNanos, long firstNanos, long endNanos) {
    double steady = (endNanos - firstNanos) / 1e9;
    double overall = (endNanos - startNanos) / 1e9;
    return new Trial(
        (records - 1) / steady,
        "records/s",
        Map.of(
            "MB/s",
            bytes / steady / (1024.0 * 1024.0),
            "start_ms",
            (firstNanos - startNanos) / 1e6,
            "overall_rec/s",
            records / overall));
  }

  /** This trial with one more extra figure. */
  Trial withExtra(String key, double figure) {
    Map<String, Double> more = new TreeMap<>(extra);
    more.put(key, figure);
    return new Trial(value, unit, Map.copyOf(more));
  }

  static Trial throughput(long records, long bytes, long nanos) {
    double seconds = nanos / 1e9;
    return new Trial(
        records / seconds, "records/s", Map.of("MB/s", bytes / seconds / (1024.0 * 1024.0)));
  }
}
