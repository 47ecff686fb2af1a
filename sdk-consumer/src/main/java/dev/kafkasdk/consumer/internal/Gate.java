package dev.kafkasdk.consumer.internal;

import io.github.resilience4j.circuitbreaker.CircuitBreaker;
import io.github.resilience4j.ratelimiter.RateLimiter;
import java.time.Duration;
import java.util.concurrent.TimeUnit;

/**
 * The optional circuit breaker and rate limiter in front of the handler. Workers ask {@link #admit}
 * before each call and report the result; a call that is not admitted waits on a timer (its lane
 * blocked, no worker held) and counts as no attempt. A call that was admitted and failed is an
 * attempt of its record, also when its failure opens the circuit or it was the half-open probe. The
 * poll thread asks {@link #holdsAll()} and pauses every partition while the answer is yes, so
 * nothing new is fetched meanwhile.
 */
final class Gate {
  static final Gate OPEN = new Gate(null, null);

  /** How often work rejected by an open circuit looks again. */
  private static final long RECHECK_NANOS = TimeUnit.MILLISECONDS.toNanos(250);

  private final CircuitBreaker breaker;
  private final RateLimiter limiter;

  Gate(CircuitBreaker breaker, RateLimiter limiter) {
    this.breaker = breaker;
    this.limiter = limiter;
  }

  /** Whether there is neither a circuit breaker nor a rate limiter: every call is admitted. */
  boolean passive() {
    return breaker == null && limiter == null;
  }

  boolean hasBreaker() {
    return breaker != null;
  }

  /**
   * Asks whether the work may call the handler now. Worker threads.
   *
   * @return 0 if it may (a breaker permission is then held and must be settled by {@link
   *     #succeeded} or {@link #failed}), else nanoseconds to wait before asking again
   */
  long admit(Work<?, ?> work) {
    return admit(work, work.records().size());
  }

  /**
   * Asks whether a call of {@code records} records may be made now. Worker threads.
   *
   * @param permit remembers a rate-limiter reservation between asks
   * @return as {@link #admit(Work)}
   */
  long admit(Permit permit, int records) {
    if (limiter != null && !permit.reserved()) {
      long wait = limiter.reservePermission(largestCall(records));
      if (wait < 0) {
        Duration refresh = limiter.getRateLimiterConfig().getLimitRefreshPeriod();
        return Math.max(1, refresh.toNanos());
      }
      permit.reserved(true);
      if (wait > 0) {
        return wait;
      }
    }
    if (breaker != null && !breaker.tryAcquirePermission()) {
      return RECHECK_NANOS;
    }
    permit.reserved(false);
    return 0;
  }

  /** Whether a rate-limiter permit was reserved for the next call of some work. */
  interface Permit {
    boolean reserved();

    void reserved(boolean reserved);
  }

  /**
   * How many records one handler call may take, and how many permits it reserves: one per record,
   * but never more than the rate limiter admits in one period, which a reservation of more could
   * never get. Units are cut to this size; the cap in {@link #admit} also covers a limit lowered
   * after a unit was cut.
   *
   * @param records the records wanted, at least 1
   * @return {@code records}, capped at the limit per period (at least 1)
   */
  int largestCall(int records) {
    if (limiter == null) {
      return records;
    }
    return Math.max(1, Math.min(records, limiter.getRateLimiterConfig().getLimitForPeriod()));
  }

  void succeeded(long nanos) {
    if (breaker != null) {
      breaker.onSuccess(nanos, TimeUnit.NANOSECONDS);
    }
  }

  void failed(long nanos, Throwable error) {
    if (breaker != null) {
      breaker.onError(nanos, TimeUnit.NANOSECONDS, error);
    }
  }

  /**
   * Gives back the breaker permission of a call whose result says nothing about the downstream (an
   * interrupt, an error of the JVM).
   */
  void released() {
    if (breaker != null) {
      breaker.releasePermission();
    }
  }

  /** Whether the circuit is open: no call is admitted until it half-opens. */
  boolean circuitOpen() {
    if (breaker == null) {
      return false;
    }
    CircuitBreaker.State state = breaker.getState();
    return state == CircuitBreaker.State.OPEN || state == CircuitBreaker.State.FORCED_OPEN;
  }

  /**
   * Whether every partition must be paused: the circuit is open or no rate permit is left. Poll
   * thread. Also moves an open breaker whose wait is over to half-open (Resilience4j does that
   * lazily, on a permission request), so consumption resumes even when no record is waiting.
   */
  boolean holdsAll() {
    if (breaker != null && breaker.getState() == CircuitBreaker.State.OPEN) {
      if (breaker.tryAcquirePermission()) {
        breaker.releasePermission();
      }
    }
    if (circuitOpen()) {
      return true;
    }
    return limiter != null && limiter.getMetrics().getAvailablePermissions() <= 0;
  }

  /** The breaker's state as a number for the gauge: 0 closed, 1 open, 2 half-open, 3 other. */
  double circuitStateCode() {
    if (breaker == null) {
      return 0;
    }
    return switch (breaker.getState()) {
      case CLOSED -> 0;
      case OPEN, FORCED_OPEN -> 1;
      case HALF_OPEN -> 2;
      default -> 3;
    };
  }
}
