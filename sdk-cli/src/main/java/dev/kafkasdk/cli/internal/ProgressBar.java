package dev.kafkasdk.cli.internal;

import java.io.PrintWriter;
import java.util.concurrent.atomic.AtomicLong;
import java.util.function.LongSupplier;

/**
 * A one-line progress bar on standard error, redrawn in place ({@code \r}) at most every 100 ms:
 * {@code replaying [##########----------] 512/1024 (50%)}. Without a known total it shows the count
 * alone. Disabled (no output at all) when standard error is not a terminal or the output is JSON,
 * so scripts and logs never see it; see {@link Output#progress(String, long)}.
 *
 * <p>{@link #advance(long)} may be called from any thread; drawing happens on the caller's thread.
 */
public final class ProgressBar implements AutoCloseable {
  private static final int WIDTH = 20;
  private static final long REDRAW_NANOS = 100_000_000L;

  private final PrintWriter err;
  private final String label;
  private final long total;
  private final boolean enabled;
  private final LongSupplier nanoClock;
  private final AtomicLong done = new AtomicLong();
  private long lastDrawn = Long.MIN_VALUE;
  private boolean closed;

  /**
   * Creates a bar.
   *
   * @param err where to draw
   * @param label what is counted
   * @param total the count at 100%, or 0 or less if unknown
   * @param enabled false to draw nothing
   */
  public ProgressBar(PrintWriter err, String label, long total, boolean enabled) {
    this(err, label, total, enabled, System::nanoTime);
  }

  ProgressBar(PrintWriter err, String label, long total, boolean enabled, LongSupplier nanoClock) {
    this.err = err;
    this.label = label;
    this.total = total;
    this.enabled = enabled;
    this.nanoClock = nanoClock;
  }

  /**
   * Counts {@code n} more done and redraws if the last drawing is old enough.
   *
   * @param n how many more
   */
  public void advance(long n) {
    set(done.addAndGet(n));
  }

  /**
   * Sets the count done and redraws if the last drawing is old enough.
   *
   * @param count done so far
   */
  public void set(long count) {
    done.set(count);
    if (!enabled) {
      return;
    }
    synchronized (this) {
      long now = nanoClock.getAsLong();
      if (!closed && (lastDrawn == Long.MIN_VALUE || now - lastDrawn >= REDRAW_NANOS)) {
        lastDrawn = now;
        err.print("\r" + render(count));
        err.flush();
      }
    }
  }

  /**
   * The count done so far.
   *
   * @return the count
   */
  public long done() {
    return done.get();
  }

  /**
   * The text of the bar for a count (for tests and for logging progress elsewhere).
   *
   * @param count done so far
   * @return for example {@code replaying [##########----------] 512/1024 (50%)}
   */
  public String render(long count) {
    if (total <= 0) {
      return label + " " + count;
    }
    long clamped = Math.max(0, Math.min(count, total));
    int filled = (int) (clamped * WIDTH / total);
    return label
        + " ["
        + "#".repeat(filled)
        + "-".repeat(WIDTH - filled)
        + "] "
        + count
        + "/"
        + total
        + " ("
        + (clamped * 100 / total)
        + "%)";
  }

  /** Draws the final state and ends the line. */
  @Override
  public synchronized void close() {
    if (closed) {
      return;
    }
    closed = true;
    if (enabled) {
      err.println("\r" + render(done.get()));
      err.flush();
    }
  }
}
