package dev.kafkasdk.consumer.internal;

import java.util.ArrayList;
import java.util.List;
import java.util.Queue;
import java.util.concurrent.ConcurrentLinkedQueue;
import java.util.concurrent.RejectedExecutionException;
import java.util.concurrent.atomic.AtomicBoolean;

/**
 * Runs work one item at a time, in submission order, on a shared executor: the unit of ordering (a
 * partition, or a key within a partition). At most one task per lane is queued in or running on the
 * executor; after each item the lane re-queues itself, so a busy lane cannot starve others.
 *
 * <p>The lane hands over from one item to the next on the worker thread, without waiting for the
 * poll thread, so ordered processing runs at handler speed.
 */
final class SerialLane<K, V> implements Runnable {
  private final Dispatcher<K, V> dispatcher;
  private final Object key;
  private final Queue<Work<K, V>> queue = new ConcurrentLinkedQueue<>();
  private final AtomicBoolean scheduled = new AtomicBoolean();

  /** Work submitted and not yet reported back to the poll thread; poll thread only. */
  int pendingWork;

  SerialLane(Dispatcher<K, V> dispatcher, Object key) {
    this.dispatcher = dispatcher;
    this.key = key;
  }

  Object key() {
    return key;
  }

  void enqueue(Work<K, V> work) {
    queue.add(work);
    schedule();
  }

  @Override
  public void run() {
    try {
      Work<K, V> work = queue.poll();
      if (work != null) {
        dispatcher.run(work);
      }
    } finally {
      scheduled.set(false);
      schedule();
    }
  }

  private void schedule() {
    if (!queue.isEmpty() && scheduled.compareAndSet(false, true)) {
      try {
        dispatcher.execute(this);
      } catch (RejectedExecutionException e) {
        scheduled.set(false);
        List<Work<K, V>> stranded = new ArrayList<>();
        for (Work<K, V> work; (work = queue.poll()) != null; ) {
          stranded.add(work);
        }
        dispatcher.rejected(stranded, e);
      }
    }
  }
}
