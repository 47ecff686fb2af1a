package dev.kafkasdk.consumer.internal;

import dev.kafkasdk.consumer.HandlerFailedException;
import java.util.List;
import java.util.Queue;
import java.util.concurrent.atomic.AtomicInteger;

/**
 * The dispatcher's accounts: records queued and not yet started, handler calls running now (across
 * all partitions, and per partition through {@link PartitionState#enter()}), the open runs of each
 * partition, the meters of reported records, and the completion queue the poll thread applies.
 *
 * <p>The halt flag lives here, next to the running count it pairs with: the poll thread sets it (or
 * revokes a partition) and then waits for the counts to reach zero. So a worker {@linkplain #enter
 * counts itself as running} before it looks at either flag ({@link #stopping}), and {@linkplain
 * #finish reports} before it stops counting itself: either the poll thread sees the worker, or the
 * worker sees the flag, and a waiter that sees zero finds every report queued.
 */
final class WorkLedger<K, V> {
  private final AtomicInteger running = new AtomicInteger();
  private final AtomicInteger queued;
  private final Queue<Completion<K, V>> completions;
  private final RunnerMetrics metrics;
  private volatile boolean halted;

  WorkLedger(DispatchContext.Reports<K, V> reports) {
    this.queued = reports.queued();
    this.completions = reports.completions();
    this.metrics = reports.metrics();
  }

  /** Handler calls running now (and dead letters being published), across all partitions. */
  int running() {
    return running.get();
  }

  /** After this, workers start nothing new: queued and waiting work is abandoned. */
  void halt() {
    halted = true;
  }

  /** Whether the runner halted. */
  boolean halted() {
    return halted;
  }

  /**
   * Whether workers start nothing more of the partition: the runner halted or the partition was
   * revoked. Meaningful only while the caller {@linkplain #enter counts as running}.
   */
  boolean stopping(PartitionState<K, V> owner) {
    return halted || owner.isRevoked();
  }

  /** The work was dispatched: its records count as queued until it first runs. */
  void queued(Work<K, V> work) {
    queued.addAndGet(work.records().size());
  }

  /**
   * Work that never ran is taken out of its lane to be queued again in other units (a fast-path run
   * handed back): its records no longer count as queued here.
   */
  void unqueued(Work<K, V> work) {
    queued.addAndGet(-work.records().size());
  }

  /**
   * The work runs for the first time: its records are no longer queued, and a run's finished prefix
   * becomes visible to the poll thread ({@link PartitionState#runStarted}). Later runs of the same
   * work (retries, resumptions) change nothing.
   */
  void started(Work<K, V> work) {
    if (!work.started) {
      work.started = true;
      queued.addAndGet(-work.records().size());
      if (work.isRun()) {
        work.owner().runStarted(work);
      }
    }
  }

  /**
   * Counts a handler call of the partition as running, globally and for the partition. Call this
   * before looking at {@link #stopping}: see the class comment.
   */
  void enter(PartitionState<K, V> owner) {
    running.incrementAndGet();
    owner.enter();
  }

  /** The handler call counted by {@link #enter} is over (or waits without a thread). */
  void leave(PartitionState<K, V> owner) {
    owner.leave();
    running.decrementAndGet();
  }

  /** Reports the completion, then stops counting the work as running. */
  void finish(Work<K, V> work, Outcome outcome, Throwable error) {
    // Report before leaving the running count, so a waiter that sees zero finds the report queued.
    report(work, outcome, error);
    leave(work.owner());
  }

  /**
   * Counts the work's records and queues the completion. Records the failure policy took count as
   * failures; records past the cursor of failed or abandoned work count as failed or abandoned.
   */
  void report(Work<K, V> work, Outcome outcome, Throwable error) {
    if (work.isRun()) {
      work.owner().runEnded(work);
    }
    int size = work.records().size();
    int finished = outcome == Outcome.DONE ? size : work.cursor;
    int unfinished = size - finished;
    metrics.records(
        finished - work.policyHandled,
        work.policyHandled + (outcome == Outcome.FAILED ? unfinished : 0),
        outcome == Outcome.ABANDONED ? unfinished : 0);
    completions.add(new Completion<>(work, outcome, error));
  }

  /**
   * The executor (or the retry timer) refused work, which is not counted as running: report it as
   * failed, or as abandoned when stopping.
   */
  void rejected(List<Work<K, V>> stranded, RuntimeException error) {
    for (Work<K, V> work : stranded) {
      if (!work.started) {
        queued.addAndGet(-work.records().size());
      }
      if (halted || work.owner().isRevoked()) {
        report(work, Outcome.ABANDONED, null);
      } else {
        report(
            work,
            Outcome.FAILED,
            new HandlerFailedException(work.owner().partition(), work.currentOffset(), error));
      }
    }
  }
}
