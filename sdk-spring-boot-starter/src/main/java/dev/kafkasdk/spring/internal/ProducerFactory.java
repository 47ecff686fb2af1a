package dev.kafkasdk.spring.internal;

import dev.kafkasdk.core.SdkConfigException;
import dev.kafkasdk.producer.ProducerBuilder;
import dev.kafkasdk.producer.ReliableProducer;
import dev.kafkasdk.producer.TransactionalProducer;
import dev.kafkasdk.spring.KafkaSdkProperties;
import dev.kafkasdk.spring.ProducerBuilderCustomizer;
import dev.kafkasdk.spring.ProducerProperties;
import io.micrometer.core.instrument.MeterRegistry;
import io.micrometer.observation.ObservationRegistry;
import java.util.List;
import java.util.Optional;
import java.util.function.Function;
import org.apache.kafka.common.serialization.Serializer;
import org.apache.kafka.common.serialization.StringSerializer;

/**
 * Maps {@code kafkasdk.producers.<name>.*} onto {@code ReliableProducer.Builder} (and {@code
 * TransactionalProducer.Builder}), applies the customizers and builds: the one place that knows
 * which property is which builder method. Validation is the builder's; this class only rejects
 * properties that contradict the chosen mode, which no builder sees.
 */
public final class ProducerFactory {
  /** The bean name and producer name of the default producer. */
  public static final String DEFAULT_PRODUCER = "kafkaSdkProducer";

  private final KafkaSdkProperties shared;
  private final List<ProducerBuilderCustomizer> customizers;
  private final MeterRegistry meters;
  private final ObservationRegistry observations;

  /**
   * Creates the factory.
   *
   * @param shared the bound {@code kafkasdk.*} properties
   * @param customizers in order
   * @param meters the application's registry, or null for the SDK's default
   * @param observations the application's observation registry, or null for none
   */
  public ProducerFactory(
      KafkaSdkProperties shared,
      List<ProducerBuilderCustomizer> customizers,
      MeterRegistry meters,
      ObservationRegistry observations) {
    this.shared = shared;
    this.customizers = List.copyOf(customizers);
    this.meters = meters;
    this.observations = observations;
  }

  /**
   * Builds the producer named in {@code kafkasdk.producers}.
   *
   * @param name the producer's name
   * @return a {@code ReliableProducer} or, for mode transactional, a {@code
   *     TransactionalProducerPool}
   * @throws ClientConfigurationException wrapping the builder's {@link SdkConfigException}
   */
  public AutoCloseable create(String name) {
    ProducerProperties props = shared.getProducers().get(name);
    if (props == null) {
      throw new IllegalStateException("no producer '" + name + "' in kafkasdk.producers");
    }
    return create(name, "kafkasdk.producers." + name, props);
  }

  /**
   * Builds the default producer: idempotent, string keys and values, shared properties only.
   *
   * @return the producer
   */
  @SuppressWarnings("unchecked")
  public ReliableProducer<String, String> createDefault() {
    return (ReliableProducer<String, String>)
        create(DEFAULT_PRODUCER, "kafkasdk", new ProducerProperties());
  }

  private AutoCloseable create(String name, String prefix, ProducerProperties props) {
    try {
      return build(name, prefix, props);
    } catch (SdkConfigException e) {
      throw new ClientConfigurationException("producer '" + name + "'", prefix, e);
    }
  }

  private AutoCloseable build(String name, String prefix, ProducerProperties props) {
    ClientProperties client = new ClientProperties(shared, props.getProperties());
    ReliableProducer.Builder<Object, Object> builder =
        ReliableProducer.builder(
            serializer(name, client, props.getKeySerializer(), true, prefix + ".key-serializer"),
            serializer(
                name, client, props.getValueSerializer(), false, prefix + ".value-serializer"));
    String servers = client.bootstrapServersUnlessOverridden();
    if (servers != null) {
      builder.bootstrapServers(servers);
    }
    builder.properties(client.properties());
    Optional.ofNullable(props.getClientId()).ifPresent(builder::clientId);
    Optional.ofNullable(props.getDeliveryTimeout()).ifPresent(builder::deliveryTimeout);
    Optional.ofNullable(props.getCloseTimeout()).ifPresent(builder::closeTimeout);
    Optional.ofNullable(props.getObserveMessageKeys()).ifPresent(builder::observeMessageKeys);
    Optional.ofNullable(props.getUnsafeAcks()).ifPresent(builder::unsafeAcks);
    Optional.ofNullable(meters).ifPresent(builder::meterRegistry);
    Optional.ofNullable(observations).ifPresent(builder::observationRegistry);
    if (props.getMode() == ProducerProperties.Mode.TRANSACTIONAL) {
      if (props.getTransactionalIdPrefix() == null) {
        throw new SdkConfigException(
            prefix + ".transactional-id-prefix",
            "is required for mode transactional",
            "set a prefix unique per application instance and stable across its restarts");
      }
      TransactionalProducer.Builder<Object, Object> tx =
          builder.transactional(props.getTransactionalIdPrefix());
      Optional.ofNullable(props.getTransactionTimeout()).ifPresent(tx::transactionTimeout);
      Optional.ofNullable(props.getMaxAge()).ifPresent(tx::maxAge);
      Optional.ofNullable(props.getLeaseTimeout()).ifPresent(tx::leaseTimeout);
      customize(name, tx);
      return tx.buildPool(props.getPoolSize() == null ? 1 : props.getPoolSize());
    }
    onlyTransactional(prefix + ".transactional-id-prefix", props.getTransactionalIdPrefix());
    onlyTransactional(prefix + ".pool-size", props.getPoolSize());
    onlyTransactional(prefix + ".transaction-timeout", props.getTransactionTimeout());
    onlyTransactional(prefix + ".max-age", props.getMaxAge());
    onlyTransactional(prefix + ".lease-timeout", props.getLeaseTimeout());
    customize(name, builder);
    return builder.build();
  }

  private static void onlyTransactional(String property, Object value) {
    if (value != null) {
      throw new SdkConfigException(
          property,
          "applies only to mode transactional, and the producer is idempotent",
          "set mode: transactional, or remove " + property);
    }
  }

  private void customize(String name, ProducerBuilder<?, ?, ?> builder) {
    customizers.forEach(customizer -> customizer.customize(name, builder));
  }

  @SuppressWarnings("unchecked")
  private Serializer<Object> serializer(
      String name, ClientProperties client, Class<?> type, boolean isKey, String property) {
    Function<ProducerBuilderCustomizer, Optional<Serializer<?>>> supplied =
        isKey ? c -> c.keySerializer(name) : c -> c.valueSerializer(name);
    for (ProducerBuilderCustomizer customizer : customizers) {
      Optional<Serializer<?>> serializer = supplied.apply(customizer);
      if (serializer.isPresent()) {
        return (Serializer<Object>) serializer.get();
      }
    }
    if (type == null) {
      return (Serializer<Object>) (Serializer<?>) new StringSerializer();
    }
    return client.serde(
        type,
        Serializer.class,
        (serializer, key) -> serializer.configure(client.properties(), key),
        isKey,
        property);
  }
}
