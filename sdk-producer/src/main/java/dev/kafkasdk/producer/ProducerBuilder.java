package dev.kafkasdk.producer;

import dev.kafkasdk.producer.internal.ProducerOptions;
import dev.kafkasdk.producer.internal.TransactionOptions;
import io.github.resilience4j.circuitbreaker.CircuitBreaker;
import io.micrometer.core.instrument.MeterRegistry;
import io.micrometer.core.instrument.Metrics;
import io.micrometer.observation.ObservationRegistry;
import java.time.Duration;
import java.util.LinkedHashMap;
import java.util.Map;
import java.util.Objects;
import org.apache.kafka.common.serialization.Serializer;

/**
 * Settings shared by {@link ReliableProducer.Builder} and {@link TransactionalProducer.Builder}.
 *
 * <p>Setters only record what they are given (rejecting nulls at once); every check happens in
 * {@code build()}, which throws {@link dev.kafkasdk.core.SdkConfigException} naming the setting and
 * the fix. Builders are not thread-safe.
 *
 * @param <K> key type
 * @param <V> value type
 * @param <B> the concrete builder, returned by every setter
 */
public abstract sealed class ProducerBuilder<K, V, B extends ProducerBuilder<K, V, B>>
    permits ReliableProducer.Builder, TransactionalProducer.Builder {
  final Serializer<K> keySerializer;
  final Serializer<V> valueSerializer;
  String bootstrapServers;
  String clientId;
  final Map<String, Object> properties = new LinkedHashMap<>();
  Duration deliveryTimeout;
  Duration closeTimeout;
  MeterRegistry meterRegistry = Metrics.globalRegistry;
  CircuitBreaker circuitBreaker;
  Acks unsafeAcks;
  ObservationRegistry observationRegistry;
  boolean observeMessageKeys;

  ProducerBuilder(Serializer<K> keySerializer, Serializer<V> valueSerializer) {
    this.keySerializer = Objects.requireNonNull(keySerializer, "keySerializer");
    this.valueSerializer = Objects.requireNonNull(valueSerializer, "valueSerializer");
  }

  ProducerBuilder(ProducerBuilder<K, V, ?> from) {
    this(from.keySerializer, from.valueSerializer);
    bootstrapServers = from.bootstrapServers;
    clientId = from.clientId;
    properties.putAll(from.properties);
    deliveryTimeout = from.deliveryTimeout;
    closeTimeout = from.closeTimeout;
    meterRegistry = from.meterRegistry;
    circuitBreaker = from.circuitBreaker;
    unsafeAcks = from.unsafeAcks;
    observationRegistry = from.observationRegistry;
    observeMessageKeys = from.observeMessageKeys;
  }

  abstract B self();

  /**
   * Sets Kafka's {@code bootstrap.servers}. Required (here or as a property).
   *
   * @param bootstrapServers comma-separated {@code host:port} list
   * @return this builder
   */
  public B bootstrapServers(String bootstrapServers) {
    this.bootstrapServers = Objects.requireNonNull(bootstrapServers, "bootstrapServers");
    return self();
  }

  /**
   * Sets the {@code client.id}, used in Kafka's logs and metrics and as the {@code client} tag of
   * the SDK's meters. Default: the transactional prefix, or {@code ksdk-producer-N}.
   *
   * @param clientId the client id
   * @return this builder
   */
  public B clientId(String clientId) {
    this.clientId = Objects.requireNonNull(clientId, "clientId");
    return self();
  }

  /**
   * Passes any other Kafka producer property through, e.g. {@code linger.ms}, {@code
   * compression.type} or security settings. Properties that contradict the preset (such as {@code
   * acks=1} on an idempotent producer) make {@code build()} fail; serializers and {@code
   * transactional.id} have their own builder methods.
   *
   * @param key a Kafka producer configuration key
   * @param value its value, as Kafka accepts it (string or typed)
   * @return this builder
   */
  public B property(String key, Object value) {
    properties.put(Objects.requireNonNull(key, "key"), value);
    return self();
  }

  /**
   * Passes several Kafka producer properties through; see {@link #property(String, Object)}.
   *
   * @param properties the properties, e.g. from a configuration file
   * @return this builder
   */
  public B properties(Map<String, ?> properties) {
    Objects.requireNonNull(properties, "properties").forEach(this::property);
    return self();
  }

  /**
   * Sets {@code delivery.timeout.ms}: the upper bound on how long Kafka keeps retrying a record
   * before reporting it {@link ErrorCategory#RETRIABLE}. Kafka's default is two minutes. It must be
   * at least {@code linger.ms + request.timeout.ms}.
   *
   * @param deliveryTimeout the timeout
   * @return this builder
   */
  public B deliveryTimeout(Duration deliveryTimeout) {
    this.deliveryTimeout = Objects.requireNonNull(deliveryTimeout, "deliveryTimeout");
    return self();
  }

  /**
   * Sets how long {@code close()} waits for pending sends before abandoning them. Default 30
   * seconds.
   *
   * @param closeTimeout zero or positive
   * @return this builder
   */
  public B closeTimeout(Duration closeTimeout) {
    this.closeTimeout = Objects.requireNonNull(closeTimeout, "closeTimeout");
    return self();
  }

  /**
   * Records the SDK meters ({@link ProducerMeters}) and binds Micrometer's {@code
   * KafkaClientMetrics} for every underlying producer in this registry. Like every SDK component, a
   * producer given no registry records to Micrometer's {@code Metrics.globalRegistry}, which
   * discards everything until the application adds a registry to it.
   *
   * @param registry the registry; default {@code Metrics.globalRegistry}
   * @return this builder
   */
  public B meterRegistry(MeterRegistry registry) {
    this.meterRegistry = Objects.requireNonNull(registry, "registry");
    return self();
  }

  /**
   * Guards sends (or whole transactions) with a Resilience4j circuit breaker. Only {@link
   * ErrorCategory#RETRIABLE} failures (for transactions also {@link ErrorCategory#ABORTABLE}) count
   * as errors, since they are what an unavailable cluster produces; while the breaker is open,
   * sends fail at once with a {@link ProducerSendException} of category {@code RETRIABLE} instead
   * of queuing until {@code delivery.timeout.ms} expires. The breaker's own configuration decides
   * when it opens and how long it stays open.
   *
   * @param circuitBreaker the breaker, possibly shared with other components
   * @return this builder
   */
  public B circuitBreaker(CircuitBreaker circuitBreaker) {
    this.circuitBreaker = Objects.requireNonNull(circuitBreaker, "circuitBreaker");
    return self();
  }

  /**
   * Observes every send with Micrometer Observation (tracing): each send starts a {@code ksdk.send}
   * observation, named {@code send <topic>}, whose context a tracing handler injects into the
   * record's headers (with Micrometer Tracing and the W3C propagator, a {@code traceparent} header
   * replacing any {@code traceparent} the record had), and which stops when the broker acknowledges
   * the record (recording its partition and offset) or the send fails (recording the error). The
   * observation's parent is the registry's current observation, e.g. the handler call that sends
   * the record. Keys and span names are a stable set, listed in {@code docs/observability.md}; add
   * or change keys with the registry's {@code ObservationFilter}s.
   *
   * <p>The record the SDK hands to Kafka is then a copy with its own headers: the record you pass
   * is never modified, so it can be sent again. Without a registry (the default) the SDK creates no
   * observation, copies nothing and adds no header.
   *
   * <pre>{@code
   * ObservationRegistry observations = ObservationRegistry.create();
   * observations.observationConfig().observationHandler(
   *     new PropagatingSenderTracingObservationHandler<>(tracer, propagator));
   * ReliableProducer<String, String> producer =
   *     ReliableProducer.builder(new StringSerializer(), new StringSerializer())
   *         .bootstrapServers("localhost:9092")
   *         .observationRegistry(observations)
   *         .build();
   * }</pre>
   *
   * @param registry the registry; its handlers decide what an observation becomes (a span, a timer,
   *     a log line)
   * @return this builder
   */
  public B observationRegistry(ObservationRegistry registry) {
    this.observationRegistry = Objects.requireNonNull(registry, "registry");
    return self();
  }

  /**
   * Records each record's key as the observation's {@code messaging.kafka.message.key}
   * (high-cardinality, so on spans and not on metrics): strings as they are, {@code byte[]} keys
   * decoded as UTF-8, other types by {@code toString()}. Off by default because keys are often
   * personal data (customer or account ids) that must not end up in a tracing backend. Has no
   * effect without {@link #observationRegistry(ObservationRegistry)}.
   *
   * @param observe true to record keys
   * @return this builder
   */
  public B observeMessageKeys(boolean observe) {
    this.observeMessageKeys = observe;
    return self();
  }

  ProducerOptions options(TransactionOptions transaction) {
    return new ProducerOptions(
        bootstrapServers,
        clientId,
        new LinkedHashMap<>(properties),
        deliveryTimeout,
        closeTimeout,
        unsafeAcks,
        transaction);
  }
}
