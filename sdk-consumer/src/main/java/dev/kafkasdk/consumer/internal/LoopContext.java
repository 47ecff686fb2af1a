package dev.kafkasdk.consumer.internal;

import org.apache.kafka.clients.consumer.Consumer;

/**
 * What every consumer loop gets from the engine: its consumer and what it reports to.
 *
 * @param name the loop's name, used in logs and thread names
 * @param consumer the loop's own consumer; only the loop's thread calls it
 * @param clientMetrics the consumer's meters, closed with it
 * @param settings the runner's settings
 * @param reports where the loop reports meters, gauges and its end
 * @param userPauses the application's pauses, which the loop applies to its consumer
 * @param <K> key type
 * @param <V> value type
 */
record LoopContext<K, V>(
    String name,
    Consumer<byte[], byte[]> consumer,
    AutoCloseable clientMetrics,
    RunnerSettings<K, V> settings,
    LoopReports reports,
    UserPauses userPauses) {

  /**
   * Where a loop reports.
   *
   * @param metrics the runner's meters
   * @param stats this loop's figures for gauges
   * @param owner the engine, told of a failure and of the end
   * @param board the runner's per-partition lag and progress
   */
  record LoopReports(
      RunnerMetrics metrics, LoopStats stats, Loop.Owner owner, ProgressBoard board) {}
}
