package dev.kafkasdk.consumer.internal;

import dev.kafkasdk.consumer.FailureAction;
import dev.kafkasdk.consumer.RetryPolicy;
import io.github.resilience4j.circuitbreaker.CircuitBreaker;
import io.github.resilience4j.ratelimiter.RateLimiter;
import java.util.Optional;

/**
 * The failure settings of a runner.
 *
 * @param retry when to call the handler again
 * @param action what to do when retries are over
 * @param breaker the circuit breaker around the handler, or empty
 * @param limiter the rate limiter of the handler, or empty
 */
public record FailureHandling(
    RetryPolicy retry,
    FailureAction action,
    Optional<CircuitBreaker> breaker,
    Optional<RateLimiter> limiter) {}
