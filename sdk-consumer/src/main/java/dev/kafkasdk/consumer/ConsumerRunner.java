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
import io.micrometer.observation.ObservationRegistry;
import java.time.Duration;
import java.util.Arrays;
import java.util.Collection;
import java.util.List;
import java.util.Map;
import java.util.Objects;
import java.util.Optional;
import java.util.Set;
import java.util.function.Consumer;
import java.util.regex.Pattern;
import org.apache.kafka.common.TopicPartition;
import org.apache.kafka.common.serialization.Deserializer;
import org.apache.kafka.common.serialization.StringDeserializer;

/**
 * Consumes topics with a consumer group and processes records on many threads, committing an offset
 * only when every record below it has been processed; auto-commit is always off. Delivery is at
 * least once, ordering is what the {@link Strategy} and {@link Ordering} say, and in-flight records
 * are bounded by pausing partitions. Except in exactly-once mode the poll thread never waits for a
 * handler, so a slow handler cannot make the member exceed {@code max.poll.interval.ms}.
 *
 * <p>{@link #start()} once, then {@link #close()}; a runner cannot be restarted. A record that
 * fails for good stops the runner unless the {@linkplain Builder#onFailure(FailureAction) failure
 * action} says otherwise: {@link #state()} becomes {@link State#FAILED} and {@link #failure()} says
 * why. {@link #pause()} and {@link #resume()} stop and restart fetching at run time, and {@link
 * #health()} folds state, failure, paused and stuck partitions into one status for readiness and
 * liveness checks. Every method may be called from any thread.
 *
 * <p>With {@link Strategy#shareGroup(int, int)} the runner reads as a member of a share group
 * (Kafka queues, KIP-932) instead: records are acknowledged one by one rather than committed, and
 * come in no order; {@link Strategy.ShareGroup} says what each outcome means.
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
   * @throws NullPointerException if a deserializer is null
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
   * Stops gracefully: stops polling, lets running handler calls finish within the timeout, abandons
   * records that have not started (they are delivered again), commits the offsets of finished
   * records synchronously and closes the consumers. Blocks until stopped or about the timeout has
   * passed; from a runner thread it only requests the stop. Calling it again, or before {@link
   * #start()}, is harmless.
   *
   * @param timeout how long running handlers and the final commit may take
   * @throws NullPointerException if {@code timeout} is null
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
   * @throws NullPointerException if {@code timeout} is null
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
   * again; a {@link ClusterAccessException} when the cluster refused the runner's client
   * (authentication failed or an ACL is missing: the runner stops at once rather than retrying, and
   * the message names what was refused and the fix); or the client's exception when consuming
   * failed otherwise.
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
   * Pauses every partition, those assigned now and those assigned later, until {@link #resume()}:
   * no more records are fetched from them. Records already polled keep being handled and committed.
   * The request is handed to the poll threads and takes effect within about one {@link
   * Builder#pollTimeout(Duration) poll timeout}; {@link #pausedPartitions()} shows when it has.
   *
   * <p>These pauses are the application's and apart from the ones the runner makes itself
   * (back-pressure, an open circuit breaker, a rate limit): a partition is fetched from only when
   * neither holds it, so the runner resuming for its own reasons never undoes this pause. They
   * belong to this runner instance and to partitions, not assignments: a paused partition that is
   * revoked and later assigned to this runner again is paused again, while another member of the
   * group that is assigned it meanwhile consumes it (pause every instance to pause a group). May be
   * called before {@link #start()}, from any thread, also from a handler.
   *
   * <pre>{@code
   * runner.pause();                       // e.g. a downstream system is in maintenance
   * // ... later
   * runner.resume();
   * }</pre>
   */
  public void pause() {
    lifecycle.userPauses().pauseAll();
  }

  /**
   * Pauses the given partitions until they are resumed, whether they are assigned now or later; see
   * {@link #pause()}. Partitions this runner is never assigned are ignored.
   *
   * @param partitions the partitions to pause
   * @throws NullPointerException if {@code partitions} or one of them is null
   */
  public void pause(Collection<TopicPartition> partitions) {
    lifecycle.userPauses().pause(partitions);
  }

  /**
   * Resumes every partition the application paused; partitions the runner holds for its own reasons
   * (back-pressure, breaker, rate limit) resume when those end. Takes effect within about one poll
   * timeout.
   */
  public void resume() {
    lifecycle.userPauses().resumeAll();
  }

  /**
   * Resumes the given partitions. After {@link #pause()} every other partition, also one assigned
   * later, stays paused.
   *
   * @param partitions the partitions to resume
   * @throws NullPointerException if {@code partitions} or one of them is null
   */
  public void resume(Collection<TopicPartition> partitions) {
    lifecycle.userPauses().resume(partitions);
  }

  /**
   * Returns the assigned partitions that are paused by {@link #pause()} or {@link
   * #pause(Collection)}, as the poll threads have applied the request (not the runner's own
   * back-pressure pauses).
   *
   * @return an immutable snapshot; empty unless {@link State#RUNNING}
   */
  public Set<TopicPartition> pausedPartitions() {
    return lifecycle.pausedPartitions();
  }

  /**
   * Returns a snapshot of the runner's health: state, failure, paused and stuck partitions, and a
   * status for readiness and liveness checks. Cheap enough to call on every probe.
   *
   * @return the snapshot
   */
  public RunnerHealth health() {
    State now = lifecycle.state();
    return new RunnerHealth(
        now,
        lifecycle.failure().orElse(null),
        lifecycle.pausedPartitions(),
        lifecycle.stuckPartitions(),
        lifecycle.stuckAfter());
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
   * Describes a {@link ConsumerRunner}; not thread-safe. Every setter throws {@link
   * NullPointerException} for a null argument and checks nothing else: {@link #build()} reports a
   * missing setting, a value outside the range its setter states, or a contradiction as an {@link
   * SdkConfigException} naming the setting. Defaults are stated at each setter, and every setter
   * returns this builder.
   *
   * @param <K> key type
   * @param <V> value type
   */
  public static final class Builder<K, V> {
    private final RunnerDraft<K, V> draft;

    private Builder(Deserializer<K> keys, Deserializer<V> values) {
      this.draft = new RunnerDraft<>(keys, values);
    }

    private <T> Builder<K, V> set(Consumer<T> setter, T value) {
      setter.accept(value);
      return this;
    }

    /** Sets {@code bootstrap.servers} (host:port list); required, here or as a property. */
    public Builder<K, V> bootstrapServers(String bootstrapServers) {
      return set(draft::bootstrapServers, bootstrapServers);
    }

    /**
     * Sets the consumer group ({@code group.id}), or the share group with {@link
     * Strategy#shareGroup(int, int)}; required, here or as a property.
     */
    public Builder<K, V> groupId(String groupId) {
      return set(draft::groupId, groupId);
    }

    /**
     * Subscribes to topics, replacing earlier ones. Exactly one of this and {@link
     * #topicPattern(Pattern)} is required.
     *
     * @param topics topic names, not blank
     */
    public Builder<K, V> topics(String... topics) {
      return topics(Arrays.asList(topics));
    }

    /** Subscribes to topics (names not blank); see {@link #topics(String...)}. */
    public Builder<K, V> topics(Collection<String> topics) {
      return set(draft::topics, topics);
    }

    /** Subscribes to every topic whose whole name matches; exclusive with {@link #topics}. */
    public Builder<K, V> topicPattern(Pattern pattern) {
      return set(draft::topicPattern, pattern);
    }

    /**
     * Sets any consumer property (Kafka's {@code ConsumerConfig}), parsed at {@link #build()} as
     * the consumer would. {@code enable.auto.commit=true} is rejected, {@code max.poll.records}
     * must not exceed {@link #maxInFlightPerPartition(int)} (default: half of it, at most 500), and
     * {@code client.id} becomes the prefix of each consumer's id.
     *
     * @param key the property name
     * @param value its value
     */
    public Builder<K, V> property(String key, Object value) {
      draft.property(key, value);
      return this;
    }

    /** Sets several consumer properties; see {@link #property(String, Object)}. */
    public Builder<K, V> properties(Map<String, ?> properties) {
      properties.forEach(this::property);
      return this;
    }

    /** Sets the handler of one record at a time (or use a batch handler or exactly-once). */
    public Builder<K, V> handler(RecordHandler<K, V> handler) {
      return set(draft::handler, handler);
    }

    /** Sets a handler of batches (see {@link BatchHandler}) in place of {@link #handler}. */
    public Builder<K, V> batchHandler(BatchHandler<K, V> handler) {
      return set(draft::batchHandler, handler);
    }

    /**
     * Sets the most records per {@link BatchHandler} call (with a rate limiter, also at most its
     * permits per period).
     *
     * @param maxBatchSize at least 1; default 100
     */
    public Builder<K, V> maxBatchSize(int maxBatchSize) {
      return set(draft::maxBatchSize, maxBatchSize);
    }

    /** Chooses the threads; default {@code multiWorker(availableProcessors, PARTITION)}. */
    public Builder<K, V> strategy(Strategy strategy) {
      return set(draft::strategy, strategy);
    }

    /**
     * Limits the records polled and not yet committable, for the whole runner (split evenly among
     * the consumer threads of thread-per-partition); at the limit, partitions are paused.
     *
     * <p><b>Left at its default, the limit grows while the handler is cheap</b>: up to 8 times
     * (40,000), by the largest whole factor for which a full window of records would take at most
     * 100 ms of handler time at the measured time per record (as if one worker ran them all) and
     * hold at most 32 MiB of keys and values (plus 160 bytes per record), so what a stop, a
     * revocation or a crash waits for or redelivers stays bounded. It shrinks back when the handler
     * turns slow. It never grows for a batch handler, or with a rate limiter or circuit breaker.
     * The limit in force is the gauge {@link ConsumerMeters#IN_FLIGHT_LIMIT}. A value set here is
     * kept as set.
     *
     * @param maxInFlight at least 1; default 5000, growing as described
     */
    public Builder<K, V> maxInFlight(int maxInFlight) {
      return set(draft::maxInFlight, maxInFlight);
    }

    /**
     * Limits in-flight records per partition, so one stuck partition cannot take the whole budget.
     * Left at its default it grows by the same factor as {@link #maxInFlight(int)} (never beyond
     * the runner limit in force); a value set here is kept as set.
     *
     * @param maxInFlightPerPartition 1 to {@code maxInFlight}; default min(1000, maxInFlight),
     *     growing as described
     */
    public Builder<K, V> maxInFlightPerPartition(int maxInFlightPerPartition) {
      return set(draft::maxInFlightPerPartition, maxInFlightPerPartition);
    }

    /**
     * Sets how often finished offsets are committed asynchronously; commits are also made
     * synchronously when partitions are revoked and when the runner stops.
     *
     * @param commitInterval positive; default 1 s
     */
    public Builder<K, V> commitInterval(Duration commitInterval) {
      return set(draft::commitInterval, commitInterval);
    }

    /**
     * Sets how long {@link ConsumerRunner#close()} and a stop after a failure wait for handlers and
     * the final commit.
     *
     * @param closeTimeout positive; default 30 s
     */
    public Builder<K, V> closeTimeout(Duration closeTimeout) {
      return set(draft::closeTimeout, closeTimeout);
    }

    /**
     * Sets how long a revocation, inside the rebalance, waits for running calls of the revoked
     * partitions before it commits what is finished and abandons the rest.
     *
     * @param revocationTimeout positive, below {@code max.poll.interval.ms}; default min(30 s,
     *     max.poll.interval.ms / 2)
     */
    public Builder<K, V> revocationTimeout(Duration revocationTimeout) {
      return set(draft::revocationTimeout, revocationTimeout);
    }

    /**
     * Sets when a running handler call is logged at WARN and counted as {@value
     * ConsumerMeters#HANDLER_SLOW}.
     *
     * @param slowHandlerThreshold positive; default 30 s
     */
    public Builder<K, V> slowHandlerThreshold(Duration slowHandlerThreshold) {
      return set(draft::slowHandlerThreshold, slowHandlerThreshold);
    }

    /**
     * Sets when a partition counts as stuck in {@link ConsumerRunner#health()}: its records wait
     * and its committed offset has not moved for this long (see {@link RunnerHealth}).
     *
     * @param stuckAfter longer than {@code commitInterval}; default 5 minutes, or twice {@code
     *     commitInterval} if that is longer
     */
    public Builder<K, V> stuckAfter(Duration stuckAfter) {
      return set(draft::stuckAfter, stuckAfter);
    }

    /**
     * Sets the timeout of each {@code poll()}, which bounds how fast the runner reacts to finished
     * records and to {@link ConsumerRunner#close()}.
     *
     * @param pollTimeout positive; default 100 ms
     */
    public Builder<K, V> pollTimeout(Duration pollTimeout) {
      return set(draft::pollTimeout, pollTimeout);
    }

    /** Sets where meters ({@link ConsumerMeters}) go; default Micrometer's global registry. */
    public Builder<K, V> meterRegistry(MeterRegistry registry) {
      return set(draft::meterRegistry, registry);
    }

    /** Names the runner (meter tag, thread names, client ids); default the group id. */
    public Builder<K, V> name(String name) {
      return set(draft::name, name);
    }

    /**
     * Retries failed handler calls; a record waiting for its retry holds its ordering lane but no
     * thread. In exactly-once mode the policy's backoff also paces failed transactions.
     *
     * @param retry default {@link RetryPolicy#none()}; in exactly-once mode 3 attempts
     */
    public Builder<K, V> retry(RetryPolicy retry) {
      return set(draft::retry, retry);
    }

    /**
     * Chooses what happens to a record that failed for good (retries over, a failure that is not
     * retryable, or a record that cannot be deserialized).
     *
     * @param action default {@link FailureAction#stop()}, the only one exactly-once mode allows
     */
    public Builder<K, V> onFailure(FailureAction action) {
      return set(draft::onFailure, action);
    }

    /**
     * Puts a circuit breaker around the handler: while it is open, partitions are paused and
     * records wait without using an attempt; every call made that fails is an attempt of its
     * record.
     *
     * @param breaker may be shared; not allowed in exactly-once mode
     */
    public Builder<K, V> circuitBreaker(CircuitBreaker breaker) {
      return set(draft::circuitBreaker, breaker);
    }

    /**
     * Puts a new breaker named {@code consumer-handler} around the handler; see {@link
     * #circuitBreaker(CircuitBreaker)}.
     *
     * @param config the configuration
     */
    public Builder<K, V> circuitBreaker(CircuitBreakerConfig config) {
      return circuitBreaker(
          CircuitBreaker.of("consumer-handler", Objects.requireNonNull(config, "config")));
    }

    /**
     * Limits handler calls to one permit per record; without a permit, partitions are paused and
     * calls wait on a timer, never in a thread. Batches are cut to the limit per period.
     *
     * @param limiter may be shared; not allowed in exactly-once mode
     */
    public Builder<K, V> rateLimiter(RateLimiter limiter) {
      return set(draft::rateLimiter, limiter);
    }

    /**
     * Limits handler calls with a new limiter named {@code consumer-handler}; see {@link
     * #rateLimiter(RateLimiter)}.
     *
     * @param config the configuration
     */
    public Builder<K, V> rateLimiter(RateLimiterConfig config) {
      return rateLimiter(
          RateLimiter.of("consumer-handler", Objects.requireNonNull(config, "config")));
    }

    /**
     * Observes every handler call with Micrometer's Observation API, on the thread that runs it:
     * each call of a record handler or an exactly-once transform, and each batch handler call, runs
     * inside a {@code ksdk.process} observation, in scope, whose parent is extracted from the
     * record's headers (a batch's first record), so a tracer continues the producer's trace and the
     * handler's own spans and logs are its children. Every attempt is an observation of its own and
     * a failed one records the error; a dead letter links to its failed call ({@link
     * DeadLetterHeaders#FAILED_CALL_TRACEPARENT}); an exactly-once transform's output is sent
     * inside its call's observation. Names and keys: docs/observability.md.
     *
     * @param registry default none: no observation is created and nothing is allocated for it;
     *     {@code ObservationRegistry.NOOP} counts as none, and a registry without handlers yields
     *     Micrometer's no-op observation per call
     */
    public Builder<K, V> observationRegistry(ObservationRegistry registry) {
      return set(draft::observationRegistry, registry);
    }

    /**
     * Sets the SLF4J MDC entries of {@link HandlerMdc} (topic, partition, offset, group, runner)
     * for exactly each handler call on the thread that runs it, restoring the previous values after
     * it.
     *
     * @param enabled default true
     */
    public Builder<K, V> mdc(boolean enabled) {
      draft.mdc(enabled);
      return this;
    }

    /**
     * Adds each record's key, as {@code String.valueOf(key)}, to the process observation ({@code
     * messaging.kafka.message.key}, high cardinality) and the MDC ({@link HandlerMdc#KEY}). Off by
     * default because keys may be personal data or large.
     *
     * @param include default false
     */
    public Builder<K, V> observeMessageKeys(boolean include) {
      draft.observeMessageKeys(include);
      return this;
    }

    /**
     * Switches to exactly-once consume-transform-produce, in place of {@link #handler handler}:
     * each poll batch of each consumer thread is one transaction of the output and the input
     * offsets. Requires {@link Strategy#threadPerPartition()} and {@code read_committed} (the
     * default); the handler runs on the consumer thread. Thread {@code i} uses {@code
     * transactional.id} {@code <prefix>-<i>-0}, so keep prefix and thread count stable.
     *
     * @param producer the output producer's description; one producer per thread is derived
     * @param transactionalIdPrefix not blank; unique per application, stable across restarts
     * @param handler the transform
     * @param <OK> output key type
     * @param <OV> output value type
     */
    public <OK, OV> Builder<K, V> exactlyOnce(
        ReliableProducer.Builder<OK, OV> producer,
        String transactionalIdPrefix,
        TransformHandler<K, V, OK, OV> handler) {
      draft.exactlyOnce(producer, transactionalIdPrefix, handler);
      return this;
    }

    /**
     * Validates the description and creates a runner; nothing is started or connected.
     *
     * @return a new runner in state {@link State#NEW}
     * @throws SdkConfigException if a setting is missing, out of range or contradicts another
     */
    public ConsumerRunner<K, V> build() {
      return new ConsumerRunner<>(new RunnerLifecycle<>(RunnerConfigResolver.resolve(draft)));
    }
  }
}
