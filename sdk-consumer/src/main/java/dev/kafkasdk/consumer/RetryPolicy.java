package dev.kafkasdk.consumer;

import dev.kafkasdk.core.SdkConfigException;
import io.github.resilience4j.core.IntervalFunction;
import io.github.resilience4j.core.functions.Either;
import io.github.resilience4j.retry.RetryConfig;
import java.time.Duration;
import java.util.ArrayList;
import java.util.List;
import java.util.Objects;
import java.util.function.BiFunction;
import java.util.function.Predicate;

/**
 * How often and how fast a {@link ConsumerRunner} calls the handler again for a record that failed.
 * The wait between attempts never blocks a thread: the record is parked and re-run by a timer while
 * its ordering lane (its partition, or its key in {@link Ordering#KEY} mode) waits and other lanes
 * go on. A waiting record counts as in flight, so back-pressure applies and nothing past it is
 * committed.
 *
 * <p>A record is retried while all of these hold: fewer than {@link Builder#maxAttempts(int)}
 * attempts were made, the failure is {@linkplain Builder#retryOn(Predicate) retryable}, and the
 * next attempt would start within {@link Builder#maxDuration(Duration)} of the first failure. Then
 * the {@link FailureAction} decides. A {@link DeserializationFailure} is never retried.
 *
 * <pre>{@code
 * RetryPolicy retry =
 *     RetryPolicy.builder()
 *         .maxAttempts(5)
 *         .backoff(IntervalFunction.ofExponentialBackoff(Duration.ofMillis(200), 2.0))
 *         .nonRetryable(IllegalArgumentException.class)
 *         .build();
 * }</pre>
 *
 * <p>Immutable and thread-safe.
 */
public final class RetryPolicy {
  private static final RetryPolicy NONE =
      new RetryPolicy(1, (attempt, error) -> 0L, Duration.ZERO, error -> false);

  private final int maxAttempts;
  private final BiFunction<Integer, Throwable, Long> interval;
  private final Duration maxDuration;
  private final Predicate<Throwable> retryable;

  private RetryPolicy(
      int maxAttempts,
      BiFunction<Integer, Throwable, Long> interval,
      Duration maxDuration,
      Predicate<Throwable> retryable) {
    this.maxAttempts = maxAttempts;
    this.interval = interval;
    this.maxDuration = maxDuration;
    this.retryable = retryable;
  }

  /**
   * No retries: the first failure goes to the {@link FailureAction}. The default.
   *
   * @return the policy
   */
  public static RetryPolicy none() {
    return NONE;
  }

  /**
   * Starts describing a policy.
   *
   * @return a builder with 3 attempts, exponential backoff from 200 ms (factor 2, at most 10 s), at
   *     most 5 minutes, and every exception retryable
   */
  public static Builder builder() {
    return new Builder();
  }

  /**
   * Adopts a Resilience4j {@link RetryConfig}: its maximum attempts, interval function and
   * exception predicate. Its result predicate is ignored (handlers return nothing). The runner does
   * not use Resilience4j's {@code Retry}, which would sleep in the calling thread.
   *
   * @param config the configuration
   * @return the policy, with a maximum duration of 5 minutes
   */
  public static RetryPolicy from(RetryConfig config) {
    Objects.requireNonNull(config, "config");
    io.github.resilience4j.core.IntervalBiFunction<Object> function =
        config.getIntervalBiFunction();
    Predicate<Throwable> predicate = config.getExceptionPredicate();
    return new RetryPolicy(
        config.getMaxAttempts(),
        (attempt, error) -> function.apply(attempt, Either.left(error)),
        Builder.DEFAULT_MAX_DURATION,
        predicate);
  }

  /**
   * Returns the most attempts per record, the first included.
   *
   * @return at least 1
   */
  public int maxAttempts() {
    return maxAttempts;
  }

  /**
   * Returns how long after the first failure a retry may still start.
   *
   * @return the duration
   */
  public Duration maxDuration() {
    return maxDuration;
  }

  /**
   * Returns the wait before the next attempt.
   *
   * @param failedAttempts attempts made so far, at least 1
   * @param error the last failure
   * @return the wait
   */
  public Duration delay(int failedAttempts, Throwable error) {
    Long millis = interval.apply(failedAttempts, error);
    return Duration.ofMillis(millis == null ? 0 : Math.max(0, millis));
  }

  /**
   * Tells whether a failure may be retried at all.
   *
   * @param error the failure
   * @return false for a {@link DeserializationFailure} and for failures the classifier rejects
   */
  public boolean isRetryable(Throwable error) {
    return !(error instanceof DeserializationFailure) && retryable.test(error);
  }

  @Override
  public String toString() {
    return "RetryPolicy[maxAttempts=" + maxAttempts + ", maxDuration=" + maxDuration + "]";
  }

  /** Describes a {@link RetryPolicy}. Not thread-safe; {@link #build()} validates. */
  public static final class Builder {
    private static final Duration DEFAULT_MAX_DURATION = Duration.ofMinutes(5);

    private int maxAttempts = 3;
    private IntervalFunction backoff =
        IntervalFunction.ofExponentialBackoff(Duration.ofMillis(200), 2.0, Duration.ofSeconds(10));
    private Duration maxDuration = DEFAULT_MAX_DURATION;
    private Predicate<Throwable> retryOn = error -> true;
    private final List<Class<? extends Throwable>> nonRetryable = new ArrayList<>();

    private Builder() {}

    /**
     * Sets the most attempts per record, the first included.
     *
     * @param maxAttempts at least 1; default 3
     * @return this builder
     */
    public Builder maxAttempts(int maxAttempts) {
      this.maxAttempts = maxAttempts;
      return this;
    }

    /**
     * Sets the wait before each retry: {@code backoff.apply(n)} after the n-th failed attempt.
     *
     * @param backoff for example {@code IntervalFunction.ofExponentialBackoff(...)}; default
     *     exponential from 200 ms, factor 2, at most 10 s
     * @return this builder
     */
    public Builder backoff(IntervalFunction backoff) {
      this.backoff = Objects.requireNonNull(backoff, "backoff");
      return this;
    }

    /**
     * Sets how long after the first failure a retry may still start; later, the {@link
     * FailureAction} decides even if attempts remain.
     *
     * @param maxDuration positive; default 5 minutes
     * @return this builder
     */
    public Builder maxDuration(Duration maxDuration) {
      this.maxDuration = Objects.requireNonNull(maxDuration, "maxDuration");
      return this;
    }

    /**
     * Sets the failure classifier: failures it rejects go straight to the {@link FailureAction}.
     *
     * @param retryOn true for failures worth retrying; default every failure
     * @return this builder
     */
    public Builder retryOn(Predicate<Throwable> retryOn) {
      this.retryOn = Objects.requireNonNull(retryOn, "retryOn");
      return this;
    }

    /**
     * Marks exception types (and their subclasses) as not retryable, in addition to {@link
     * #retryOn(Predicate)}.
     *
     * @param types exception classes
     * @return this builder
     */
    @SafeVarargs
    public final Builder nonRetryable(Class<? extends Throwable>... types) {
      for (Class<? extends Throwable> type : types) {
        nonRetryable.add(Objects.requireNonNull(type, "type"));
      }
      return this;
    }

    /**
     * Validates and creates the policy.
     *
     * @return the policy
     * @throws SdkConfigException if {@code maxAttempts} is below 1 or {@code maxDuration} is not
     *     positive
     */
    public RetryPolicy build() {
      if (maxAttempts < 1) {
        throw new SdkConfigException(
            "retry.maxAttempts",
            "must be at least 1, was " + maxAttempts,
            "use 1 for no retries, or more");
      }
      if (maxDuration.isNegative() || maxDuration.isZero()) {
        throw new SdkConfigException(
            "retry.maxDuration", "must be positive, was " + maxDuration, "use a positive duration");
      }
      List<Class<? extends Throwable>> excluded = List.copyOf(nonRetryable);
      Predicate<Throwable> classifier = retryOn;
      IntervalFunction function = backoff;
      return new RetryPolicy(
          maxAttempts,
          (attempt, error) -> function.apply(attempt),
          maxDuration,
          error ->
              excluded.stream().noneMatch(type -> type.isInstance(error))
                  && classifier.test(error));
    }
  }
}
