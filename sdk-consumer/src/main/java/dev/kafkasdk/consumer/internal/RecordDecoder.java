package dev.kafkasdk.consumer.internal;

import dev.kafkasdk.consumer.DeserializationFailure;
import org.apache.kafka.clients.consumer.ConsumerRecord;
import org.apache.kafka.common.TopicPartition;
import org.apache.kafka.common.serialization.ByteArrayDeserializer;
import org.apache.kafka.common.serialization.Deserializer;

/**
 * Deserializes records one at a time, so a record the application's deserializer rejects becomes a
 * {@link DeserializationFailure} for that record alone instead of an exception from {@code poll()}
 * that stops the whole consumer. Mirrors what {@code KafkaConsumer} does: null bytes stay null.
 */
final class RecordDecoder<K, V> {
  private final Deserializer<K> keys;
  private final Deserializer<V> values;
  private final boolean rawBytes;

  RecordDecoder(Deserializer<K> keys, Deserializer<V> values) {
    this.keys = keys;
    this.values = values;
    // ByteArrayDeserializer returns its input and cannot fail: the polled record is the result.
    this.rawBytes =
        keys.getClass() == ByteArrayDeserializer.class
            && values.getClass() == ByteArrayDeserializer.class;
  }

  /** A decoded record, or the record with null key and value plus why it failed. */
  record Decoded<K, V>(ConsumerRecord<K, V> record, DeserializationFailure failure) {}

  @SuppressWarnings("unchecked")
  Decoded<K, V> decode(ConsumerRecord<byte[], byte[]> raw) {
    if (rawBytes) {
      return new Decoded<>((ConsumerRecord<K, V>) (ConsumerRecord<?, ?>) raw, null);
    }
    K key = null;
    V value = null;
    DeserializationFailure failure = null;
    try {
      key = raw.key() == null ? null : keys.deserialize(raw.topic(), raw.headers(), raw.key());
    } catch (RuntimeException e) {
      failure = new DeserializationFailure(partition(raw), raw.offset(), true, e);
    }
    if (failure == null) {
      try {
        value =
            raw.value() == null
                ? null
                : values.deserialize(raw.topic(), raw.headers(), raw.value());
      } catch (RuntimeException e) {
        key = null;
        failure = new DeserializationFailure(partition(raw), raw.offset(), false, e);
      }
    }
    ConsumerRecord<K, V> record =
        new ConsumerRecord<>(
            raw.topic(),
            raw.partition(),
            raw.offset(),
            raw.timestamp(),
            raw.timestampType(),
            raw.serializedKeySize(),
            raw.serializedValueSize(),
            key,
            value,
            raw.headers(),
            raw.leaderEpoch(),
            // A share consumer's record says how often it was delivered; the handler sees it too.
            raw.deliveryCount());
    return new Decoded<>(record, failure);
  }

  private static TopicPartition partition(ConsumerRecord<?, ?> raw) {
    return new TopicPartition(raw.topic(), raw.partition());
  }
}
