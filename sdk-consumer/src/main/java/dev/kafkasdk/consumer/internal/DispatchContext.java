package dev.kafkasdk.consumer.internal;

import dev.kafkasdk.consumer.Ordering;
import java.util.Queue;
import java.util.concurrent.Executor;
import java.util.concurrent.atomic.AtomicInteger;

/**
 * Everything the dispatcher's parts share: where handler calls run, the handler, the failure
 * support and where workers report. One object instead of a long parameter list, grouped by who
 * provides each part.
 *
 * @param workers where and in what order handler calls run
 * @param invoker the application's handler
 * @param batchSize the most records in one call of a batch handler
 * @param failures the decoder, failure policy, gate and retry timer
 * @param reports where workers report what became of their work
 * @param <K> key type
 * @param <V> value type
 */
record DispatchContext<K, V>(
    Workers workers,
    HandlerInvoker<K, V> invoker,
    int batchSize,
    FailureSupport<K, V> failures,
    Reports<K, V> reports) {

  /**
   * Where and in what order handler calls run.
   *
   * @param executor runs the handler calls
   * @param ordering the ordering guarantee
   * @param parallelism how many handler calls the executor runs at once (at least 1)
   */
  record Workers(Executor executor, Ordering ordering, int parallelism) {
    Workers {
      parallelism = Math.max(1, parallelism);
    }
  }

  /**
   * Where workers report.
   *
   * @param completions the queue the poll thread applies completions from
   * @param metrics the runner's meters
   * @param watch the handler calls running now, for the slow-handler warning
   * @param queued records dispatched and not yet started, for the queued gauge
   * @param <K> key type
   * @param <V> value type
   */
  record Reports<K, V>(
      Queue<Completion<K, V>> completions,
      RunnerMetrics metrics,
      SlowHandlerWatch watch,
      AtomicInteger queued) {}

  Executor executor() {
    return workers.executor();
  }

  Ordering ordering() {
    return workers.ordering();
  }

  int parallelism() {
    return workers.parallelism();
  }

  RecordDecoder<K, V> decoder() {
    return failures.decoder();
  }

  FailurePolicy policy() {
    return failures.policy();
  }

  Gate gate() {
    return failures.gate();
  }

  RunnerMetrics metrics() {
    return reports.metrics();
  }

  SlowHandlerWatch watch() {
    return reports.watch();
  }
}
