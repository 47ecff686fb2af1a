package dev.kafkasdk.consumer.internal;

import dev.kafkasdk.consumer.TransformHandler;
import dev.kafkasdk.producer.ReliableProducer;

/**
 * The exactly-once processing mode: each poll batch of a consumer thread is one transaction.
 *
 * @param producer describes the output producer; each consumer thread gets a transactional producer
 *     from it
 * @param transactionalIdPrefix consumer thread {@code i} uses {@code transactional.id} {@code
 *     <prefix>-<i>-0}
 * @param handler the transform
 * @param maxAttempts handler calls of one record, and failed transactions in a row, before the
 *     runner stops
 * @param <K> input key type
 * @param <V> input value type
 * @param <OK> output key type
 * @param <OV> output value type
 */
public record ExactlyOnceSettings<K, V, OK, OV>(
    ReliableProducer.Builder<OK, OV> producer,
    String transactionalIdPrefix,
    TransformHandler<K, V, OK, OV> handler,
    int maxAttempts)
    implements ProcessingMode<K, V> {

  /**
   * Returns a copy with another number of attempts.
   *
   * @param attempts the attempts
   * @return the copy
   */
  public ExactlyOnceSettings<K, V, OK, OV> withMaxAttempts(int attempts) {
    return new ExactlyOnceSettings<>(producer, transactionalIdPrefix, handler, attempts);
  }
}
