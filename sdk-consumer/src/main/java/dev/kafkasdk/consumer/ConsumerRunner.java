package dev.kafkasdk.consumer;

import dev.kafkasdk.consumer.internal.RunnerConfigResolver;
import dev.kafkasdk.consumer.internal.RunnerDraft;
import dev.kafkasdk.consumer.internal.RunnerLifecycle;
import dev.kafkasdk.core.SdkConfigException;
import dev.kafkasdk.producer.ReliableProducer;
import io.github.resilience4j.circuitbreaker.CircuitBreaker;
import io.github.resilience4j.circuitbreaker.CircuitBreakerConfig;
import io.github.resilience4j.ratelimiter.RateLimiter;
import io.github.resilience4j.ratelimiter.RateLimiterConfig;
import io.micrometer.core.instrument.MeterRegistry;
import java.time.Duration;
import java.util.Arrays;
import java.util.Collection;
import java.util.List;
import java.util.Map;
import java.util.Objects;
import java.util.Optional;
import java.util.Set;
import java.util.regex.Pattern;
import org.apache.kafka.common.TopicPartition;
import org.apache.kafka.common.serialization.Deserializer;
import org.apache.kafka.common.serialization.StringDeserializer;

/**
 * Consumes topics with a consumer group and processes records on many threads, committing an offset
 * only when every record below it has been processed.
 *
 * <p>Guarantees:
 *
 * <ul>
 *   <li><b>No loss</b>: the committed offset of a partition never passes a record that is queued,
 *       being processed or failed, whatever order records finish in. Auto-commit is always off.
 *   <li><b>At-least-once</b>: after a crash, a rebalance or a failed handler, records after the
 *       last commit are delivered again (to this runner or another member).
 *   <li><b>Ordering</b> as chosen by the {@link Strategy} and {@link Ordering}.
 *   <li><b>Liveness</b>: the poll thread never waits for a handler, so a slow handler never makes
 *       the member exceed {@code max.poll.interval.ms}; in-flight records are bounded and
 *       partitions are paused, not blocked, when the bound is reached.
 * </ul>
 *
 * <p>Lifecycle: {@link #start()} once, then {@link #close()} (or {@link #close(Duration)}), which
 * stops polling, lets running handler calls finish within the timeout, abandons queued records and
 * commits what is finished. A runner cannot be restarted; build a new one. If a handler throws (or
 * a record cannot be deserialized), the {@linkplain Builder#retry(RetryPolicy) retry policy} and
 * the {@linkplain Builder#onFailure(FailureAction) failure action} decide; with the default action
 * the runner stops by itself: {@link #state()} becomes {@link State#FAILED} and {@link #failure()}
 * says why.
 *
 * <pre>{@code
 * try (ConsumerRunner<String, String> runner =
 *     ConsumerRunner.builder()
 *         .bootstrapServers("localhost:9092")
 *         .groupId("orders-service")
 *         .topics("orders")
 *         .strategy(Strategy.multiWorker(8, Ordering.KEY))
 *         .handler(record -> orders.apply(record.key(), record.value()))
 *         .build()) {
 *   runner.start();
 *   runner.awaitTermination(Duration.ofDays(365));
 * }
 * }</pre>
 *
 * <p>Thread-safe: every method may be called from any thread.
 *
 * @param <K> key type
 * @param <V> value type
 */
public final class ConsumerRunner<K, V> implements AutoCloseable {

  /** Where a runner is in its life. */
  public enum State {
    /** Built, not started. */
    NEW,
    /** Polling and processing. */
    RUNNING,
    /** Stopping: after {@link #close()} or a failure, until every client is closed. */
    STOPPING,
    /** Stopped by {@link #close()} (or closed before it started). */
    STOPPED,
    /** Stopped because of a failure; see {@link #failure()}. */
    FAILED
  }

  private final RunnerLifecycle<K, V> lifecycle;

  private ConsumerRunner(RunnerLifecycle<K, V> lifecycle) {
    this.lifecycle = lifecycle;
  }

  /**
   * Starts describing a runner for string keys and values.
   *
   * @return a builder using {@link StringDeserializer} for keys and values
   */
  public static Builder<String, String> builder() {
    return new Builder<>(new StringDeserializer(), new StringDeserializer());
  }

  /**
   * Starts describing a runner with the given deserializers. In thread-per-partition mode every
   * consumer thread uses these instances, so they must be thread-safe (Kafka's built-in ones are).
   *
   * @param keys key deserializer
   * @param values value deserializer
   * @param <K> key type
   * @param <V> value type
   * @return a builder
   */
  public static <K, V> Builder<K, V> builder(Deserializer<K> keys, Deserializer<V> values) {
    return new Builder<>(
        Objects.requireNonNull(keys, "keys"), Objects.requireNonNull(values, "values"));
  }

  /**
   * Creates the consumers and threads and starts consuming. Returns once the threads run; partition
   * assignment happens asynchronously.
   *
   * @throws IllegalStateException if the runner was already started or closed
   * @throws org.apache.kafka.common.KafkaException if a consumer cannot be created; the runner is
   *     then {@link State#FAILED} and holds no resources
   */
  public void start() {
    lifecycle.start();
  }

  /**
   * Stops the runner and waits up to the builder's {@linkplain Builder#closeTimeout(Duration) close
   * timeout} (default 30 s). See {@link #close(Duration)}.
   */
  @Override
  public void close() {
    lifecycle.close(lifecycle.closeTimeout());
  }

  /**
   * Stops gracefully: stops polling, lets handler calls that are running finish within the timeout,
   * abandons records that have not started, commits the offsets of finished records synchronously
   * and closes the consumers. Abandoned records are not committed and will be delivered again.
   *
   * <p>Blocks until the runner has stopped or about the timeout has passed. Called from a handler
   * (or any runner thread) it only requests the stop and returns at once. Calling it again, or on a
   * runner that never started, is harmless.
   *
   * @param timeout how long running handlers and the final commit may take
   */
  public void close(Duration timeout) {
    lifecycle.close(timeout);
  }

  /**
   * Waits until the runner has stopped, by {@link #close()} or by a failure.
   *
   * @param timeout how long to wait
   * @return true if it has stopped (state {@link State#STOPPED} or {@link State#FAILED})
   * @throws InterruptedException if the waiting thread is interrupted
   */
  public boolean awaitTermination(Duration timeout) throws InterruptedException {
    return lifecycle.awaitTermination(timeout);
  }

  /**
   * Returns where the runner is in its life.
   *
   * @return the state
   */
  public State state() {
    return lifecycle.state();
  }

  /**
   * Returns why the runner stopped by itself: a {@link HandlerFailedException} when a record failed
   * for good under the stop action (its cause is the handler's exception or a {@link
   * DeserializationFailure}), when a dead letter could not be published, when the handler threw an
   * error of the JVM or of the application's code (an {@link OutOfMemoryError} or other {@link
   * VirtualMachineError} except {@link StackOverflowError}, or a {@link LinkageError}: never
   * retried, skipped or dead-lettered), or when the executor refused to run an interrupted record
   * again; or the client's exception when consuming failed (for example an authorization error).
   *
   * @return the failure, or empty while running normally or after a clean close
   */
  public Optional<Throwable> failure() {
    return lifecycle.failure();
  }

  /**
   * Returns the partitions currently assigned to this runner's consumers.
   *
   * @return an immutable snapshot; empty before the first assignment and after stopping
   */
  public Set<TopicPartition> assignment() {
    return lifecycle.assignment();
  }

  /**
   * Returns the runner's name (tag {@code runner} on its meters, prefix of its client ids). If
   * another running runner in this JVM already uses the configured name, {@link #start()} numbers
   * it ({@code name-2}, ...) so the two never share meters.
   *
   * @return the name
   */
  public String name() {
    return lifecycle.name();
  }

  /** Each consumer's assignment, in consumer order; for tests of thread-per-partition. */
  List<Set<TopicPartition>> assignmentsByConsumer() {
    return lifecycle.assignmentsByConsumer();
  }

  /** An upper bound of the most records ever in flight at once; for tests of the bound. */
  int highWaterInFlight() {
    return lifecycle.highWaterInFlight();
  }

  @Override
  public String toString() {
    return "ConsumerRunner[" + name() + ", " + state() + "]";
  }

  /**
   * Describes a {@link ConsumerRunner}. Not thread-safe. Every problem is reported by {@link
   * #build()} as an {@link SdkConfigException} naming the setting; setters only reject nulls.
   *
   * <table>
   *   <caption>Defaults</caption>
   *   <tr><th>Setting</th><th>Default</th></tr>
   *   <tr><td>{@link #strategy(Strategy)}</td>
   *       <td>{@code multiWorker(availableProcessors, PARTITION)}</td></tr>
   *   <tr><td>{@link #maxInFlight(int)}</td><td>5000</td></tr>
   *   <tr><td>{@link #maxInFlightPerPartition(int)}</td><td>min(1000, maxInFlight)</td></tr>
   *   <tr><td>{@code max.poll.records}</td><td>min(500, per-partition limit / 2)</td></tr>
   *   <tr><td>{@link #commitInterval(Duration)}</td><td>1 s</td></tr>
   *   <tr><td>{@link #closeTimeout(Duration)}</td><td>30 s</td></tr>
   *   <tr><td>{@link #revocationTimeout(Duration)}</td>
   *       <td>min(30 s, max.poll.interval.ms / 2)</td></tr>
   *   <tr><td>{@link #slowHandlerThreshold(Duration)}</td><td>30 s</td></tr>
   *   <tr><td>{@link #pollTimeout(Duration)}</td><td>100 ms</td></tr>
   *   <tr><td>{@link #maxBatchSize(int)}</td><td>100</td></tr>
   *   <tr><td>{@code partition.assignment.strategy}</td>
   *       <td>cooperative-sticky (classic protocol)</td></tr>
   *   <tr><td>{@code isolation.level}</td><td>{@code read_committed}</td></tr>
   *   <tr><td>{@code auto.offset.reset}</td><td>{@code earliest}</td></tr>
   *   <tr><td>{@code enable.auto.commit}</td><td>{@code false}, always</td></tr>
   * </table>
   *
   * @param <K> key type
   * @param <V> value type
   */
  public static final class Builder<K, V> {
    private final RunnerDraft<K, V> draft;

    private Builder(Deserializer<K> keys, Deserializer<V> values) {
      this.draft = new RunnerDraft<>(keys, values);
    }

    /**
     * Sets {@code bootstrap.servers}.
     *
     * @param bootstrapServers comma-separated host:port list
     * @return this builder
     */
    public Builder<K, V> bootstrapServers(String bootstrapServers) {
      draft.bootstrapServers(bootstrapServers);
      return this;
    }

    /**
     * Sets the consumer group ({@code group.id}). Required.
     *
     * @param groupId the group id
     * @return this builder
     */
    public Builder<K, V> groupId(String groupId) {
      draft.groupId(groupId);
      return this;
    }

    /**
     * Subscribes to topics. Replaces earlier topics; cannot be combined with {@link
     * #topicPattern(Pattern)}.
     *
     * @param topics topic names
     * @return this builder
     */
    public Builder<K, V> topics(String... topics) {
      return topics(Arrays.asList(topics));
    }

    /**
     * Subscribes to topics. Replaces earlier topics; cannot be combined with {@link
     * #topicPattern(Pattern)}.
     *
     * @param topics topic names
     * @return this builder
     */
    public Builder<K, V> topics(Collection<String> topics) {
      draft.topics(topics);
      return this;
    }

    /**
     * Subscribes to every topic whose whole name matches the pattern, including topics created
     * later. Cannot be combined with {@link #topics(String...)}.
     *
     * @param pattern the pattern
     * @return this builder
     */
    public Builder<K, V> topicPattern(Pattern pattern) {
      draft.topicPattern(pattern);
      return this;
    }

    /**
     * Sets any consumer property (see Kafka's {@code ConsumerConfig}). Properties the runner
     * manages are checked at {@link #build()}: {@code enable.auto.commit=true} is rejected, {@code
     * max.poll.records} must fit the per-partition in-flight limit, and {@code client.id} becomes
     * the prefix of each consumer's id.
     *
     * @param key the property name
     * @param value its value
     * @return this builder
     */
    public Builder<K, V> property(String key, Object value) {
      draft.property(key, value);
      return this;
    }

    /**
     * Sets several consumer properties; see {@link #property(String, Object)}.
     *
     * @param properties the properties
     * @return this builder
     */
    public Builder<K, V> properties(Map<String, ?> properties) {
      properties.forEach(this::property);
      return this;
    }

    /**
     * Sets the handler that processes one record at a time. Exactly one of this and {@link
     * #batchHandler(BatchHandler)} is required.
     *
     * @param handler the handler
     * @return this builder
     */
    public Builder<K, V> handler(RecordHandler<K, V> handler) {
      draft.handler(handler);
      return this;
    }

    /**
     * Sets a handler that processes batches; see {@link BatchHandler} for what a batch holds.
     *
     * @param handler the handler
     * @return this builder
     */
    public Builder<K, V> batchHandler(BatchHandler<K, V> handler) {
      draft.batchHandler(handler);
      return this;
    }

    /**
     * Sets the most records per {@link BatchHandler} call. With a {@linkplain
     * #rateLimiter(RateLimiter) rate limiter}, a batch also holds at most the limiter's permits per
     * period.
     *
     * @param maxBatchSize at least 1; default 100
     * @return this builder
     */
    public Builder<K, V> maxBatchSize(int maxBatchSize) {
      draft.maxBatchSize(maxBatchSize);
      return this;
    }

    /**
     * Chooses how records are spread over threads.
     *
     * @param strategy the strategy; default {@code multiWorker(availableProcessors, PARTITION)}
     * @return this builder
     */
    public Builder<K, V> strategy(Strategy strategy) {
      draft.strategy(strategy);
      return this;
    }

    /**
     * Limits the records polled and not yet committable (queued, being processed, or finished but
     * behind an unfinished record), for the whole runner. When the limit is reached the runner
     * pauses its partitions and keeps polling. This bounds memory and the number of records
     * delivered again after a crash. In thread-per-partition mode the limit is split evenly among
     * the consumer threads (at least one record each).
     *
     * @param maxInFlight at least 1; default 5000
     * @return this builder
     */
    public Builder<K, V> maxInFlight(int maxInFlight) {
      draft.maxInFlight(maxInFlight);
      return this;
    }

    /**
     * Limits in-flight records per partition, so one busy or stuck partition cannot take the whole
     * budget.
     *
     * @param maxInFlightPerPartition between 1 and {@link #maxInFlight(int)}; default min(1000,
     *     maxInFlight)
     * @return this builder
     */
    public Builder<K, V> maxInFlightPerPartition(int maxInFlightPerPartition) {
      draft.maxInFlightPerPartition(maxInFlightPerPartition);
      return this;
    }

    /**
     * Sets how often finished offsets are committed asynchronously. Commits are also made
     * synchronously when partitions are revoked and when the runner stops.
     *
     * @param commitInterval positive; default 1 s
     * @return this builder
     */
    public Builder<K, V> commitInterval(Duration commitInterval) {
      draft.commitInterval(commitInterval);
      return this;
    }

    /**
     * Sets how long {@link ConsumerRunner#close()} and a failure stop may wait for running handlers
     * and the final commit.
     *
     * @param closeTimeout positive; default 30 s
     * @return this builder
     */
    public Builder<K, V> closeTimeout(Duration closeTimeout) {
      draft.closeTimeout(closeTimeout);
      return this;
    }

    /**
     * Sets how long a revocation waits for running handler calls of the revoked partitions before
     * committing what is finished; calls still running are abandoned (their records go to the new
     * owner, and their late results are ignored). The wait happens inside the rebalance, so it must
     * be shorter than {@code max.poll.interval.ms}.
     *
     * @param revocationTimeout positive, below {@code max.poll.interval.ms}; default min(30 s,
     *     max.poll.interval.ms / 2)
     * @return this builder
     */
    public Builder<K, V> revocationTimeout(Duration revocationTimeout) {
      draft.revocationTimeout(revocationTimeout);
      return this;
    }

    /**
     * Sets when a running handler call is reported as slow (a WARN log with the partition, offset
     * and thread, and the {@value ConsumerMeters#HANDLER_SLOW} counter). A slow call does not
     * endanger the group membership, but it holds back its partition's commit.
     *
     * @param slowHandlerThreshold positive; default 30 s
     * @return this builder
     */
    public Builder<K, V> slowHandlerThreshold(Duration slowHandlerThreshold) {
      draft.slowHandlerThreshold(slowHandlerThreshold);
      return this;
    }

    /**
     * Sets the timeout of each {@code poll()}; it bounds how quickly the poll thread reacts to
     * finished records (resuming paused partitions) and to {@link ConsumerRunner#close()}.
     *
     * @param pollTimeout positive; default 100 ms
     * @return this builder
     */
    public Builder<K, V> pollTimeout(Duration pollTimeout) {
      draft.pollTimeout(pollTimeout);
      return this;
    }

    /**
     * Sets where meters go (see {@link ConsumerMeters}).
     *
     * @param registry the registry; default Micrometer's global registry
     * @return this builder
     */
    public Builder<K, V> meterRegistry(MeterRegistry registry) {
      draft.meterRegistry(registry);
      return this;
    }

    /**
     * Names the runner: the {@code runner} tag of its meters, its thread names and the default
     * {@code client.id} prefix.
     *
     * @param name the name; default the group id
     * @return this builder
     */
    public Builder<K, V> name(String name) {
      draft.name(name);
      return this;
    }

    /**
     * Retries failed handler calls. A record waiting for its retry holds its ordering lane (its
     * partition, or its key in {@link Ordering#KEY} mode) but no thread; other lanes go on, polling
     * goes on, and nothing past the record is committed. When retries are over the {@linkplain
     * #onFailure(FailureAction) failure action} decides.
     *
     * <pre>{@code
     * .retry(RetryPolicy.builder().maxAttempts(5).nonRetryable(IllegalArgumentException.class).build())
     * }</pre>
     *
     * @param retry the policy; default {@link RetryPolicy#none()} (in exactly-once mode: 3
     *     attempts)
     * @return this builder
     */
    public Builder<K, V> retry(RetryPolicy retry) {
      draft.retry(retry);
      return this;
    }

    /**
     * Chooses what happens to a record whose processing failed for good (retries over, a failure
     * that is not retryable, or a record that cannot be deserialized): stop the runner (default),
     * publish a dead letter, or skip it.
     *
     * @param action the action; default {@link FailureAction#stop()}
     * @return this builder
     */
    public Builder<K, V> onFailure(FailureAction action) {
      draft.onFailure(action);
      return this;
    }

    /**
     * Puts a circuit breaker around the handler. While it is open every partition is paused (the
     * consumer keeps polling, so it stays in the group), and calls it rejects are never made and
     * count as no attempt; the records wait and run when the breaker lets calls through again
     * (half-open probes, then closed). A call that is made and fails is an attempt of its record,
     * also when its failure opens the circuit or it is a half-open probe, so a record that always
     * fails still reaches the failure action; give the {@link #retry(RetryPolicy) retry policy}
     * enough attempts for the outages to ride out. Handler failures feed the breaker as
     * Resilience4j's configuration says ({@code recordExceptions}, {@code ignoreExceptions}). A
     * record that cannot be deserialized does not touch the breaker.
     *
     * @param breaker the breaker; may be shared, for example with the code the handler calls
     * @return this builder
     */
    public Builder<K, V> circuitBreaker(CircuitBreaker breaker) {
      draft.circuitBreaker(breaker);
      return this;
    }

    /**
     * Puts a new circuit breaker with this configuration around the handler; see {@link
     * #circuitBreaker(CircuitBreaker)}. It is named {@code consumer-handler}; pass a {@link
     * CircuitBreaker} to name it or to observe its state.
     *
     * @param config the configuration
     * @return this builder
     */
    public Builder<K, V> circuitBreaker(CircuitBreakerConfig config) {
      draft.circuitBreaker(
          CircuitBreaker.of("consumer-handler", Objects.requireNonNull(config, "config")));
      return this;
    }

    /**
     * Limits the rate of handler calls (one permit per record). A call without a permit waits on a
     * timer, not in a thread, and while no permit is left every partition is paused; the poll
     * thread never waits for a permit. Batches are cut to the limit per period, since a larger
     * reservation could never be granted.
     *
     * @param limiter the limiter; may be shared between runners
     * @return this builder
     */
    public Builder<K, V> rateLimiter(RateLimiter limiter) {
      draft.rateLimiter(limiter);
      return this;
    }

    /**
     * Limits the rate of handler calls with a new limiter of this configuration; see {@link
     * #rateLimiter(RateLimiter)}.
     *
     * @param config the configuration
     * @return this builder
     */
    public Builder<K, V> rateLimiter(RateLimiterConfig config) {
      draft.rateLimiter(
          RateLimiter.of("consumer-handler", Objects.requireNonNull(config, "config")));
      return this;
    }

    /**
     * Switches the runner to exactly-once consume-transform-produce: each poll batch of each
     * consumer thread is one transaction that contains the handler's output and the batch's input
     * offsets (sent with {@code consumer.groupMetadata()}). Input is read with {@code
     * read_committed}. After an abort the consumer is rewound to the committed offsets; a fenced
     * producer is replaced, never aborted. Requires {@link Strategy#threadPerPartition()}; the
     * handler runs on the consumer thread between polls. Replaces {@link #handler(RecordHandler)}.
     * Consumer thread {@code i} uses {@code transactional.id} {@code
     * <transactionalIdPrefix>-<i>-0}; keep the prefix and the thread count stable across restarts
     * so each id fences its predecessor.
     *
     * <pre>{@code
     * ConsumerRunner.builder()
     *     .bootstrapServers("localhost:9092").groupId("copier").topics("in")
     *     .strategy(Strategy.threadPerPartition())
     *     .exactlyOnce(
     *         ReliableProducer.builder(new StringSerializer(), new StringSerializer())
     *             .bootstrapServers("localhost:9092"),
     *         "copier",
     *         (in, out) -> out.send("out", in.key(), in.value()))
     *     .build();
     * }</pre>
     *
     * @param producer describes the output producer (bootstrap servers, serializers, properties);
     *     the runner derives one transactional producer per consumer thread from it
     * @param transactionalIdPrefix unique per application, stable across restarts
     * @param handler the transform
     * @param <OK> output key type
     * @param <OV> output value type
     * @return this builder
     */
    public <OK, OV> Builder<K, V> exactlyOnce(
        ReliableProducer.Builder<OK, OV> producer,
        String transactionalIdPrefix,
        TransformHandler<K, V, OK, OV> handler) {
      draft.exactlyOnce(producer, transactionalIdPrefix, handler);
      return this;
    }

    /**
     * Validates the description and creates a runner. Nothing is started or connected.
     *
     * @return a new runner in state {@link State#NEW}
     * @throws SdkConfigException if a setting is missing, invalid or contradicts another
     */
    public ConsumerRunner<K, V> build() {
      return new ConsumerRunner<>(new RunnerLifecycle<>(RunnerConfigResolver.resolve(draft)));
    }
  }
}
