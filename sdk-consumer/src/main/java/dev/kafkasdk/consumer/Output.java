package dev.kafkasdk.consumer;

import org.apache.kafka.clients.producer.ProducerRecord;

/**
 * Where a {@link TransformHandler} puts its output in exactly-once mode. Every record sent here
 * belongs to the transaction of the current poll batch: it becomes visible to {@code
 * read_committed} readers together with the input offsets, or not at all.
 *
 * <p>Valid only during the handler call that received it.
 *
 * @param <K> output key type
 * @param <V> output value type
 */
public interface Output<K, V> {

  /**
   * Sends a record in the current transaction. There is no need to wait: the commit waits for every
   * send, and a failed send aborts the transaction. The records of one handler call reach the
   * transaction when the call returns; if it throws, they are discarded, so a failed call leaves no
   * output behind.
   *
   * @param record the record, headers included
   * @throws IllegalStateException if the handler call is over
   */
  void send(ProducerRecord<K, V> record);

  /**
   * Sends a record without headers or explicit partition; see {@link #send(ProducerRecord)}.
   *
   * @param topic the topic
   * @param key the key, may be null
   * @param value the value, may be null
   */
  default void send(String topic, K key, V value) {
    send(new ProducerRecord<>(topic, key, value));
  }
}
