package dev.kafkasdk.consumer.internal;

import dev.kafkasdk.consumer.RetryPolicy;
import io.github.resilience4j.core.IntervalFunction;
import java.time.Duration;

/**
 * The pause of the exactly-once loop after a record's failed handler call or a failed transaction,
 * before the loop tries again.
 *
 * <p>The runner's {@link RetryPolicy} already sets how many such failures the loop allows, so its
 * {@linkplain RetryPolicy#delay(int, Throwable) backoff} sets the pause too. A runner without a
 * policy gets {@link RetryPolicy#none()} from the builder and three attempts in exactly-once mode;
 * it pauses as {@link #DEFAULT}. (A policy of one attempt never pauses: the first failure stops the
 * runner.)
 */
final class ExactlyOnceBackoff {
  /**
   * Without a retry policy: exponential from 100 ms, factor 2, jitter of ±50 % so that the
   * instances of a group do not retry against the transaction coordinator in step, at most 1 s.
   */
  static final IntervalFunction DEFAULT =
      IntervalFunction.ofExponentialRandomBackoff(
          Duration.ofMillis(100), 2.0, 0.5, Duration.ofSeconds(1));

  private ExactlyOnceBackoff() {}

  /**
   * Returns the pause after a failure.
   *
   * @param policy the runner's retry policy ({@link RetryPolicy#none()} when none was given)
   * @param failures failures so far, this one included: of the record, or transactions in a row
   * @param error the failure
   * @return the pause, never negative
   */
  static Duration delay(RetryPolicy policy, int failures, Throwable error) {
    if (policy.maxAttempts() > 1) {
      return policy.delay(failures, error);
    }
    return Duration.ofMillis(DEFAULT.apply(failures));
  }
}
