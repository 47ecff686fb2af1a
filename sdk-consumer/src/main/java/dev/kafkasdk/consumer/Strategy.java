package dev.kafkasdk.consumer;

import dev.kafkasdk.core.SdkConfigException;
import dev.kafkasdk.core.internal.ConfigChecks;
import java.util.Objects;
import java.util.Optional;
import java.util.OptionalInt;
import java.util.concurrent.ExecutorService;

/**
 * How a {@link ConsumerRunner} spreads records over threads. Immutable.
 *
 * <ul>
 *   <li>{@link #threadPerPartition()}: N consumer threads in one group, each with its own {@code
 *       KafkaConsumer} and one processing thread, so each partition is processed in order by one
 *       thread. N defaults to the partition count of the subscribed topics; threads beyond it get
 *       no partition and sit idle (the runner logs a warning).
 *   <li>{@link #multiWorker(int, Ordering)}: one consumer thread feeding a bounded worker pool,
 *       with an {@link Ordering}.
 * </ul>
 *
 * <pre>{@code
 * Strategy.threadPerPartition();                // one thread per partition
 * Strategy.multiWorker(16, Ordering.KEY);       // 16 workers, per-key order
 * }</pre>
 */
public sealed interface Strategy permits Strategy.ThreadPerPartition, Strategy.MultiWorker {

  /**
   * One consumer thread per partition of the subscribed topics (counted when the runner starts).
   *
   * @return the strategy
   */
  static ThreadPerPartition threadPerPartition() {
    return new ThreadPerPartition(OptionalInt.empty());
  }

  /**
   * A fixed number of consumer threads.
   *
   * @param threads the number of consumer threads, at least 1; threads beyond the partition count
   *     sit idle
   * @return the strategy
   * @throws SdkConfigException if {@code threads < 1}
   */
  static ThreadPerPartition threadPerPartition(int threads) {
    return new ThreadPerPartition(OptionalInt.of(threads));
  }

  /**
   * One consumer thread and a pool of worker threads that the runner creates and shuts down.
   *
   * @param workers the number of worker threads, at least 1
   * @param ordering what order records are processed in
   * @return the strategy
   * @throws SdkConfigException if {@code workers < 1}
   */
  static MultiWorker multiWorker(int workers, Ordering ordering) {
    return new MultiWorker(workers, ordering, Optional.empty());
  }

  /**
   * One consumer thread and a worker pool supplied by the application. The runner never shuts the
   * executor down; handlers still running on it when a close times out are left to finish and their
   * results are ignored. The runner runs as many handler calls at once as the executor can: the
   * pool size of a {@link java.util.concurrent.ThreadPoolExecutor} (its core size if its queue is
   * unbounded, else its maximum size up to 64), the parallelism of a {@link
   * java.util.concurrent.ForkJoinPool}, else 64.
   *
   * @param executor the executor that runs handlers; it must not reject tasks while the runner runs
   * @param ordering what order records are processed in
   * @return the strategy
   */
  static MultiWorker multiWorker(ExecutorService executor, Ordering ordering) {
    return new MultiWorker(0, ordering, Optional.of(executor));
  }

  /**
   * Thread-per-partition.
   *
   * @param threads the number of consumer threads, or empty for the partition count
   */
  record ThreadPerPartition(OptionalInt threads) implements Strategy {
    /**
     * Validates the thread count.
     *
     * @param threads the number of consumer threads, or empty for the partition count
     * @throws SdkConfigException if present and below 1
     */
    public ThreadPerPartition {
      Objects.requireNonNull(threads, "threads");
      if (threads.isPresent()) {
        ConfigChecks.atLeastOne(
            "threadPerPartition.threads",
            threads.getAsInt(),
            "use at least 1 thread, or threadPerPartition() for one per partition");
      }
    }
  }

  /**
   * Multi-worker.
   *
   * @param workers the number of worker threads the runner creates (0 when {@code executor} is
   *     given)
   * @param ordering the ordering mode
   * @param executor an application-owned executor, or empty for a runner-owned pool
   */
  record MultiWorker(int workers, Ordering ordering, Optional<ExecutorService> executor)
      implements Strategy {
    /**
     * Validates the worker count.
     *
     * @param workers the number of worker threads the runner creates (0 when {@code executor} is
     *     given)
     * @param ordering the ordering mode
     * @param executor an application-owned executor, or empty for a runner-owned pool
     * @throws SdkConfigException if no executor is given and {@code workers < 1}
     */
    public MultiWorker {
      Objects.requireNonNull(ordering, "ordering");
      Objects.requireNonNull(executor, "executor");
      if (executor.isEmpty()) {
        ConfigChecks.atLeastOne("multiWorker.workers", workers, "use at least 1 worker thread");
      }
    }
  }
}
