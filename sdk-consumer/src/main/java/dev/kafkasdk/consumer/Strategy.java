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
 *   <li>{@link #shareGroup(int, int)}: share consumers (Kafka queues, <a
 *       href="https://cwiki.apache.org/confluence/display/KAFKA/KIP-932%3A+Queues+for+Kafka">KIP-932</a>)
 *       in the share group named by the builder's {@code groupId}, each feeding its own workers;
 *       records are acknowledged one by one and come in no order.
 * </ul>
 *
 * <pre>{@code
 * Strategy.threadPerPartition();                // one thread per partition
 * Strategy.multiWorker(16, Ordering.KEY);       // 16 workers, per-key order
 * Strategy.shareGroup(2, 8);                    // 2 share consumers x 8 workers, no order
 * }</pre>
 *
 * <p>{@link ShareGroup} was added to this sealed interface after 0.1.0: a {@code switch} over
 * {@code Strategy} that names every permitted type needs a case for it.
 */
public sealed interface Strategy
    permits Strategy.ThreadPerPartition, Strategy.MultiWorker, Strategy.ShareGroup {

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
   * java.util.concurrent.ForkJoinPool}, no limit of its own for a thread-per-task executor such as
   * {@code Executors.newVirtualThreadPerTaskExecutor()} (Java 21+; the in-flight limits and one
   * call per lane bound it), else 64.
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

  /**
   * Share consumers in the share group named by the builder's {@code groupId}, each with its own
   * worker threads, acknowledging each record on its own: {@code ACCEPT} when the handler
   * succeeded, {@code RELEASE} for a retry (Kafka delivers the record again, to any consumer of the
   * group, with a higher delivery count), {@code REJECT} when the failure action took it (after its
   * dead letter was acknowledged, for {@link FailureAction#deadLetter()}). Share groups give no
   * order, and many consumers may read one partition, so there may be more consumers than
   * partitions. Assumes the group's {@code share.delivery.count.limit} is Kafka's default, 5; see
   * {@link #shareGroup(int, int, int)}.
   *
   * <pre>{@code
   * ConsumerRunner.builder()
   *     .bootstrapServers("localhost:9092")
   *     .groupId("mail-senders")                  // the share group
   *     .topics("mails")
   *     .strategy(Strategy.shareGroup(2, 8))     // 2 share consumers x 8 workers
   *     .retry(RetryPolicy.builder().maxAttempts(3).build())
   *     .onFailure(FailureAction.deadLetter())
   *     .handler(record -> mailer.send(record.value()))
   *     .build();
   * }</pre>
   *
   * @param consumers the number of share consumers (each with its own poll thread), at least 1
   * @param workersPerConsumer the number of worker threads of each consumer, at least 1
   * @return the strategy
   * @throws SdkConfigException if a count is below 1
   */
  static ShareGroup shareGroup(int consumers, int workersPerConsumer) {
    return new ShareGroup(consumers, workersPerConsumer, ShareGroup.KAFKA_DELIVERY_COUNT_LIMIT);
  }

  /**
   * Share consumers, for a share group whose {@code share.delivery.count.limit} is not Kafka's
   * default. Kafka archives a record once it was delivered that many times, so the runner must know
   * the limit: on the last delivery a failed record goes to the failure action (a dead letter, say)
   * instead of being released for a delivery that would never come.
   *
   * @param consumers the number of share consumers, at least 1
   * @param workersPerConsumer the number of worker threads of each consumer, at least 1
   * @param deliveryCountLimit the group's {@code share.delivery.count.limit}, 2 to 10 as Kafka
   *     allows
   * @return the strategy
   * @throws SdkConfigException if a count is below 1 or the limit outside 2 to 10
   */
  static ShareGroup shareGroup(int consumers, int workersPerConsumer, int deliveryCountLimit) {
    return new ShareGroup(consumers, workersPerConsumer, deliveryCountLimit);
  }

  /**
   * Share consumers (KIP-932). What the runner does with each outcome:
   *
   * <ul>
   *   <li>The handler succeeded: {@code ACCEPT}.
   *   <li>It failed, the {@link RetryPolicy} retries the failure, and the record's delivery count
   *       ({@code ConsumerRecord.deliveryCount()}, 1 on the first delivery) is below both the
   *       policy's {@code maxAttempts} and {@code deliveryCountLimit}: the record waits the
   *       policy's backoff (its lock renewed if needed), then is released ({@code RELEASE}), and
   *       Kafka delivers it again, perhaps to another consumer. There are no retries in place:
   *       every attempt is a delivery, so the delivery count counts attempts, also across runners.
   *   <li>Otherwise the failure action: {@link FailureAction#stop()} fails the runner without
   *       acknowledging the record (closing the consumer releases it, and it is delivered again);
   *       {@link FailureAction#skip()} rejects it ({@code REJECT}: archived, never delivered
   *       again); {@link FailureAction#deadLetter()} publishes the original bytes with the
   *       dead-letter headers and rejects the record once Kafka acknowledged the dead letter.
   *   <li>A record that cannot be deserialized goes to the failure action at once (a {@link
   *       DeserializationFailure} is never retried), so it is dead-lettered, rejected or stops the
   *       runner; it is never skipped silently.
   * </ul>
   *
   * <p>A handler that runs longer than half the acquisition lock keeps its lock: the consumer's
   * thread renews it ({@code RENEW}, KIP-1222). Closing the runner waits for running handlers up to
   * the close timeout, acknowledges what finished and releases the rest, so another consumer gets
   * those records at once instead of after the lock timeout.
   *
   * @param consumers the number of share consumers (each with its own poll thread), at least 1
   * @param workersPerConsumer the number of worker threads of each consumer, at least 1
   * @param deliveryCountLimit the group's {@code share.delivery.count.limit}, 2 to 10
   */
  record ShareGroup(int consumers, int workersPerConsumer, int deliveryCountLimit)
      implements Strategy {
    /** Kafka's default {@code share.delivery.count.limit}. */
    public static final int KAFKA_DELIVERY_COUNT_LIMIT = 5;

    /**
     * Validates the counts.
     *
     * @param consumers the number of share consumers, at least 1
     * @param workersPerConsumer the number of worker threads of each consumer, at least 1
     * @param deliveryCountLimit the group's {@code share.delivery.count.limit}, 2 to 10
     * @throws SdkConfigException if a count is below 1 or the limit outside 2 to 10
     */
    public ShareGroup {
      ConfigChecks.atLeastOne("shareGroup.consumers", consumers, "use at least 1 share consumer");
      ConfigChecks.atLeastOne(
          "shareGroup.workersPerConsumer", workersPerConsumer, "use at least 1 worker thread");
      if (deliveryCountLimit < 2 || deliveryCountLimit > 10) {
        throw new SdkConfigException(
            "shareGroup.deliveryCountLimit",
            "must be between 2 and 10 (Kafka's range for share.delivery.count.limit), was "
                + deliveryCountLimit,
            "use the group's share.delivery.count.limit (default 5)");
      }
    }
  }
}
