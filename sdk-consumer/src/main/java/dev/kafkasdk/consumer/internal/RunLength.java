package dev.kafkasdk.consumer.internal;

import java.util.concurrent.TimeUnit;
import java.util.concurrent.atomic.AtomicLong;

/**
 * How many records one unit takes for a record handler without a circuit breaker or rate limiter:
 * as many as the handler gets through in about {@link #RUN_TARGET_NANOS}, from a moving average of
 * one handler call that workers update once per run.
 *
 * <p>A lane runs serially anyway, so a long run costs it no parallelism, and a short one lets a
 * worker serve other lanes; unordered records are spread so that every worker gets some, unless the
 * units would take less than {@link #SPREAD_FLOOR_NANOS}.
 */
final class RunLength {
  /** The run length of a record handler before its speed is known. */
  static final int RECORD_RUN = 64;

  /** The longest run: about a poll's worth of one partition. */
  static final int MAX_RECORD_RUN = 512;

  /**
   * How long a run should take: long enough that the hand-off is noise for a cheap handler, short
   * enough that a worker moves between lanes often when the handler is slow.
   */
  static final long RUN_TARGET_NANOS = TimeUnit.MILLISECONDS.toNanos(1);

  /**
   * The least handler time an unordered unit is cut down to when a poll is spread over the workers:
   * a worker's wake-up and hand-off cost a few microseconds, so units of 100 us keep them at a few
   * percent. Spreading every 500 records of a cheap handler into units of 125 cost the
   * light-handler benchmark's UNORDERED workers 120-140 ns of CPU per record; with this floor, 100
   * (PARTITION's workers, one run per poll and partition: 59-77).
   */
  static final long SPREAD_FLOOR_NANOS = TimeUnit.MICROSECONDS.toNanos(100);

  private final int parallelism;

  /**
   * A moving average of one record handler call, updated once per run; 0 until the first run. Racy
   * updates from several workers only blur an estimate that merely sizes runs.
   */
  private volatile long recordNanos;

  /**
   * The same average, but each run's figure counts for at most {@link #OUTLIER_FACTOR} times the
   * current one: a run that a GC pause, a descheduled thread or a JIT compilation stretched moves
   * it little, while a handler that really turns slow raises it by more than a third per run. It
   * decides the fast path ({@link #cheap}), which a single outlier should not turn off; run lengths
   * keep the plain average, which follows a slow handler at once.
   */
  private volatile long typicalNanos;

  /**
   * How many runs were timed, up to {@link #trustedAfterRuns}: the typical call is trusted from
   * then on, and the count is only read.
   */
  private final AtomicLong timedRuns = new AtomicLong();

  /** How far above the typical call one run's figure counts. */
  static final int OUTLIER_FACTOR = 4;

  RunLength(int parallelism) {
    this.parallelism = Math.max(1, parallelism);
  }

  /**
   * Runs to time before the typical call decides the fast path: twice as many as calls can run at
   * once. The first calls of a handler that waits for other calls (say, until eight are in it at
   * once) are quick only because they ran side by side; trusting them turned the fast path on for
   * the next poll's few records, which then ran one at a time and never met.
   */
  private long trustedAfterRuns() {
    return 2L * parallelism;
  }

  /** A run handled records at {@code nanosPerRecord} each. Worker thread. */
  void timed(long nanosPerRecord) {
    if (timedRuns.get() < trustedAfterRuns()) {
      timedRuns.incrementAndGet();
    }
    long mean = recordNanos;
    recordNanos = mean == 0 ? nanosPerRecord : mean + (nanosPerRecord - mean) / 8;
    long typical = typicalNanos;
    typicalNanos =
        typical == 0
            ? Math.max(1, nanosPerRecord)
            : typical + (Math.min(nanosPerRecord, OUTLIER_FACTOR * typical) - typical) / 8;
  }

  /**
   * The run length for {@code records} polled records: between 1 and {@link #MAX_RECORD_RUN};
   * {@link #RECORD_RUN} before the first run was timed. Poll thread.
   *
   * @param ordered whether the records go to a lane; unordered ones are spread over the workers
   */
  int of(int records, boolean ordered) {
    long mean = recordNanos;
    int run =
        mean <= 0
            ? RECORD_RUN
            : (int) Math.max(1, Math.min(MAX_RECORD_RUN, RUN_TARGET_NANOS / Math.max(1, mean)));
    if (ordered) {
      return run;
    }
    // Spreading a poll over the workers costs a worker wake-up per unit: it stops at units of
    // about SPREAD_FLOOR_NANOS of handler time, so that the wake-up stays a few percent of a unit.
    int floor = mean <= 0 ? 1 : (int) Math.min(Integer.MAX_VALUE, SPREAD_FLOOR_NANOS / mean);
    return Math.min(run, Math.max(floor, sharePerWorker(records)));
  }

  /**
   * Whether {@code records} handler calls take no longer than one run should, at the measured
   * speed: then KEY ordering may run them in offset order on one lane ({@link LaneRouter}). False
   * until {@link #trustedAfterRuns} runs were timed. It holds for a poll of a few records too: on
   * one lane they start as soon as the poll ends, where each key lane's unit would wait for a
   * worker's hand-off (requiring a dozen records per partition made the latency benchmark's p99
   * 1.2-1.4 times the raw loop's, against 1.05-1.11 with the one lane). Poll thread.
   */
  boolean cheap(int records) {
    long typical = typicalNanos;
    return timedRuns.get() >= trustedAfterRuns()
        && typical > 0
        && typical * records <= RUN_TARGET_NANOS;
  }

  /**
   * The typical handler time per record, for the in-flight window ({@link FlowWindow}); 0 until as
   * many runs were timed as {@link #cheap} requires. The outlier-damped average, like the fast
   * path: with the plain one, a single run that a collection or JIT compilation stretched shrank
   * the window of a cheap handler back to the defaults (seen in {@code InFlightWindowTest} on a
   * cold JVM). A handler that really turns slow raises it by more than a third per run. Any thread.
   */
  long nanosPerRecord() {
    return timedRuns.get() >= trustedAfterRuns() ? Math.max(1, typicalNanos) : 0;
  }

  /** {@code count} spread over the workers: how many each gets, at least 1. */
  private int sharePerWorker(int count) {
    return Math.max(1, (count + parallelism - 1) / parallelism);
  }
}
