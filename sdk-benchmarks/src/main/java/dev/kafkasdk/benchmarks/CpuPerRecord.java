package dev.kafkasdk.benchmarks;

import java.util.function.LongSupplier;

/**
 * CPU time per record over the steady part of a consumer trial: of the threads that poll, of the
 * runner's workers, and of the whole JVM (broker included). On a machine whose cores are all busy,
 * these say where a variant's extra time goes better than its rate does.
 */
final class CpuPerRecord {
  private final LongSupplier pollCpu;
  private final LongSupplier workerCpu;
  private final long poll0;
  private final long workers0;
  private final long process0;
  private final long records0;

  private CpuPerRecord(LongSupplier pollCpu, LongSupplier workerCpu, long records0) {
    this.pollCpu = pollCpu;
    this.workerCpu = workerCpu;
    this.records0 = records0;
    this.poll0 = pollCpu.getAsLong();
    this.workers0 = workerCpu.getAsLong();
    this.process0 = CpuClock.processNanos();
  }

  /** Starts counting on the calling thread, which polls and handles: the raw poll loop. */
  static CpuPerRecord onThisThread(long handledSoFar) {
    return new CpuPerRecord(CpuClock::currentThreadNanos, () -> 0, handledSoFar);
  }

  /**
   * Starts counting the calling thread, which polls, and the threads named {@code
   * <prefix>-worker-N}, which handle: the raw worker-pool loop.
   */
  static CpuPerRecord onThisThreadAndWorkers(String prefix, long handledSoFar) {
    long[] workers = CpuClock.threadsNamed(prefix + "-worker-");
    return new CpuPerRecord(
        CpuClock::currentThreadNanos, () -> CpuClock.threadsNanos(workers), handledSoFar);
  }

  /**
   * Starts counting the threads of a running SDK runner, found by name: its poll threads ({@code
   * <name>-poll-N}) and workers ({@code <name>-worker-N}).
   */
  static CpuPerRecord ofRunner(String runnerName, long handledSoFar) {
    long[] poll = CpuClock.threadsNamed(runnerName + "-poll-");
    long[] workers = CpuClock.threadsNamed(runnerName + "-worker-");
    return new CpuPerRecord(
        () -> CpuClock.threadsNanos(poll), () -> CpuClock.threadsNanos(workers), handledSoFar);
  }

  /**
   * As {@link #ofRunner(String, long)} for a share-group runner, whose workers are named {@code
   * <name>-share-<consumer>-N}.
   */
  static CpuPerRecord ofShareRunner(String runnerName, long handledSoFar) {
    long[] poll = CpuClock.threadsNamed(runnerName + "-poll-");
    long[] workers = CpuClock.threadsNamed(runnerName + "-share-");
    return new CpuPerRecord(
        () -> CpuClock.threadsNanos(poll), () -> CpuClock.threadsNanos(workers), handledSoFar);
  }

  /** The trial with {@code poll_ns/rec}, {@code worker_ns/rec} and {@code cpu_ns/rec} added. */
  Trial addTo(Trial trial, long handled) {
    double records = Math.max(1, handled - records0);
    return trial
        .withExtra("poll_ns/rec", (pollCpu.getAsLong() - poll0) / records)
        .withExtra("worker_ns/rec", (workerCpu.getAsLong() - workers0) / records)
        .withExtra("cpu_ns/rec", (CpuClock.processNanos() - process0) / records);
  }
}
