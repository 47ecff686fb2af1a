package dev.kafkasdk.consumer.internal;

import dev.kafkasdk.consumer.RetryPolicy;
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
 * @param retry the runner's retry policy, or the exactly-once default when none was given: its
 *     {@code maxAttempts} bounds the handler calls of one record and the failed transactions in a
 *     row before the runner stops, and its backoff paces the next try after either
 * @param <K> input key type
 * @param <V> input value type
 * @param <OK> output key type
 * @param <OV> output value type
 */
public record ExactlyOnceSettings<K, V, OK, OV>(
    ReliableProducer.Builder<OK, OV> producer,
    String transactionalIdPrefix,
    TransformHandler<K, V, OK, OV> handler,
    RetryPolicy retry)
    implements ProcessingMode<K, V> {

  /**
   * What the builder collects for exactly-once mode; the resolver adds the retry policy.
   *
   * @param producer describes the output producer
   * @param transactionalIdPrefix the {@code transactional.id} prefix
   * @param handler the transform
   * @param <K> input key type
   * @param <V> input value type
   * @param <OK> output key type
   * @param <OV> output value type
   */
  public record Request<K, V, OK, OV>(
      ReliableProducer.Builder<OK, OV> producer,
      String transactionalIdPrefix,
      TransformHandler<K, V, OK, OV> handler) {

    /**
     * Completes the settings.
     *
     * @param retry the effective retry policy
     * @return the settings
     */
    public ExactlyOnceSettings<K, V, OK, OV> with(RetryPolicy retry) {
      return new ExactlyOnceSettings<>(producer, transactionalIdPrefix, handler, retry);
    }
  }
}
