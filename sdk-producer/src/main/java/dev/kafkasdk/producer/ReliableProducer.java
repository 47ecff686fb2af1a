package dev.kafkasdk.producer;

import dev.kafkasdk.core.SdkConfigException;
import dev.kafkasdk.core.internal.SecretRedaction;
import dev.kafkasdk.producer.internal.InSyncReplicaCheck;
import dev.kafkasdk.producer.internal.KafkaProducerFactory;
import dev.kafkasdk.producer.internal.ProducerConfigResolver;
import dev.kafkasdk.producer.internal.ProducerMetrics;
import dev.kafkasdk.producer.internal.ProducerSettings;
import dev.kafkasdk.producer.internal.RecordSender;
import dev.kafkasdk.producer.internal.ReplaceableProducer;
import dev.kafkasdk.producer.internal.SendObservations;
import java.time.Duration;
import java.util.Map;
import java.util.Objects;
import java.util.concurrent.CompletableFuture;
import java.util.concurrent.ExecutionException;
import java.util.concurrent.TimeUnit;
import java.util.concurrent.TimeoutException;
import java.util.concurrent.atomic.AtomicBoolean;
import org.apache.kafka.clients.producer.Callback;
import org.apache.kafka.clients.producer.ProducerRecord;
import org.apache.kafka.clients.producer.RecordMetadata;
import org.apache.kafka.common.KafkaException;
import org.apache.kafka.common.config.ConfigException;
import org.apache.kafka.common.serialization.Serializer;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;

/**
 * A Kafka producer that is idempotent unless explicitly told otherwise, and that reports every
 * failure with an {@link ErrorCategory}.
 *
 * <p>Guarantee of the default (idempotent) preset: {@code enable.idempotence=true} is set
 * explicitly, with {@code acks=all}, unbounded retries within {@code delivery.timeout.ms} and at
 * most 5 in-flight requests per connection. Within the life of one underlying producer, each
 * acknowledged record is stored exactly once and in send order per partition, even when Kafka
 * retries after a broker failure. Durability of an acknowledged record additionally depends on the
 * topic: replication factor 3 with {@code min.insync.replicas=2} survives the loss of one broker.
 *
 * <p>After a producer-fatal error the SDK closes the underlying producer and the next send creates
 * a fresh one (records pending in the old one fail with {@link ErrorCategory#PRODUCER_FATAL}; a
 * record re-sent by the application may then be stored twice). Thread-safe: share one instance.
 *
 * <pre>{@code
 * try (ReliableProducer<String, String> producer =
 *     ReliableProducer.builder(new StringSerializer(), new StringSerializer())
 *         .bootstrapServers("localhost:9092")
 *         .clientId("orders")
 *         .build()) {
 *   producer.send(new ProducerRecord<>("orders", "order-1", "created"))
 *       .whenComplete((metadata, error) -> { ... });
 *   RecordMetadata m = producer.sendAndWait(
 *       new ProducerRecord<>("orders", "order-2", "created"), Duration.ofSeconds(30));
 * }
 * }</pre>
 *
 * @param <K> key type
 * @param <V> value type
 */
public final class ReliableProducer<K, V> implements AutoCloseable {
  private static final Logger log = LoggerFactory.getLogger(ReliableProducer.class);

  private final ProducerSettings settings;
  private final ReplaceableProducer<K, V> producers;
  private final RecordSender<K, V> sender;
  private final Serializer<K> keySerializer;
  private final Serializer<V> valueSerializer;
  private final AtomicBoolean closed = new AtomicBoolean();

  private ReliableProducer(
      ProducerSettings settings,
      ReplaceableProducer<K, V> producers,
      RecordSender<K, V> sender,
      Serializer<K> keySerializer,
      Serializer<V> valueSerializer) {
    this.settings = settings;
    this.producers = producers;
    this.sender = sender;
    this.keySerializer = keySerializer;
    this.valueSerializer = valueSerializer;
  }

  /**
   * Starts configuring a producer with the idempotent preset.
   *
   * <pre>{@code
   * ReliableProducer<String, byte[]> producer =
   *     ReliableProducer.builder(new StringSerializer(), new ByteArraySerializer())
   *         .bootstrapServers("kafka1:9092,kafka2:9092")
   *         .meterRegistry(registry)
   *         .build();
   * }</pre>
   *
   * @param keySerializer serializes keys; must be thread-safe; closed when the producer closes
   * @param valueSerializer serializes values; same rules
   * @param <K> key type
   * @param <V> value type
   * @return a new builder
   * @throws NullPointerException if a serializer is null
   */
  public static <K, V> Builder<K, V> builder(
      Serializer<K> keySerializer, Serializer<V> valueSerializer) {
    return new Builder<>(keySerializer, valueSerializer);
  }

  /**
   * Sends a record asynchronously. May block up to {@code max.block.ms} while Kafka fetches
   * metadata or waits for buffer space.
   *
   * @param record the record, headers and explicit partition included
   * @return completes with the record's metadata once acknowledged (per {@code acks}), or
   *     exceptionally with a {@link ProducerSendException} carrying the {@link ErrorCategory}
   * @throws IllegalStateException if this producer is closed
   * @throws NullPointerException if {@code record} is null
   */
  public CompletableFuture<RecordMetadata> send(ProducerRecord<K, V> record) {
    Objects.requireNonNull(record, "record");
    requireOpen();
    return sender.send(record);
  }

  /**
   * Sends a record asynchronously and reports its outcome to a callback instead of a future, as
   * {@code KafkaProducer.send(record, callback)} does. For high-rate senders that track outcomes in
   * aggregate (a shared callback that counts failures, say): no future is created or completed per
   * record, which on the 2-vCPU benchmark machine was worth about 0.12-0.16 of the raw producer's
   * rate (see {@code docs/benchmarks.md}). Failures are classified exactly as for {@link
   * #send(ProducerRecord)}, with the same meters, circuit breaker and producer replacement.
   *
   * <p>While no meter registry records (the default global registry with nothing added to it), no
   * circuit breaker is set and tracing is off, sends that share a callback allocate nothing of the
   * SDK's: the send timer has nothing to time them for. A registry added to the global registry
   * later is seen within 1,024 sends and times the sends made from then on.
   *
   * <pre>{@code
   * LongAdder failed = new LongAdder();
   * Callback countFailures = (metadata, error) -> { if (error != null) failed.increment(); };
   * for (Order order : orders) {
   *   producer.send(new ProducerRecord<>("orders", order.id(), order.json()), countFailures);
   * }
   * producer.flush(); // every callback has run once flush returns
   * }</pre>
   *
   * <p>The callback runs once per record: on the producer's I/O thread (keep it short and never
   * block in it; an exception it throws there is logged by Kafka), or on the calling thread, before
   * this method returns, when the send fails before reaching Kafka (an open circuit breaker, a
   * serialization error). On success it gets the metadata and a null exception; on failure a {@link
   * ProducerSendException} carrying the {@link ErrorCategory}, with metadata that names the topic
   * and partition (offset -1), as Kafka's own callback does.
   *
   * @param record the record, headers and explicit partition included
   * @param callback gets the outcome; may be shared by many sends
   * @throws IllegalStateException if this producer is closed
   * @throws NullPointerException if {@code record} or {@code callback} is null
   */
  public void send(ProducerRecord<K, V> record, Callback callback) {
    Objects.requireNonNull(record, "record");
    Objects.requireNonNull(callback, "callback");
    requireOpen();
    sender.send(record, callback);
  }

  /**
   * Sends a record without headers or explicit partition; see {@link #send(ProducerRecord)}.
   *
   * @param topic the topic
   * @param key the key (decides the partition), may be null
   * @param value the value, may be null
   * @return the record's metadata, as for {@link #send(ProducerRecord)}
   * @throws IllegalStateException if this producer is closed
   */
  public CompletableFuture<RecordMetadata> send(String topic, K key, V value) {
    return send(new ProducerRecord<>(topic, key, value));
  }

  /**
   * Sends a record and waits for its acknowledgement.
   *
   * @param record the record
   * @param timeout how long to wait for the acknowledgement
   * @return the record's metadata
   * @throws ProducerSendException if the send failed; or with category {@link
   *     ErrorCategory#RETRIABLE} if no acknowledgement arrived within the timeout (the record may
   *     still be stored later) or the thread was interrupted (the interrupt flag is kept)
   * @throws IllegalStateException if this producer is closed
   */
  public RecordMetadata sendAndWait(ProducerRecord<K, V> record, Duration timeout) {
    Objects.requireNonNull(timeout, "timeout");
    CompletableFuture<RecordMetadata> result = send(record);
    try {
      return result.get(timeout.toMillis(), TimeUnit.MILLISECONDS);
    } catch (ExecutionException e) {
      if (e.getCause() instanceof ProducerSendException failure) {
        throw failure;
      }
      throw new ProducerSendException(
          record.topic(), -1, ErrorCategory.of(e.getCause()), String.valueOf(e.getCause()), e);
    } catch (TimeoutException e) {
      throw new ProducerSendException(
          record.topic(),
          -1,
          ErrorCategory.RETRIABLE,
          "No acknowledgement for a record to "
              + record.topic()
              + " within "
              + timeout
              + "; it may still be stored",
          e);
    } catch (InterruptedException e) {
      Thread.currentThread().interrupt();
      throw new ProducerSendException(
          record.topic(),
          -1,
          ErrorCategory.RETRIABLE,
          "Interrupted while waiting for the acknowledgement of a record to "
              + record.topic()
              + "; it may still be stored",
          e);
    }
  }

  /**
   * Blocks until every record sent so far has completed (acknowledged or failed).
   *
   * @throws IllegalStateException if this producer is closed
   * @throws org.apache.kafka.common.errors.InterruptException if interrupted
   */
  public void flush() {
    requireOpen();
    var current = producers.peek();
    if (current != null) {
      current.producer().flush();
    }
  }

  /**
   * Returns the configured {@code client.id}.
   *
   * @return the client id
   */
  public String clientId() {
    return settings.clientId();
  }

  /**
   * Tells whether {@link #close()} has been called; a closed producer refuses every send. For
   * health checks (the Spring Boot starter reports a closed producer as down).
   *
   * @return true once closing has begun
   */
  public boolean isClosed() {
    return closed.get();
  }

  /**
   * Closes the producer, waiting up to the configured close timeout (default 30 s) for pending
   * sends; sends still pending then fail. Idempotent; later sends throw {@link
   * IllegalStateException}.
   */
  @Override
  public void close() {
    close(settings.closeTimeout());
  }

  /**
   * Closes the producer, waiting up to {@code timeout} for pending sends. Idempotent.
   *
   * @param timeout how long to wait; {@link Duration#ZERO} abandons pending sends
   */
  public void close(Duration timeout) {
    Objects.requireNonNull(timeout, "timeout");
    if (!closed.compareAndSet(false, true)) {
      return;
    }
    producers.close(timeout);
    sender.close();
    closeQuietly(keySerializer);
    closeQuietly(valueSerializer);
    log.info("ReliableProducer {} closed", settings.clientId());
  }

  private void requireOpen() {
    if (closed.get()) {
      throw new IllegalStateException(
          "ReliableProducer " + settings.clientId() + " is closed; build a new one to send");
    }
  }

  static void closeQuietly(Serializer<?> serializer) {
    try {
      serializer.close();
    } catch (RuntimeException e) {
      log.warn("Closing serializer {} failed", serializer.getClass().getName(), e);
    }
  }

  static SdkConfigException rejectedByKafka(KafkaException e, Map<String, Object> config) {
    for (Throwable t = e; t != null; t = t.getCause()) {
      if (t instanceof ConfigException configError) {
        return ProducerConfigResolver.toSdkConfigException(configError, config);
      }
    }
    SdkConfigException sdk =
        new SdkConfigException(
            "producer configuration",
            "Kafka could not create the producer: " + SecretRedaction.scrub(e.getMessage(), config),
            "check bootstrap.servers and the pass-through properties");
    if (!SecretRedaction.quotesSecret(e, config)) {
      sdk.initCause(e);
    }
    return sdk;
  }

  /**
   * Configures a {@link ReliableProducer}. The idempotent preset is the default; {@link
   * #transactional(String)} switches to the transactional preset and {@link #unsafeAcks(Acks)}
   * explicitly to a weaker one.
   *
   * @param <K> key type
   * @param <V> value type
   */
  public static final class Builder<K, V> extends ProducerBuilder<K, V, Builder<K, V>> {

    Builder(Serializer<K> keySerializer, Serializer<V> valueSerializer) {
      super(keySerializer, valueSerializer);
    }

    @Override
    Builder<K, V> self() {
      return this;
    }

    /**
     * Gives up idempotence for {@code acks=1} or {@code acks=0}, knowingly. {@code build()} logs a
     * WARN saying what can be lost: with {@code acks=1} a record acknowledged by the leader is lost
     * if the leader fails before a follower copies it, and retries can duplicate or reorder
     * records; with {@code acks=0} any failure loses records silently and retries are meaningless.
     * Cannot be combined with {@link #transactional(String)}.
     *
     * @param acks {@link Acks#ONE} or {@link Acks#ZERO}
     * @return this builder
     */
    public Builder<K, V> unsafeAcks(Acks acks) {
      this.unsafeAcks = Objects.requireNonNull(acks, "acks");
      return this;
    }

    /**
     * Switches to the transactional preset: idempotence forced on, {@code acks=all}, and a {@code
     * transactional.id} made of this prefix plus a per-producer suffix ({@code prefix-0}, {@code
     * prefix-1}, ...). Settings made so far are kept.
     *
     * @param transactionalIdPrefix unique per application instance and stable across its restarts
     *     (so a restarted instance fences its previous incarnation), e.g. {@code orders-enricher-2}
     * @return a transactional builder
     */
    public TransactionalProducer.Builder<K, V> transactional(String transactionalIdPrefix) {
      return new TransactionalProducer.Builder<>(
          this, Objects.requireNonNull(transactionalIdPrefix, "transactionalIdPrefix"));
    }

    /**
     * Validates the settings and starts the producer.
     *
     * @return the running producer; close it when done
     * @throws SdkConfigException if a setting is missing, invalid or contradicts the preset (the
     *     message names the setting and the fix); nothing has been started then
     */
    public ReliableProducer<K, V> build() {
      ProducerSettings settings = ProducerConfigResolver.resolve(options(null));
      ProducerMetrics metrics = new ProducerMetrics(meterRegistry, settings.clientId(), false);
      ReplaceableProducer<K, V> producers =
          new ReplaceableProducer<>(
              new KafkaProducerFactory<>(settings, keySerializer, valueSerializer, meterRegistry),
              null,
              settings.clientId(),
              metrics);
      try {
        producers.get();
      } catch (KafkaException e) {
        throw rejectedByKafka(e, settings.kafkaConfig());
      }
      log.info("ReliableProducer started: {}", settings.summary());
      if (settings.acks() == Acks.ONE) {
        log.warn(
            "ReliableProducer {} uses unsafeAcks(ONE): acks=1 without idempotence. A record"
                + " acknowledged only by the partition leader is LOST if that leader fails before a"
                + " follower copies it, and retries can write duplicates or reorder records. Use"
                + " the default (acks=all, idempotent) unless losing records is acceptable.",
            settings.clientId());
      } else if (settings.acks() == Acks.ZERO) {
        log.warn(
            "ReliableProducer {} uses unsafeAcks(ZERO): acks=0. The producer never learns whether"
                + " a record was stored: any broker or network failure LOSES records silently,"
                + " retries are meaningless and acknowledged offsets are -1. Use the default"
                + " (acks=all, idempotent) unless losing records is acceptable.",
            settings.clientId());
      }
      // min.insync.replicas only refuses acks=all writes.
      InSyncReplicaCheck isrCheck =
          settings.acks() == Acks.ALL
              ? new InSyncReplicaCheck(settings.kafkaConfig(), settings.clientId())
              : null;
      RecordSender<K, V> sender =
          new RecordSender<>(
              producers,
              metrics,
              circuitBreaker,
              settings.clientId(),
              isrCheck,
              SendObservations.create(
                  observationRegistry, settings.clientId(), observeMessageKeys));
      return new ReliableProducer<>(settings, producers, sender, keySerializer, valueSerializer);
    }
  }
}
