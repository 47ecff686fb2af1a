package dev.kafkasdk.consumer.internal;

/**
 * What one loop publishes about one assigned partition for its lag gauge and for stuck detection.
 * Written by the owning poll thread, read by any thread (a meter registry, {@code health()}).
 *
 * <p>The partition <em>waits</em> while records of it are polled and not finished or its lag is
 * above zero, and the application has not paused it. {@link #stalledSince()} is when it last
 * started to wait without its commit moving; a commit that moves restarts the clock, and a moment
 * with nothing waiting stops it.
 */
final class PartitionProgress {
  private volatile double lag = Double.NaN;
  private volatile long stalledSince;
  private long lastCommit = Long.MIN_VALUE;

  /** The lag last measured; NaN while unknown. */
  double lag() {
    return lag;
  }

  void lag(double value) {
    lag = value;
  }

  /** {@link System#nanoTime()} since which the partition waits without progress, or 0. */
  long stalledSince() {
    return stalledSince;
  }

  /**
   * Records what the loop sees now. Poll thread only.
   *
   * @param commit the partition's last committed offset, or any value that changes exactly when a
   *     commit of the partition moves forward
   * @param waiting whether records of the partition wait
   * @param nowNanos {@link System#nanoTime()}
   */
  void observe(long commit, boolean waiting, long nowNanos) {
    boolean moved = commit != lastCommit;
    lastCommit = commit;
    if (!waiting) {
      stalledSince = 0;
    } else if (moved || stalledSince == 0) {
      // Never 0 while waiting, since 0 means "not waiting".
      stalledSince = nowNanos == 0 ? 1 : nowNanos;
    }
  }
}
