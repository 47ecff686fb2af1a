package dev.kafkasdk.producer;

import dev.kafkasdk.core.SdkConfigException;
import dev.kafkasdk.producer.internal.KafkaProducerFactory;
import dev.kafkasdk.producer.internal.ProducerConfigResolver;
import dev.kafkasdk.producer.internal.ProducerFactory;
import dev.kafkasdk.producer.internal.ProducerMetrics;
import dev.kafkasdk.producer.internal.ProducerSettings;
import dev.kafkasdk.producer.internal.ReplaceableProducer;
import dev.kafkasdk.producer.internal.SendObservations;
import dev.kafkasdk.producer.internal.TransactionOptions;
import dev.kafkasdk.producer.internal.TransactionRunner;
import io.github.resilience4j.circuitbreaker.CircuitBreaker;
import io.micrometer.observation.ObservationRegistry;
import java.time.Duration;
import java.util.Objects;
import java.util.concurrent.atomic.AtomicBoolean;
import org.apache.kafka.common.KafkaException;
import org.apache.kafka.common.serialization.Serializer;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;

/**
 * A transactional Kafka producer with one {@code transactional.id} that runs blocks of sends
 * atomically: {@link #inTransaction(TransactionBody)} begins, runs the body, and commits; aborts on
 * failure; runs the body again on {@link ErrorCategory#ABORTABLE} failures up to a limit; and never
 * aborts after a failed commit or with a fenced producer.
 *
 * <p>Guarantee: the records of one call become visible to {@code read_committed} consumers all
 * together or not at all, together with any consumer offsets added through {@link
 * Transaction#sendOffsets}. A second instance with the same {@code transactional.id} fences this
 * one: its next transaction fails with {@link ErrorCategory#PRODUCER_FATAL}.
 *
 * <p>One transaction runs at a time; concurrent callers wait. For parallel transactions use a
 * {@link TransactionalProducerPool}. The {@code transactional.id} is {@code prefix-0}. The Kafka
 * producer is created by {@code build()} and initialized for transactions (fencing earlier
 * instances with the same id) by the first transaction.
 *
 * <pre>{@code
 * try (TransactionalProducer<String, String> producer =
 *     ReliableProducer.builder(new StringSerializer(), new StringSerializer())
 *         .bootstrapServers("localhost:9092")
 *         .transactional("orders-enricher-1")
 *         .build()) {
 *   ConsumerRecords<String, String> batch = consumer.poll(Duration.ofSeconds(1));
 *   producer.inTransaction(tx -> {
 *     batch.forEach(r -> tx.send(new ProducerRecord<>("enriched", r.key(), enrich(r.value()))));
 *     tx.sendOffsets(nextOffsets(batch), consumer.groupMetadata());
 *   });
 * }
 * }</pre>
 *
 * @param <K> key type
 * @param <V> value type
 */
public final class TransactionalProducer<K, V> implements AutoCloseable {
  private static final Logger log = LoggerFactory.getLogger(TransactionalProducer.class);

  private final ProducerSettings settings;
  private final ReplaceableProducer<K, V> producers;
  private final TransactionRunner<K, V> runner;
  private final Runnable onClose;
  private final AtomicBoolean closed = new AtomicBoolean();

  TransactionalProducer(
      ProducerSettings settings,
      ProducerFactory<K, V> factory,
      ProducerMetrics metrics,
      CircuitBreaker breaker,
      Tracing tracing,
      int suffix,
      Runnable onClose) {
    this.settings = settings;
    String transactionalId = settings.transaction().idPrefix() + "-" + suffix;
    String clientId = settings.clientId() + "-" + suffix;
    this.producers = new ReplaceableProducer<>(factory, transactionalId, clientId, metrics);
    this.runner =
        new TransactionRunner<>(
            producers,
            transactionalId,
            settings.transaction(),
            metrics,
            breaker,
            SendObservations.create(tracing.registry(), clientId, tracing.messageKeys()));
    this.onClose = onClose;
  }

  /**
   * Starts configuring a transactional producer directly; equivalent to {@code
   * ReliableProducer.builder(k, v).transactional(prefix)}.
   *
   * @param keySerializer serializes keys; must be thread-safe; closed when the producer closes
   * @param valueSerializer serializes values; same rules
   * @param transactionalIdPrefix unique per application instance, stable across its restarts
   * @param <K> key type
   * @param <V> value type
   * @return a new builder
   */
  public static <K, V> Builder<K, V> builder(
      Serializer<K> keySerializer, Serializer<V> valueSerializer, String transactionalIdPrefix) {
    return ReliableProducer.builder(keySerializer, valueSerializer)
        .transactional(transactionalIdPrefix);
  }

  /**
   * Runs the body in a transaction and commits it.
   *
   * <ol>
   *   <li>Begins a transaction (initializing the producer first if needed) and runs the body.
   *   <li>If the body or one of its sends fails: a fenced or defunct producer is closed without
   *       abort ({@link ErrorCategory#PRODUCER_FATAL}); otherwise the transaction is aborted. An
   *       {@link ErrorCategory#ABORTABLE} failure runs the body again, up to {@code maxAttempts}.
   *   <li>Otherwise commits. A commit that times out is retried as a commit, up to {@code
   *       commitAttempts}; a commit that fails is never followed by an abort: the producer is
   *       replaced instead.
   * </ol>
   *
   * @param body the sends (and offsets) to make atomic; may run more than once
   * @return the committed records and the number of attempts
   * @throws TransactionFailedException if no attempt committed; its category says why
   * @throws IllegalStateException if this producer is closed, or if called from inside one of its
   *     own transaction bodies
   * @throws RuntimeException whatever the body threw for its own reasons, after the abort
   */
  public TransactionResult inTransaction(TransactionBody<K, V> body) {
    if (closed.get()) {
      throw new IllegalStateException(
          "TransactionalProducer " + runner.transactionalId() + " is closed");
    }
    return runner.run(body);
  }

  /**
   * Returns this producer's {@code transactional.id}.
   *
   * @return the prefix plus the suffix, e.g. {@code orders-enricher-1-0}
   */
  public String transactionalId() {
    return runner.transactionalId();
  }

  void replaceIfOlderThanMaxAge() {
    runner.replaceIfOlderThanMaxAge();
  }

  void startProducer() {
    producers.get();
  }

  /**
   * Closes the producer, waiting up to the configured close timeout. An open transaction is not
   * committed. Idempotent.
   */
  @Override
  public void close() {
    close(settings.closeTimeout());
  }

  /**
   * Closes the producer, waiting up to {@code timeout}. Idempotent.
   *
   * @param timeout how long to wait for pending requests
   */
  public void close(Duration timeout) {
    Objects.requireNonNull(timeout, "timeout");
    if (!closed.compareAndSet(false, true)) {
      return;
    }
    producers.close(timeout);
    onClose.run();
  }

  /** The builder's observation settings, handed to each producer of a pool. */
  record Tracing(ObservationRegistry registry, boolean messageKeys) {}

  /**
   * Configures a {@link TransactionalProducer} or a {@link TransactionalProducerPool}. Obtain it
   * from {@link ReliableProducer.Builder#transactional(String)}.
   *
   * @param <K> key type
   * @param <V> value type
   */
  public static final class Builder<K, V> extends ProducerBuilder<K, V, Builder<K, V>> {
    private final String transactionalIdPrefix;
    private Duration transactionTimeout;
    private int maxAttempts = 3;
    private int commitAttempts = 3;
    private Duration maxAge;
    private Duration leaseTimeout;

    Builder(ProducerBuilder<K, V, ?> from, String transactionalIdPrefix) {
      super(from);
      this.transactionalIdPrefix = transactionalIdPrefix;
    }

    @Override
    Builder<K, V> self() {
      return this;
    }

    /**
     * Sets {@code transaction.timeout.ms}: how long the coordinator lets a transaction stay open
     * before aborting it (and fencing the producer). Must be at least {@code request.timeout.ms}
     * and at most the broker's {@code transaction.max.timeout.ms}. Kafka's default is one minute.
     *
     * @param timeout the timeout
     * @return this builder
     */
    public Builder<K, V> transactionTimeout(Duration timeout) {
      this.transactionTimeout = Objects.requireNonNull(timeout, "timeout");
      return this;
    }

    /**
     * Sets how many times a transaction body may run when attempts fail with {@link
     * ErrorCategory#ABORTABLE}. Default 3; 1 disables re-running.
     *
     * @param maxAttempts at least 1
     * @return this builder
     */
    public Builder<K, V> maxAttempts(int maxAttempts) {
      this.maxAttempts = maxAttempts;
      return this;
    }

    /**
     * Sets how many times {@code commitTransaction()} is tried when it times out (Kafka allows
     * retrying a timed-out commit, and nothing else). Default 3.
     *
     * @param commitAttempts at least 1
     * @return this builder
     */
    public Builder<K, V> commitAttempts(int commitAttempts) {
      this.commitAttempts = commitAttempts;
      return this;
    }

    /**
     * Sets the age after which an underlying producer is replaced before its next transaction.
     * Keeps {@code transactional.id}s from expiring on the broker ({@code
     * transactional.id.expiration.ms}, 7 days by default) and bounds how long one producer lives.
     * Default 24 hours.
     *
     * @param maxAge a positive duration
     * @return this builder
     */
    public Builder<K, V> maxAge(Duration maxAge) {
      this.maxAge = Objects.requireNonNull(maxAge, "maxAge");
      return this;
    }

    /**
     * Sets how long {@link TransactionalProducerPool#inTransaction} waits for a free producer when
     * all are busy. Default 60 seconds. Ignored by a single {@link TransactionalProducer}.
     *
     * @param leaseTimeout a positive duration
     * @return this builder
     */
    public Builder<K, V> leaseTimeout(Duration leaseTimeout) {
      this.leaseTimeout = Objects.requireNonNull(leaseTimeout, "leaseTimeout");
      return this;
    }

    /**
     * Validates the settings and creates the producer ({@code transactional.id} = prefix + {@code
     * -0}).
     *
     * @return the producer; close it when done
     * @throws SdkConfigException if a setting is missing, invalid or contradictory, for example
     *     {@code unsafeAcks(...)} (transactions need idempotence) or a transaction timeout below
     *     {@code request.timeout.ms}; nothing has been started then
     */
    public TransactionalProducer<K, V> build() {
      ProducerSettings settings = resolve();
      ProducerMetrics metrics = new ProducerMetrics(meterRegistry, settings.clientId(), true);
      TransactionalProducer<K, V> producer =
          new TransactionalProducer<>(
              settings,
              factory(settings),
              metrics,
              circuitBreaker,
              new Tracing(observationRegistry, observeMessageKeys),
              0,
              () -> {
                ReliableProducer.closeQuietly(keySerializer);
                ReliableProducer.closeQuietly(valueSerializer);
              });
      try {
        producer.startProducer();
      } catch (KafkaException e) {
        throw ReliableProducer.rejectedByKafka(e);
      }
      log.info(
          "TransactionalProducer {} started: {}", producer.transactionalId(), settings.summary());
      return producer;
    }

    /**
     * Validates the settings and creates a pool of up to {@code size} transactional producers with
     * {@code transactional.id}s prefix-0 to prefix-(size-1). Producers are created on first use.
     *
     * @param size the maximum number of producers, i.e. of concurrent transactions; keep it the
     *     same across restarts so every id gets fenced by its successor
     * @return the pool; close it when done
     * @throws SdkConfigException if a setting is invalid or {@code size} is below 1; nothing has
     *     been started then
     */
    public TransactionalProducerPool<K, V> buildPool(int size) {
      if (size < 1) {
        throw new SdkConfigException("pool size", "is " + size + ", below 1", "give at least 1");
      }
      ProducerSettings settings = resolve();
      ProducerMetrics metrics = new ProducerMetrics(meterRegistry, settings.clientId(), true);
      ProducerFactory<K, V> factory = factory(settings);
      CircuitBreaker breaker = circuitBreaker;
      Tracing tracing = new Tracing(observationRegistry, observeMessageKeys);
      TransactionalProducerPool<K, V> pool =
          new TransactionalProducerPool<>(
              settings,
              size,
              suffix ->
                  new TransactionalProducer<>(
                      settings, factory, metrics, breaker, tracing, suffix, () -> {}),
              () -> {
                ReliableProducer.closeQuietly(keySerializer);
                ReliableProducer.closeQuietly(valueSerializer);
              });
      log.info("TransactionalProducerPool of {} started: {}", size, settings.summary());
      return pool;
    }

    private ProducerSettings resolve() {
      return ProducerConfigResolver.resolve(
          options(
              new TransactionOptions(
                  transactionalIdPrefix,
                  transactionTimeout,
                  maxAttempts,
                  commitAttempts,
                  maxAge,
                  leaseTimeout)));
    }

    private ProducerFactory<K, V> factory(ProducerSettings settings) {
      return new KafkaProducerFactory<>(settings, keySerializer, valueSerializer, meterRegistry);
    }
  }
}
