package dev.kafkasdk.consumer.internal;

import dev.kafkasdk.consumer.Strategy;
import java.util.concurrent.ExecutorService;
import java.util.concurrent.Executors;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;

/**
 * The executor a poll loop hands records to: a pool the runner creates and shuts down (a fixed pool
 * for multi-worker, one thread per loop for thread-per-partition), or the application's executor,
 * which the runner never shuts down.
 *
 * @param executor runs the handler calls
 * @param owned whether the runner created it (and so shuts it down)
 * @param parallelism how many handler calls it runs at once
 */
record WorkerPool(ExecutorService executor, boolean owned, int parallelism) {
  private static final Logger log = LoggerFactory.getLogger(WorkerPool.class);

  /** The strategy's executor, or a new fixed pool of its worker count. */
  static WorkerPool of(Strategy.MultiWorker strategy, String runnerName) {
    if (strategy.executor().isEmpty()) {
      return new WorkerPool(
          Executors.newFixedThreadPool(
              strategy.workers(), new NamedThreadFactory("ksdk-" + runnerName + "-worker")),
          true,
          strategy.workers());
    }
    // The strategy has no worker count for an application's executor: ask the executor.
    ExecutorService executor = strategy.executor().get();
    int parallelism = ExecutorParallelism.of(executor);
    log.info(
        "runner {}: the application's executor runs up to {} handler calls at once",
        runnerName,
        parallelism);
    return new WorkerPool(executor, false, parallelism);
  }
}
