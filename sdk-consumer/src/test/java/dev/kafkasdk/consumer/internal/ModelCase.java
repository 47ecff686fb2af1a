package dev.kafkasdk.consumer.internal;

import dev.kafkasdk.consumer.FailureAction;
import dev.kafkasdk.consumer.Ordering;
import dev.kafkasdk.consumer.RetryPolicy;
import io.github.resilience4j.circuitbreaker.CircuitBreaker;
import io.github.resilience4j.circuitbreaker.CircuitBreakerConfig;
import io.github.resilience4j.ratelimiter.RateLimiter;
import io.github.resilience4j.ratelimiter.RateLimiterConfig;
import java.time.Duration;
import java.util.List;
import java.util.stream.Collectors;

/**
 * One generated case of {@link DispatcherModelTest}: the runner's failure configuration and the
 * scripted records of each partition.
 *
 * @param batchHandler a batch handler (else a record handler)
 * @param batchSize records per batch for a batch handler
 * @param ordering the ordering mode
 * @param workers worker threads
 * @param maxAttempts the retry policy's attempts per record
 * @param retryDelayMillis the constant wait before a retry (0 allowed)
 * @param action what happens when the attempts are used up
 * @param ackLater whether a dead letter is acknowledged later (on the timer) instead of at once
 * @param breakerWindow the circuit breaker's window (and minimum calls), or 0 for no breaker
 * @param limiterPermits the rate limiter's permits per period, or 0 for no limiter
 * @param partitions the records of each partition, offsets 0, 1, 2, ...
 * @param secondPollAt the index at which each partition's records are split into a second poll
 */
record ModelCase(
    boolean batchHandler,
    int batchSize,
    Ordering ordering,
    int workers,
    int maxAttempts,
    int retryDelayMillis,
    FailureAction.Kind action,
    boolean ackLater,
    int breakerWindow,
    int limiterPermits,
    List<List<Script>> partitions,
    int secondPollAt) {

  /** What a record does when the handler is called with it. */
  enum Fate {
    SUCCEEDS,
    FAILS_THEN_SUCCEEDS,
    ALWAYS_FAILS,
    /** Throws a {@link VirtualMachineError} on its first call. */
    VM_ERROR,
    /** Throws {@link InterruptedException} on its first call, as a blocking call would. */
    INTERRUPTED
  }

  /** What one handler call does, in the order a batch call lets them win. */
  enum Behaviour {
    OK,
    FAIL,
    INTERRUPT,
    VM_ERROR
  }

  /**
   * A scripted record.
   *
   * @param key the record key
   * @param fate its fate
   * @param failures for {@link Fate#FAILS_THEN_SUCCEEDS}: calls that fail before one succeeds
   */
  record Script(String key, Fate fate, int failures) {
    /** What the {@code call}-th handler call with this record (1-based) does. */
    Behaviour call(int call) {
      return switch (fate) {
        case SUCCEEDS -> Behaviour.OK;
        case FAILS_THEN_SUCCEEDS -> call <= failures ? Behaviour.FAIL : Behaviour.OK;
        case ALWAYS_FAILS -> Behaviour.FAIL;
        case VM_ERROR -> call == 1 ? Behaviour.VM_ERROR : Behaviour.OK;
        case INTERRUPTED -> call == 1 ? Behaviour.INTERRUPT : Behaviour.OK;
      };
    }

    @Override
    public String toString() {
      String what =
          switch (fate) {
            case SUCCEEDS -> "ok";
            case FAILS_THEN_SUCCEEDS -> "fails" + failures;
            case ALWAYS_FAILS -> "always-fails";
            case VM_ERROR -> "vm-error";
            case INTERRUPTED -> "interrupted";
          };
      return key + ":" + what;
    }
  }

  boolean hasBreaker() {
    return breakerWindow > 0;
  }

  boolean hasLimiter() {
    return limiterPermits > 0;
  }

  int recordCount() {
    return partitions.stream().mapToInt(List::size).sum();
  }

  RetryPolicy retryPolicy() {
    long delay = retryDelayMillis;
    return RetryPolicy.builder().maxAttempts(maxAttempts).backoff(attempt -> delay).build();
  }

  /**
   * A count-based breaker that opens when half of its last {@code breakerWindow} calls failed,
   * waits 1 ms, and lets one probe through, as failure-handling.md recommends; or null.
   */
  CircuitBreaker breaker() {
    if (!hasBreaker()) {
      return null;
    }
    return CircuitBreaker.of(
        "model",
        CircuitBreakerConfig.custom()
            .slidingWindowType(CircuitBreakerConfig.SlidingWindowType.COUNT_BASED)
            .slidingWindowSize(breakerWindow)
            .minimumNumberOfCalls(breakerWindow)
            .failureRateThreshold(50)
            .waitDurationInOpenState(Duration.ofMillis(1))
            .permittedNumberOfCallsInHalfOpenState(1)
            .build());
  }

  /** A limiter of {@code limiterPermits} per 2 ms that never waits for a permit; or null. */
  RateLimiter limiter() {
    if (!hasLimiter()) {
      return null;
    }
    return RateLimiter.of(
        "model",
        RateLimiterConfig.custom()
            .limitForPeriod(limiterPermits)
            .limitRefreshPeriod(Duration.ofMillis(2))
            .timeoutDuration(Duration.ZERO)
            .build());
  }

  @Override
  public String toString() {
    StringBuilder text =
        new StringBuilder(
                batchHandler ? "batch handler (size " + batchSize + ")" : "record handler")
            .append(", ")
            .append(ordering)
            .append(", ")
            .append(workers)
            .append(" worker(s), maxAttempts ")
            .append(maxAttempts)
            .append(", delay ")
            .append(retryDelayMillis)
            .append(" ms, ")
            .append(action)
            .append(
                action == FailureAction.Kind.DEAD_LETTER ? (ackLater ? " (ack later)" : "") : "")
            .append(hasBreaker() ? ", breaker window " + breakerWindow : "")
            .append(hasLimiter() ? ", limiter " + limiterPermits + "/2 ms" : "")
            .append(", second poll at ")
            .append(secondPollAt);
    for (int p = 0; p < partitions.size(); p++) {
      text.append("\n  p")
          .append(p)
          .append(": ")
          .append(
              partitions.get(p).stream().map(Script::toString).collect(Collectors.joining(" ")));
    }
    return text.toString();
  }
}
