package dev.kafkasdk.producer.internal;

import org.apache.kafka.common.header.Headers;
import org.apache.kafka.common.serialization.Serializer;

/**
 * Hands the user's serializer to one {@code KafkaProducer} without letting that producer close it.
 * {@code KafkaProducer.close()} closes its serializers, but the SDK replaces producers after fatal
 * errors and must reuse the same serializer instances; they are closed once, with the SDK producer.
 *
 * @param <T> serialized type
 */
final class NonClosingSerializer<T> implements Serializer<T> {
  private final Serializer<T> delegate;

  NonClosingSerializer(Serializer<T> delegate) {
    this.delegate = delegate;
  }

  @Override
  public byte[] serialize(String topic, T data) {
    return delegate.serialize(topic, data);
  }

  @Override
  public byte[] serialize(String topic, Headers headers, T data) {
    return delegate.serialize(topic, headers, data);
  }

  @Override
  public void close() {
    // Closed by the owner of the SDK producer, not by each KafkaProducer.
  }
}
