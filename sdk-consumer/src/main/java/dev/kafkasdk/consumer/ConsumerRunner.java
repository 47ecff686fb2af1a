package dev.kafkasdk.consumer;

import dev.kafkasdk.consumer.internal.ConsumerConfigCheck;
import dev.kafkasdk.consumer.internal.ExactlyOnceSettings;
import dev.kafkasdk.consumer.internal.FailureHandling;
import dev.kafkasdk.consumer.internal.HandlerInvoker;
import dev.kafkasdk.consumer.internal.RunnerEngine;
import dev.kafkasdk.consumer.internal.RunnerSettings;
import dev.kafkasdk.core.SdkConfigException;
import dev.kafkasdk.producer.ReliableProducer;
import io.github.resilience4j.circuitbreaker.CircuitBreaker;
import io.github.resilience4j.circuitbreaker.CircuitBreakerConfig;
import io.github.resilience4j.ratelimiter.RateLimiter;
import io.github.resilience4j.ratelimiter.RateLimiterConfig;
import io.micrometer.core.instrument.MeterRegistry;
import io.micrometer.core.instrument.Metrics;
import java.time.Duration;
import java.util.ArrayList;
import java.util.Arrays;
import java.util.Collection;
import java.util.HashMap;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Locale;
import java.util.Map;
import java.util.Objects;
import java.util.Optional;
import java.util.Set;
import java.util.concurrent.CountDownLatch;
import java.util.concurrent.TimeUnit;
import java.util.regex.Pattern;
import org.apache.kafka.clients.consumer.ConsumerConfig;
import org.apache.kafka.clients.consumer.CooperativeStickyAssignor;
import org.apache.kafka.clients.consumer.KafkaConsumer;
import org.apache.kafka.common.TopicPartition;
import org.apache.kafka.common.config.ConfigException;
import org.apache.kafka.common.serialization.ByteArrayDeserializer;
import org.apache.kafka.common.serialization.Deserializer;
import org.apache.kafka.common.serialization.StringDeserializer;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;

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
  private static final Logger log = LoggerFactory.getLogger(ConsumerRunner.class);
  private static final Duration CLOSE_GRACE = Duration.ofSeconds(5);

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

  private final RunnerSettings<K, V> settings;
  private final Object lock = new Object();
  private final CountDownLatch terminated = new CountDownLatch(1);
  private volatile State state = State.NEW;
  private volatile Throwable failure;
  private volatile RunnerEngine<K, V> engine;

  private ConsumerRunner(RunnerSettings<K, V> settings) {
    this.settings = settings;
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
    synchronized (lock) {
      switch (state) {
        case NEW -> {}
        case RUNNING, STOPPING ->
            throw new IllegalStateException(
                "runner '" + name() + "' is already started (state " + state + ")");
        case STOPPED, FAILED ->
            throw new IllegalStateException(
                "runner '"
                    + name()
                    + "' is closed (state "
                    + state
                    + "); a runner cannot be restarted, build a new one");
      }
      RunnerEngine<K, V> created =
          new RunnerEngine<>(
              settings,
              config ->
                  new KafkaConsumer<>(
                      config, new ByteArrayDeserializer(), new ByteArrayDeserializer()),
              new EngineListener());
      try {
        created.start();
      } catch (RuntimeException e) {
        failure = e;
        state = State.FAILED;
        terminated.countDown();
        throw e;
      }
      engine = created;
      state = State.RUNNING;
    }
  }

  /**
   * Stops the runner and waits up to the builder's {@linkplain Builder#closeTimeout(Duration) close
   * timeout} (default 30 s). See {@link #close(Duration)}.
   */
  @Override
  public void close() {
    close(settings.closeTimeout());
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
    Objects.requireNonNull(timeout, "timeout");
    synchronized (lock) {
      switch (state) {
        case NEW -> {
          state = State.STOPPED;
          terminated.countDown();
          return;
        }
        case RUNNING -> {
          state = State.STOPPING;
          engine.requestStop(timeout);
        }
        case STOPPING -> engine.requestStop(timeout);
        case STOPPED, FAILED -> {
          return;
        }
      }
    }
    if (engine.isRunnerThread()) {
      return;
    }
    try {
      if (!awaitTermination(timeout.plus(CLOSE_GRACE))) {
        log.warn("runner {} has not stopped within {}", name(), timeout);
      }
    } catch (InterruptedException e) {
      Thread.currentThread().interrupt();
    }
  }

  /**
   * Waits until the runner has stopped, by {@link #close()} or by a failure.
   *
   * @param timeout how long to wait
   * @return true if it has stopped (state {@link State#STOPPED} or {@link State#FAILED})
   * @throws InterruptedException if the waiting thread is interrupted
   */
  public boolean awaitTermination(Duration timeout) throws InterruptedException {
    return terminated.await(timeout.toNanos(), TimeUnit.NANOSECONDS);
  }

  /**
   * Returns where the runner is in its life.
   *
   * @return the state
   */
  public State state() {
    return state;
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
    return Optional.ofNullable(failure);
  }

  /**
   * Returns the partitions currently assigned to this runner's consumers.
   *
   * @return an immutable snapshot; empty before the first assignment and after stopping
   */
  public Set<TopicPartition> assignment() {
    RunnerEngine<K, V> current = engine;
    return current == null ? Set.of() : current.assignment();
  }

  /**
   * Returns the runner's name (tag {@code runner} on its meters, prefix of its client ids). If
   * another running runner in this JVM already uses the configured name, {@link #start()} numbers
   * it ({@code name-2}, ...) so the two never share meters.
   *
   * @return the name
   */
  public String name() {
    RunnerEngine<K, V> current = engine;
    return current == null ? settings.name() : current.name();
  }

  /** Each consumer's assignment, in consumer order; for tests of thread-per-partition. */
  List<Set<TopicPartition>> assignmentsByConsumer() {
    RunnerEngine<K, V> current = engine;
    return current == null ? List.of() : current.assignmentsByConsumer();
  }

  /** An upper bound of the most records ever in flight at once; for tests of the bound. */
  int highWaterInFlight() {
    RunnerEngine<K, V> current = engine;
    return current == null ? 0 : current.highWaterInFlight();
  }

  @Override
  public String toString() {
    return "ConsumerRunner[" + name() + ", " + state + "]";
  }

  private final class EngineListener implements RunnerEngine.Listener {
    @Override
    public void failed(Throwable error) {
      synchronized (lock) {
        if (failure == null) {
          failure = error;
        }
        if (state == State.RUNNING || state == State.NEW) {
          state = State.STOPPING;
        }
      }
    }

    @Override
    public void terminated() {
      synchronized (lock) {
        state = failure == null ? State.STOPPED : State.FAILED;
      }
      terminated.countDown();
      if (failure == null) {
        log.info("runner {} stopped", name());
      } else {
        log.error("runner {} failed: {}", name(), failure.toString());
      }
    }
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
    private static final int DEFAULT_MAX_IN_FLIGHT = 5000;
    private static final int DEFAULT_MAX_IN_FLIGHT_PER_PARTITION = 1000;
    private static final int DEFAULT_MAX_BATCH_SIZE = 100;
    private static final Duration DEFAULT_REVOCATION_TIMEOUT = Duration.ofSeconds(30);
    private static final long DEFAULT_MAX_POLL_INTERVAL_MS = 300_000;

    private final Deserializer<K> keys;
    private final Deserializer<V> values;
    private final Map<String, Object> properties = new LinkedHashMap<>();
    private final List<String> topics = new ArrayList<>();
    private Pattern pattern;
    private String bootstrapServers;
    private String groupId;
    private String name;
    private RecordHandler<K, V> recordHandler;
    private BatchHandler<K, V> batchHandler;
    private int maxBatchSize = DEFAULT_MAX_BATCH_SIZE;
    private Strategy strategy =
        Strategy.multiWorker(Runtime.getRuntime().availableProcessors(), Ordering.PARTITION);
    private Integer maxInFlight;
    private Integer maxInFlightPerPartition;
    private Duration commitInterval = Duration.ofSeconds(1);
    private Duration closeTimeout = Duration.ofSeconds(30);
    private Duration revocationTimeout;
    private Duration slowHandlerThreshold = Duration.ofSeconds(30);
    private Duration pollTimeout = Duration.ofMillis(100);
    private MeterRegistry registry = Metrics.globalRegistry;
    private RetryPolicy retry;
    private FailureAction failureAction = FailureAction.stop();
    private CircuitBreaker circuitBreaker;
    private RateLimiter rateLimiter;
    private ExactlyOnceSettings<K, V, ?, ?> exactlyOnce;

    private Builder(Deserializer<K> keys, Deserializer<V> values) {
      this.keys = keys;
      this.values = values;
    }

    /**
     * Sets {@code bootstrap.servers}.
     *
     * @param bootstrapServers comma-separated host:port list
     * @return this builder
     */
    public Builder<K, V> bootstrapServers(String bootstrapServers) {
      this.bootstrapServers = Objects.requireNonNull(bootstrapServers, "bootstrapServers");
      return this;
    }

    /**
     * Sets the consumer group ({@code group.id}). Required.
     *
     * @param groupId the group id
     * @return this builder
     */
    public Builder<K, V> groupId(String groupId) {
      this.groupId = Objects.requireNonNull(groupId, "groupId");
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
      this.topics.clear();
      for (String topic : topics) {
        this.topics.add(Objects.requireNonNull(topic, "topic"));
      }
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
      this.pattern = Objects.requireNonNull(pattern, "pattern");
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
      properties.put(Objects.requireNonNull(key, "key"), Objects.requireNonNull(value, "value"));
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
      this.recordHandler = Objects.requireNonNull(handler, "handler");
      return this;
    }

    /**
     * Sets a handler that processes batches; see {@link BatchHandler} for what a batch holds.
     *
     * @param handler the handler
     * @return this builder
     */
    public Builder<K, V> batchHandler(BatchHandler<K, V> handler) {
      this.batchHandler = Objects.requireNonNull(handler, "handler");
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
      this.maxBatchSize = maxBatchSize;
      return this;
    }

    /**
     * Chooses how records are spread over threads.
     *
     * @param strategy the strategy; default {@code multiWorker(availableProcessors, PARTITION)}
     * @return this builder
     */
    public Builder<K, V> strategy(Strategy strategy) {
      this.strategy = Objects.requireNonNull(strategy, "strategy");
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
      this.maxInFlight = maxInFlight;
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
      this.maxInFlightPerPartition = maxInFlightPerPartition;
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
      this.commitInterval = Objects.requireNonNull(commitInterval, "commitInterval");
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
      this.closeTimeout = Objects.requireNonNull(closeTimeout, "closeTimeout");
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
      this.revocationTimeout = Objects.requireNonNull(revocationTimeout, "revocationTimeout");
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
      this.slowHandlerThreshold =
          Objects.requireNonNull(slowHandlerThreshold, "slowHandlerThreshold");
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
      this.pollTimeout = Objects.requireNonNull(pollTimeout, "pollTimeout");
      return this;
    }

    /**
     * Sets where meters go (see {@link ConsumerMeters}).
     *
     * @param registry the registry; default Micrometer's global registry
     * @return this builder
     */
    public Builder<K, V> meterRegistry(MeterRegistry registry) {
      this.registry = Objects.requireNonNull(registry, "registry");
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
      this.name = Objects.requireNonNull(name, "name");
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
      this.retry = Objects.requireNonNull(retry, "retry");
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
      this.failureAction = Objects.requireNonNull(action, "action");
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
      this.circuitBreaker = Objects.requireNonNull(breaker, "breaker");
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
      Objects.requireNonNull(config, "config");
      this.circuitBreaker = CircuitBreaker.of("consumer-handler", config);
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
      this.rateLimiter = Objects.requireNonNull(limiter, "limiter");
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
      Objects.requireNonNull(config, "config");
      this.rateLimiter = RateLimiter.of("consumer-handler", config);
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
      this.exactlyOnce =
          new ExactlyOnceSettings<>(
              Objects.requireNonNull(producer, "producer"),
              Objects.requireNonNull(transactionalIdPrefix, "transactionalIdPrefix"),
              Objects.requireNonNull(handler, "handler"),
              0);
      return this;
    }

    /**
     * Validates the description and creates a runner. Nothing is started or connected.
     *
     * @return a new runner in state {@link State#NEW}
     * @throws SdkConfigException if a setting is missing, invalid or contradicts another
     */
    public ConsumerRunner<K, V> build() {
      requireSubscription();
      requireOneHandler();
      Map<String, Object> config = consumerConfig();
      Optional<ExactlyOnceSettings<K, V, ?, ?>> transactional = exactlyOnce(config);
      int total = maxInFlight == null ? DEFAULT_MAX_IN_FLIGHT : maxInFlight;
      if (total < 1) {
        throw new SdkConfigException(
            "maxInFlight", "must be at least 1, was " + total, "use a positive limit");
      }
      int perPartition =
          maxInFlightPerPartition == null
              ? Math.min(DEFAULT_MAX_IN_FLIGHT_PER_PARTITION, total)
              : maxInFlightPerPartition;
      if (perPartition < 1 || perPartition > total) {
        throw new SdkConfigException(
            "maxInFlightPerPartition",
            "must be between 1 and maxInFlight (" + total + "), was " + perPartition,
            "use a value in that range");
      }
      Optional<Integer> maxPollRecords = maxPollRecords(config, perPartition);
      if (maxBatchSize < 1) {
        throw new SdkConfigException(
            "maxBatchSize", "must be at least 1, was " + maxBatchSize, "use a positive size");
      }
      requirePositive("commitInterval", commitInterval);
      requirePositive("closeTimeout", closeTimeout);
      requirePositive("slowHandlerThreshold", slowHandlerThreshold);
      requirePositive("pollTimeout", pollTimeout);
      Duration revocation = revocationTimeout(config);

      String runnerName = name != null ? name : (String) config.get(ConsumerConfig.GROUP_ID_CONFIG);
      if (runnerName.isBlank()) {
        throw new SdkConfigException("name", "is blank", "use a non-blank name");
      }
      Optional<String> clientId =
          Optional.ofNullable(config.remove(ConsumerConfig.CLIENT_ID_CONFIG)).map(String::valueOf);
      checkWithKafka(config, clientId.orElse(runnerName), maxPollRecords);

      HandlerInvoker<K, V> invoker =
          recordHandler != null
              ? HandlerInvoker.of(recordHandler)
              : batchHandler != null
                  ? HandlerInvoker.ofBatch(batchHandler)
                  : HandlerInvoker.<K, V>ofBatch(
                      records -> {
                        throw new IllegalStateException("exactly-once mode has no record handler");
                      });
      RetryPolicy retryPolicy = retry != null ? retry : RetryPolicy.none();
      return new ConsumerRunner<>(
          new RunnerSettings<>(
              runnerName,
              topics,
              Optional.ofNullable(pattern),
              config,
              clientId,
              keys,
              values,
              invoker,
              new FailureHandling(
                  retryPolicy,
                  failureAction,
                  Optional.ofNullable(circuitBreaker),
                  Optional.ofNullable(rateLimiter)),
              transactional,
              batchHandler == null ? 1 : maxBatchSize,
              strategy,
              total,
              perPartition,
              maxPollRecords,
              commitInterval,
              closeTimeout,
              revocation,
              slowHandlerThreshold,
              pollTimeout,
              registry));
    }

    private void requireSubscription() {
      if (topics.isEmpty() == (pattern == null)) {
        throw new SdkConfigException(
            "topics",
            topics.isEmpty()
                ? "no topics and no topic pattern given"
                : "both topics and a topic pattern given",
            "call exactly one of topics(...) or topicPattern(...)");
      }
      for (String topic : topics) {
        if (topic.isBlank()) {
          throw new SdkConfigException("topics", "a topic name is blank", "remove it");
        }
      }
    }

    private void requireOneHandler() {
      int handlers =
          (recordHandler == null ? 0 : 1)
              + (batchHandler == null ? 0 : 1)
              + (exactlyOnce == null ? 0 : 1);
      if (handlers != 1) {
        throw new SdkConfigException(
            "handler",
            handlers == 0 ? "no handler given" : "more than one handler given",
            "call exactly one of handler(...), batchHandler(...) or exactlyOnce(...)");
      }
    }

    /** Checks what exactly-once mode needs; it reads with read_committed. */
    private Optional<ExactlyOnceSettings<K, V, ?, ?>> exactlyOnce(Map<String, Object> config) {
      if (exactlyOnce == null) {
        return Optional.empty();
      }
      if (!(strategy instanceof Strategy.ThreadPerPartition)) {
        throw new SdkConfigException(
            "strategy",
            "exactly-once mode supports only thread-per-partition: with a worker pool, records of"
                + " one poll finish at different times and one transaction per batch would wait"
                + " for the slowest worker",
            "use strategy(Strategy.threadPerPartition())");
      }
      Object isolation = config.get(ConsumerConfig.ISOLATION_LEVEL_CONFIG);
      if (!"read_committed".equalsIgnoreCase(String.valueOf(isolation).trim())) {
        throw new SdkConfigException(
            ConsumerConfig.ISOLATION_LEVEL_CONFIG,
            "exactly-once mode must not read uncommitted (possibly aborted) input",
            "remove the property; the runner uses read_committed");
      }
      if (failureAction.kind() != FailureAction.Kind.STOP) {
        throw new SdkConfigException(
            "onFailure",
            failureAction + " is not supported in exactly-once mode",
            "remove onFailure(...): a failed batch is aborted, rewound and retried, and the"
                + " runner stops when retries are over");
      }
      if (circuitBreaker != null || rateLimiter != null) {
        throw new SdkConfigException(
            circuitBreaker != null ? "circuitBreaker" : "rateLimiter",
            "not supported in exactly-once mode",
            "remove it");
      }
      if (exactlyOnce.transactionalIdPrefix().isBlank()) {
        throw new SdkConfigException(
            "exactlyOnce.transactionalIdPrefix", "is blank", "use a stable, unique prefix");
      }
      int attempts = retry != null ? retry.maxAttempts() : 3;
      return Optional.of(withAttempts(exactlyOnce, attempts));
    }

    private static <K, V, OK, OV> ExactlyOnceSettings<K, V, OK, OV> withAttempts(
        ExactlyOnceSettings<K, V, OK, OV> settings, int attempts) {
      return new ExactlyOnceSettings<>(
          settings.producer(), settings.transactionalIdPrefix(), settings.handler(), attempts);
    }

    /** The application's properties plus the runner's mandatory settings and safe defaults. */
    private Map<String, Object> consumerConfig() {
      Map<String, Object> config = new HashMap<>(properties);
      String bootstrap =
          bootstrapServers != null
              ? bootstrapServers
              : stringOrNull(config.get(ConsumerConfig.BOOTSTRAP_SERVERS_CONFIG));
      if (bootstrap == null || bootstrap.isBlank()) {
        throw new SdkConfigException(
            ConsumerConfig.BOOTSTRAP_SERVERS_CONFIG,
            "missing",
            "call bootstrapServers(\"host:port\")");
      }
      config.put(ConsumerConfig.BOOTSTRAP_SERVERS_CONFIG, bootstrap);
      String group =
          groupId != null ? groupId : stringOrNull(config.get(ConsumerConfig.GROUP_ID_CONFIG));
      if (group == null || group.isBlank()) {
        throw new SdkConfigException(
            ConsumerConfig.GROUP_ID_CONFIG,
            "missing: the runner commits offsets for a consumer group",
            "call groupId(\"my-service\")");
      }
      config.put(ConsumerConfig.GROUP_ID_CONFIG, group);
      Object autoCommit = config.get(ConsumerConfig.ENABLE_AUTO_COMMIT_CONFIG);
      if (autoCommit != null && String.valueOf(autoCommit).trim().equalsIgnoreCase("true")) {
        throw new SdkConfigException(
            ConsumerConfig.ENABLE_AUTO_COMMIT_CONFIG,
            "auto-commit would commit offsets of records that are still being processed, losing"
                + " them on a crash or rebalance",
            "remove the property; the runner commits offsets after processing");
      }
      config.put(ConsumerConfig.ENABLE_AUTO_COMMIT_CONFIG, false);
      config.putIfAbsent(ConsumerConfig.AUTO_OFFSET_RESET_CONFIG, "earliest");
      config.putIfAbsent(ConsumerConfig.ISOLATION_LEVEL_CONFIG, "read_committed");
      String protocol =
          String.valueOf(config.getOrDefault(ConsumerConfig.GROUP_PROTOCOL_CONFIG, "classic"))
              .trim()
              .toLowerCase(Locale.ROOT);
      if (protocol.equals("classic")) {
        // With KIP-848 (group.protocol=consumer) the broker assigns, and a client assignor is an
        // error.
        config.putIfAbsent(
            ConsumerConfig.PARTITION_ASSIGNMENT_STRATEGY_CONFIG,
            CooperativeStickyAssignor.class.getName());
      }
      return config;
    }

    /** Takes an explicit max.poll.records out of the config; the runner sets it per consumer. */
    private static Optional<Integer> maxPollRecords(Map<String, Object> config, int perPartition) {
      Object explicit = config.remove(ConsumerConfig.MAX_POLL_RECORDS_CONFIG);
      if (explicit == null) {
        return Optional.empty();
      }
      int value = parseInt(ConsumerConfig.MAX_POLL_RECORDS_CONFIG, explicit);
      if (value < 1 || value > perPartition) {
        throw new SdkConfigException(
            ConsumerConfig.MAX_POLL_RECORDS_CONFIG,
            value
                + " does not fit the per-partition in-flight limit "
                + perPartition
                + ": one poll could exceed it",
            "remove max.poll.records (the runner sizes it) or raise maxInFlightPerPartition");
      }
      return Optional.of(value);
    }

    private Duration revocationTimeout(Map<String, Object> config) {
      long maxPollIntervalMs =
          config.containsKey(ConsumerConfig.MAX_POLL_INTERVAL_MS_CONFIG)
              ? parseInt(
                  ConsumerConfig.MAX_POLL_INTERVAL_MS_CONFIG,
                  config.get(ConsumerConfig.MAX_POLL_INTERVAL_MS_CONFIG))
              : DEFAULT_MAX_POLL_INTERVAL_MS;
      Duration revocation = revocationTimeout;
      if (revocation == null) {
        Duration half = Duration.ofMillis(Math.max(1, maxPollIntervalMs / 2));
        revocation =
            half.compareTo(DEFAULT_REVOCATION_TIMEOUT) < 0 ? half : DEFAULT_REVOCATION_TIMEOUT;
      }
      requirePositive("revocationTimeout", revocation);
      if (revocation.toMillis() >= maxPollIntervalMs) {
        throw new SdkConfigException(
            "revocationTimeout",
            revocation.toMillis()
                + " ms is not below max.poll.interval.ms ("
                + maxPollIntervalMs
                + " ms); the member would be removed while waiting inside a rebalance",
            "lower revocationTimeout or raise max.poll.interval.ms");
      }
      return revocation;
    }

    /** Lets Kafka parse the final configuration, so what it would reject fails here. */
    private void checkWithKafka(
        Map<String, Object> config, String clientIdPrefix, Optional<Integer> maxPollRecords) {
      Map<String, Object> check = new HashMap<>(config);
      check.put(ConsumerConfig.CLIENT_ID_CONFIG, clientIdPrefix + "-0");
      check.put(ConsumerConfig.MAX_POLL_RECORDS_CONFIG, maxPollRecords.orElse(1));
      try {
        ConsumerConfigCheck.validate(
            ConsumerConfig.appendDeserializerToConfig(check, keys, values));
      } catch (ConfigException e) {
        throw new SdkConfigException(
            "consumer properties",
            e.getMessage(),
            "correct or remove the property named in the message");
      }
    }

    private static String stringOrNull(Object value) {
      return value == null ? null : String.valueOf(value);
    }

    private static int parseInt(String setting, Object value) {
      try {
        return value instanceof Number number
            ? number.intValue()
            : Integer.parseInt(String.valueOf(value).trim());
      } catch (NumberFormatException e) {
        throw new SdkConfigException(
            setting, "'" + value + "' is not an integer", "use an integer value");
      }
    }

    private static void requirePositive(String setting, Duration value) {
      if (value.isNegative() || value.isZero()) {
        throw new SdkConfigException(
            setting, "must be positive, was " + value, "use a positive duration");
      }
    }
  }
}
