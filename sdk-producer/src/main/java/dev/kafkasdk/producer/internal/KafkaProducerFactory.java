package dev.kafkasdk.producer.internal;

import io.micrometer.core.instrument.MeterRegistry;
import io.micrometer.core.instrument.binder.kafka.KafkaClientMetrics;
import java.util.HashMap;
import java.util.Map;
import org.apache.kafka.clients.producer.KafkaProducer;
import org.apache.kafka.clients.producer.ProducerConfig;
import org.apache.kafka.common.KafkaException;
import org.apache.kafka.common.serialization.Serializer;

/**
 * Builds {@link KafkaProducer}s from validated settings and binds Micrometer's {@link
 * KafkaClientMetrics} to each, so the native client metrics live exactly as long as the producer.
 *
 * @param <K> key type
 * @param <V> value type
 */
public final class KafkaProducerFactory<K, V> implements ProducerFactory<K, V> {
  private final Map<String, Object> config;
  private final Serializer<K> keySerializer;
  private final Serializer<V> valueSerializer;
  private final MeterRegistry registry;

  /**
   * Creates the factory.
   *
   * @param settings validated settings
   * @param keySerializer key serializer, shared by every producer created; never closed by them
   * @param valueSerializer value serializer, same rules
   * @param registry where to bind client metrics, or null for none
   */
  public KafkaProducerFactory(
      ProducerSettings settings,
      Serializer<K> keySerializer,
      Serializer<V> valueSerializer,
      MeterRegistry registry) {
    this.config = settings.kafkaConfig();
    this.keySerializer = new NonClosingSerializer<>(keySerializer);
    this.valueSerializer = new NonClosingSerializer<>(valueSerializer);
    this.registry = registry;
  }

  @Override
  public ManagedProducer<K, V> create(String transactionalId, String clientId) {
    Map<String, Object> props = new HashMap<>(config);
    props.put(ProducerConfig.CLIENT_ID_CONFIG, clientId);
    if (transactionalId != null) {
      props.put(ProducerConfig.TRANSACTIONAL_ID_CONFIG, transactionalId);
    }
    KafkaProducer<K, V> producer = new KafkaProducer<>(props, keySerializer, valueSerializer);
    KafkaClientMetrics metrics = null;
    if (registry != null) {
      try {
        metrics = new KafkaClientMetrics(producer);
        metrics.bindTo(registry);
      } catch (RuntimeException e) {
        if (metrics != null) {
          metrics.close();
        }
        producer.close(java.time.Duration.ZERO);
        throw new KafkaException("binding Kafka client metrics failed for " + clientId, e);
      }
    }
    return new ManagedProducer<>(producer, metrics, clientId);
  }
}
