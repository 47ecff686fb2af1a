package dev.kafkasdk.consumer.internal;

import java.nio.ByteBuffer;
import java.util.Map;
import org.apache.kafka.common.header.Headers;
import org.apache.kafka.common.serialization.Deserializer;

/**
 * Hands the application's deserializer to several consumers without letting each consumer's close
 * close it: {@code KafkaConsumer.close()} closes its deserializers, and a thread-per-partition
 * runner (and the partition count probe) would otherwise close the same instance several times
 * while others still use it. The runner closes the real deserializer once, when it stops.
 */
final class SharedDeserializer<T> implements Deserializer<T> {
  private final Deserializer<T> delegate;

  SharedDeserializer(Deserializer<T> delegate) {
    this.delegate = delegate;
  }

  @Override
  public void configure(Map<String, ?> configs, boolean isKey) {
    delegate.configure(configs, isKey);
  }

  @Override
  public T deserialize(String topic, byte[] data) {
    return delegate.deserialize(topic, data);
  }

  @Override
  public T deserialize(String topic, Headers headers, byte[] data) {
    return delegate.deserialize(topic, headers, data);
  }

  @Override
  public T deserialize(String topic, Headers headers, ByteBuffer data) {
    return delegate.deserialize(topic, headers, data);
  }

  @Override
  public void close() {
    // Closed once by the runner, not by each consumer.
  }
}
