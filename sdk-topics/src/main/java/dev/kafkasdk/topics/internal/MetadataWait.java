package dev.kafkasdk.topics.internal;

import dev.kafkasdk.topics.TopicAdminException;
import io.github.resilience4j.core.IntervalFunction;
import java.time.Duration;
import java.util.Objects;
import java.util.concurrent.TimeUnit;
import java.util.function.Function;
import java.util.function.Predicate;
import java.util.function.Supplier;

/**
 * Waits until a committed metadata change (a new topic, new partitions, altered configs) is visible
 * through the Admin client. Brokers apply committed metadata asynchronously, so the first describe
 * after a change may still show the old state.
 *
 * <p>This is a wait for a condition, not a retry of a failed call: every probe succeeds, only its
 * answer is not there yet. The intervals between probes therefore grow exponentially without jitter
 * (20 ms doubling up to 500 ms, a Resilience4j {@link IntervalFunction} like every other backoff in
 * the SDK), and no pause runs past the deadline: the last probe happens at the deadline at the
 * latest.
 */
public final class MetadataWait {
  /** Intervals between probes: 20, 40, 80 ... ms, at most 500 ms. */
  public static final IntervalFunction INTERVALS =
      IntervalFunction.ofExponentialBackoff(Duration.ofMillis(20), 2.0, Duration.ofMillis(500));

  private final Duration timeout;
  private final IntervalFunction intervals;

  /**
   * Creates a wait with the {@link #INTERVALS}.
   *
   * @param timeout how long a wait may take
   */
  public MetadataWait(Duration timeout) {
    this(timeout, INTERVALS);
  }

  /**
   * Creates a wait.
   *
   * @param timeout how long a wait may take
   * @param intervals the pause after the n-th unsuccessful probe, n from 1
   */
  public MetadataWait(Duration timeout, IntervalFunction intervals) {
    this.timeout = Objects.requireNonNull(timeout, "timeout");
    this.intervals = Objects.requireNonNull(intervals, "intervals");
  }

  /**
   * Probes until the answer satisfies the condition or the timeout passes.
   *
   * @param probe asks the cluster; its exceptions propagate
   * @param done whether an answer is the awaited state
   * @param timedOut the exception to throw, given the last answer, when the timeout has passed
   * @param what what is awaited, for the interruption message (for example {@code topic orders})
   * @param <T> the answer type
   * @return the first answer that satisfies the condition
   * @throws TopicAdminException from {@code timedOut}, or when the thread is interrupted
   */
  public <T> T until(
      Supplier<T> probe,
      Predicate<T> done,
      Function<T, TopicAdminException> timedOut,
      String what) {
    long deadline = System.nanoTime() + timeout.toNanos();
    for (int attempt = 1; ; attempt++) {
      T answer = probe.get();
      if (done.test(answer)) {
        return answer;
      }
      long left = deadline - System.nanoTime();
      if (left <= 0) {
        throw timedOut.apply(answer);
      }
      pause(Math.min(TimeUnit.MILLISECONDS.toNanos(intervals.apply(attempt)), left), what);
    }
  }

  private static void pause(long nanos, String what) {
    try {
      TimeUnit.NANOSECONDS.sleep(nanos);
    } catch (InterruptedException e) {
      Thread.currentThread().interrupt();
      throw new TopicAdminException("interrupted while waiting for " + what, e);
    }
  }
}
