package dev.kafkasdk.consumer.internal;

import java.util.List;
import java.util.concurrent.CompletableFuture;
import org.apache.kafka.clients.consumer.ConsumerRecord;

/**
 * Calls the application's handler for one unit of work: a record handler once per record of a run,
 * from the cursor on; a batch handler once with the whole unit. Every call is timed for the gate,
 * the meters and the {@link RunLength}, and shown to the slow-handler watch while it runs. What a
 * failure means is for {@link AttemptRunner} to decide. Worker thread.
 */
final class HandlerCaller<K, V> {
  private static final ThreadLocal<Boolean> IN_HANDLER = ThreadLocal.withInitial(() -> false);

  private final HandlerInvoker<K, V> invoker;
  private final Gate gate;
  private final RunnerMetrics metrics;
  private final SlowHandlerWatch watch;
  private final WorkLedger<K, V> ledger;
  private final RunLength runLength;
  // Null unless the retry chain keeps key order.
  private final RetryTopicPublisher keyOrder;

  HandlerCaller(DispatchContext<K, V> context, WorkLedger<K, V> ledger, RunLength runLength) {
    this.invoker = context.invoker();
    this.gate = context.gate();
    this.metrics = context.metrics();
    this.watch = context.watch();
    this.ledger = ledger;
    this.runLength = runLength;
    this.keyOrder = context.failures().keyOrder();
  }

  /**
   * Marks the current thread as inside (or outside) a handler call the share-group runner makes.
   */
  static void inHandler(boolean inside) {
    IN_HANDLER.set(inside);
  }

  /** Tells whether the current thread is inside a handler call of any runner. */
  static boolean inHandler() {
    return IN_HANDLER.get();
  }

  /**
   * Calls the handler for the work's unfinished records. The caller counts as running and the gate
   * admitted the call.
   *
   * @throws HandlerCallFailed with the cursor at the record (or batch) that failed
   */
  void call(Work<K, V> work) throws HandlerCallFailed, NotHandled {
    SlowHandlerWatch.Call call =
        watch.started(
            work.owner().partition(),
            work.currentOffset(),
            work.perRecord() ? 1 : work.records().size());
    IN_HANDLER.set(true);
    try {
      if (work.perRecord()) {
        handleEach(work, call);
      } else {
        handleBatch(work);
      }
    } finally {
      IN_HANDLER.set(false);
      watch.finished(call);
    }
  }

  /**
   * Calls the record handler for each record from the cursor on, moving the cursor past each one
   * that succeeds. Stops early, without an error, if the partition is revoked or the runner stops.
   *
   * @throws HandlerCallFailed with the cursor at the record that failed
   */
  private void handleEach(Work<K, V> work, SlowHandlerWatch.Call call)
      throws HandlerCallFailed, NotHandled {
    List<ConsumerRecord<K, V>> records = work.records();
    PartitionState<K, V> owner = work.owner();
    int first = work.cursor;
    long runStart = System.nanoTime();
    long start = runStart;
    try {
      for (int i = first; i < records.size(); i++) {
        ConsumerRecord<K, V> record = records.get(i);
        if (i > first) {
          if (ledger.stopping(owner)) {
            return;
          }
          watch.next(call, record.offset(), start);
        }
        if (keyOrder != null) {
          CompletableFuture<Void> instead = keyOrder.beforeHandling(work.rawAt(i));
          if (instead != null) {
            throw new NotHandled(instead);
          }
        }
        try {
          invoker.handle(record, work);
        } catch (Throwable error) {
          throw new HandlerCallFailed(error, System.nanoTime() - start);
        }
        if (keyOrder != null) {
          keyOrder.handled(work.rawAt(i));
        }
        long end = System.nanoTime();
        succeeded(end - start);
        if (i == first && work.attempts != 0) {
          // Only the first record of a call can have failed before; the next failure is another
          // record's first.
          work.recordFinished();
        }
        // A release store, not a volatile one, per record: the poll thread only needs to see the
        // progress soon (it reads the cursor before a commit), and the completion orders the rest.
        Work.CURSOR.setRelease(work, i + 1);
        start = end;
      }
    } finally {
      int handled = work.cursor - first;
      if (handled > 0) {
        runLength.timed((start - runStart) / handled);
      }
    }
  }

  /**
   * Calls the batch handler with the whole unit.
   *
   * @throws HandlerCallFailed if the handler threw
   */
  private void handleBatch(Work<K, V> work) throws HandlerCallFailed {
    long start = System.nanoTime();
    try {
      invoker.handleBatch(work);
    } catch (Throwable error) {
      throw new HandlerCallFailed(error, System.nanoTime() - start);
    }
    succeeded(System.nanoTime() - start);
    work.cursor = work.records().size();
  }

  private void succeeded(long nanos) {
    gate.succeeded(nanos);
    metrics.handled(nanos);
  }

  /**
   * The record at the cursor is not for the handler: it follows an earlier record of its key into
   * the retry chain, or is in the chain further on already (a retry chain that keeps key order).
   */
  static final class NotHandled extends Exception {
    private static final long serialVersionUID = 1L;

    /** Completes when the record is done: its send acknowledged, or at once. */
    final transient CompletableFuture<Void> done;

    NotHandled(CompletableFuture<Void> done) {
      super(null, null, false, false);
      this.done = done;
    }
  }

  /** Carries a handler's failure and how long the failed call took. */
  static final class HandlerCallFailed extends Exception {
    private static final long serialVersionUID = 1L;
    final transient long nanos;

    HandlerCallFailed(Throwable cause, long nanos) {
      super(cause);
      this.nanos = nanos;
    }

    @Override
    public synchronized Throwable fillInStackTrace() {
      return this;
    }
  }
}
