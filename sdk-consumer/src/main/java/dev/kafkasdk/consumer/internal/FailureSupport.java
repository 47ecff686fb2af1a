package dev.kafkasdk.consumer.internal;

import java.util.concurrent.ScheduledExecutorService;

/**
 * What the dispatcher needs besides the handler to deal with failures, shared by a runner's loops.
 *
 * @param decoder deserializes each record on its own
 * @param policy decides what a failure means
 * @param gate the circuit breaker and rate limiter, or {@link Gate#OPEN}
 * @param timer resumes waiting work
 */
record FailureSupport<K, V>(
    RecordDecoder<K, V> decoder, FailurePolicy policy, Gate gate, ScheduledExecutorService timer) {}
