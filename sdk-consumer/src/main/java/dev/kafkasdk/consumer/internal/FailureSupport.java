package dev.kafkasdk.consumer.internal;

import java.util.concurrent.ScheduledExecutorService;

/**
 * What the dispatcher needs besides the handler to deal with failures, shared by a runner's loops.
 *
 * @param decoder deserializes each record on its own
 * @param policy decides what a failure means
 * @param gate the circuit breaker and rate limiter, or {@link Gate#OPEN}
 * @param timer resumes waiting work
 * @param keyOrder decides before each handler call when the retry chain keeps key order, else null
 */
record FailureSupport<K, V>(
    RecordDecoder<K, V> decoder,
    FailurePolicy policy,
    Gate gate,
    ScheduledExecutorService timer,
    RetryTopicPublisher keyOrder) {

  /** Support without a retry chain that keeps key order. */
  FailureSupport(
      RecordDecoder<K, V> decoder,
      FailurePolicy policy,
      Gate gate,
      ScheduledExecutorService timer) {
    this(decoder, policy, gate, timer, null);
  }
}
