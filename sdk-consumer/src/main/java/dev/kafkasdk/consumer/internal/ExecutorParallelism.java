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

  /**
   * The parallelism of a thread-per-task executor ({@code
   * Executors.newVirtualThreadPerTaskExecutor()} or {@code newThreadPerTaskExecutor(factory)}, Java
   * 21+): it starts every task at once, so it has no limit of its own and the runner's in-flight
   * limits ({@code maxInFlight}, at most one call per key or partition lane) are what bound the
   * calls. Capping it at {@link #UNKNOWN} held an I/O-bound handler on virtual threads to 64 calls
   * at once whatever the in-flight limit.
   */
  static final int THREAD_PER_TASK = 10_000;

  /** The JDK's thread-per-task executor class (Java 21+), by name: this module targets Java 17. */
  private static final String THREAD_PER_TASK_CLASS = "java.util.concurrent.ThreadPerTaskExecutor";

  private ExecutorParallelism() {}

  /**
   * Returns the executor's parallelism: for a {@link ThreadPoolExecutor} its core size if its queue
   * is unbounded (a fixed or scheduled pool), else its maximum size capped at {@link #UNKNOWN}; the
   * parallelism of a {@link ForkJoinPool}; {@link #THREAD_PER_TASK} for the JDK's thread-per-task
   * executor (virtual threads); else {@link #UNKNOWN}.
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
    } else if (executor.getClass().getName().equals(THREAD_PER_TASK_CLASS)) {
      parallelism = THREAD_PER_TASK;
    } else {
      parallelism = UNKNOWN;
    }
    return Math.max(1, parallelism);
  }
}
