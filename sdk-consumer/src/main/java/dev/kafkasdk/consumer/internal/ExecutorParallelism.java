package dev.kafkasdk.consumer.internal;

import java.util.concurrent.ExecutorService;
import java.util.concurrent.ForkJoinPool;
import java.util.concurrent.ThreadPoolExecutor;

/**
 * How many handler calls an application-supplied executor can run at once, so that the dispatcher
 * keeps that many lanes going and no more: fewer would leave the application's threads idle while
 * records wait, more would only queue tasks that find nothing to do.
 */
final class ExecutorParallelism {
  /**
   * The parallelism assumed for an executor that does not tell its size (for example a
   * virtual-thread-per-task executor) or whose maximum is unbounded (a cached pool).
   */
  static final int UNKNOWN = 64;

  private ExecutorParallelism() {}

  /**
   * Returns the executor's parallelism: for a {@link ThreadPoolExecutor} its core size if its queue
   * is unbounded (a fixed or scheduled pool), else its maximum size capped at {@link #UNKNOWN}; the
   * parallelism of a {@link ForkJoinPool}; else {@link #UNKNOWN}.
   *
   * @param executor the application's executor
   * @return at least 1
   */
  static int of(ExecutorService executor) {
    int parallelism;
    if (executor instanceof ThreadPoolExecutor pool) {
      // A pool grows past its core size only when its queue is full; an unbounded queue never is.
      parallelism =
          pool.getQueue().remainingCapacity() == Integer.MAX_VALUE
              ? pool.getCorePoolSize()
              : Math.max(pool.getCorePoolSize(), Math.min(pool.getMaximumPoolSize(), UNKNOWN));
    } else if (executor instanceof ForkJoinPool pool) {
      parallelism = pool.getParallelism();
    } else {
      parallelism = UNKNOWN;
    }
    return Math.max(1, parallelism);
  }
}
