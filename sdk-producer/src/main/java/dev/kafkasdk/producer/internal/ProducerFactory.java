package dev.kafkasdk.producer.internal;

/**
 * Creates underlying producers. The real one builds {@code KafkaProducer}s; unit tests of the
 * transaction and recreation logic pass {@code MockProducer}s.
 *
 * @param <K> key type
 * @param <V> value type
 */
@FunctionalInterface
public interface ProducerFactory<K, V> {
  /**
   * Creates a producer.
   *
   * @param transactionalId the transactional.id, or null for a non-transactional producer
   * @param clientId the client.id
   * @return the new producer, not yet initialized for transactions
   * @throws org.apache.kafka.common.KafkaException if Kafka rejects the configuration
   */
  ManagedProducer<K, V> create(String transactionalId, String clientId);
}
