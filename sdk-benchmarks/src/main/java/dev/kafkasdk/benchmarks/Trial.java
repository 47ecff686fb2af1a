package dev.kafkasdk.benchmarks;

import java.util.Map;

/**
 * The outcome of one timed run of one variant.
 *
 * @param value the scenario's headline figure (records/s for throughput scenarios, milliseconds for
 *     latency, megabytes for memory)
 * @param unit the unit of {@code value}
 * @param extra further figures, e.g. MB/s or percentiles
 */
record Trial(double value, String unit, Map<String, Double> extra) {

  static Trial throughput(long records, long bytes, long nanos) {
    double seconds = nanos / 1e9;
    return new Trial(
        records / seconds, "records/s", Map.of("MB/s", bytes / seconds / (1024.0 * 1024.0)));
  }
}
