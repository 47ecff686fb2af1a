package dev.kafkasdk.consumer.internal;

import java.time.Duration;

/**
 * When a runner or one of its loops must have stopped. Several threads may ask for a stop with
 * different timeouts (a {@code close(timeout)}, a shutdown hook, a failure); the earliest deadline
 * wins, so no caller waits past what it asked for. Any thread.
 */
final class StopDeadline {
  // Written under the lock, read without it: the deadline is written before the flag, so a reader
  // that sees the flag also sees a deadline.
  private volatile boolean requested;
  private volatile long deadlineNanos;

  /** Asks for a stop within {@code timeout}; an earlier deadline already asked for stays. */
  synchronized void request(Duration timeout) {
    long deadline = System.nanoTime() + timeout.toNanos();
    if (!requested || deadline - deadlineNanos < 0) {
      deadlineNanos = deadline;
    }
    requested = true;
  }

  /** Whether a stop was asked for. */
  boolean requested() {
    return requested;
  }

  /**
   * The deadline in {@link System#nanoTime()} terms, or {@code ifNotRequested} from now when no
   * stop was asked for (the runner stops on its own, after a failure).
   */
  long deadlineNanos(Duration ifNotRequested) {
    return requested ? deadlineNanos : System.nanoTime() + ifNotRequested.toNanos();
  }

  /**
   * What is left until the deadline, at least {@code floor}; {@code ifNotRequested} when no stop
   * was asked for.
   */
  Duration left(Duration ifNotRequested, Duration floor) {
    if (!requested) {
      return ifNotRequested;
    }
    Duration left = Duration.ofNanos(deadlineNanos - System.nanoTime());
    return left.compareTo(floor) < 0 ? floor : left;
  }
}
