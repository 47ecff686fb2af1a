package dev.kafkasdk.consumer.internal;

import java.util.ArrayList;
import java.util.List;
import java.util.Queue;
import java.util.concurrent.ConcurrentLinkedQueue;
import java.util.concurrent.RejectedExecutionException;
import java.util.concurrent.atomic.AtomicBoolean;
import org.apache.kafka.clients.consumer.ConsumerRecord;

/**
 * Runs work one item at a time, in submission order, on a shared executor: the unit of ordering (a
 * partition, or a key within a partition). At most one task per lane is queued in or running on the
 * executor; after each item the lane re-queues itself, so a busy lane cannot starve others.
 *
 * <p>The lane hands over from one item to the next on the worker thread, without waiting for the
 * poll thread, so ordered processing runs at handler speed. An item that must wait (a retry, an
 * open circuit, a dead letter in flight) keeps the lane blocked without holding a thread: the lane
 * stays marked as scheduled until {@link #resume} or {@link #release} is called.
 */
final class SerialLane<K, V> implements Runnable {
  private final Dispatcher<K, V> dispatcher;
  private final Object key;
  private final Queue<Work<K, V>> queue = new ConcurrentLinkedQueue<>();
  private final AtomicBoolean scheduled = new AtomicBoolean();

  /** Work to run again before anything queued; handed over through the executor. */
  private volatile Work<K, V> again;

  /** Work submitted and not yet reported back to the poll thread; poll thread only. */
  int pendingWork;

  /** Records of this lane gathered from the poll being dispatched; poll thread only. */
  List<ConsumerRecord<byte[], byte[]>> polled;

  SerialLane(Dispatcher<K, V> dispatcher, Object key) {
    this.dispatcher = dispatcher;
    this.key = key;
  }

  @Override
  public String toString() {
    return "lane of " + key;
  }

  /**
   * Queues work without submitting the lane: returns true if the lane was idle, and the caller must
   * then start it (with {@link #run()} on a worker, or {@link #startRejected} if the executor
   * refuses). The caller can so start many lanes in one task.
   */
  boolean enqueueIdle(Work<K, V> work) {
    queue.add(work);
    return scheduled.compareAndSet(false, true);
  }

  /** A start claimed by {@link #enqueueIdle} was refused by the executor: strand the work. */
  void startRejected(RejectedExecutionException e) {
    scheduled.set(false);
    List<Work<K, V>> stranded = new ArrayList<>();
    for (Work<K, V> work; (work = queue.poll()) != null; ) {
      stranded.add(work);
    }
    dispatcher.rejected(stranded, e);
  }

  @Override
  public void run() {
    Work<K, V> work = again;
    again = null;
    if (work == null) {
      work = queue.poll();
    }
    boolean over = true;
    try {
      if (work != null) {
        over = dispatcher.run(work);
      }
    } finally {
      if (over) {
        release();
      }
    }
  }

  /** Runs waiting work again; the lane is still blocked by it. Any thread. */
  void resume(Work<K, V> work) {
    again = work;
    try {
      dispatcher.execute(this);
    } catch (RejectedExecutionException e) {
      again = null;
      List<Work<K, V>> stranded = new ArrayList<>();
      stranded.add(work);
      for (Work<K, V> queued; (queued = queue.poll()) != null; ) {
        stranded.add(queued);
      }
      scheduled.set(false);
      dispatcher.rejected(stranded, e);
    }
  }

  /** The current item is over: go on with the next. Any thread. */
  void release() {
    scheduled.set(false);
    schedule();
  }

  private void schedule() {
    if (!queue.isEmpty() && scheduled.compareAndSet(false, true)) {
      try {
        dispatcher.execute(this);
      } catch (RejectedExecutionException e) {
        startRejected(e);
      }
    }
  }
}
