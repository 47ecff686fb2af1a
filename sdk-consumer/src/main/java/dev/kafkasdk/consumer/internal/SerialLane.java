package dev.kafkasdk.consumer.internal;

import java.util.ArrayList;
import java.util.List;
import java.util.Queue;
import java.util.concurrent.ConcurrentLinkedQueue;
import java.util.concurrent.RejectedExecutionException;
import java.util.concurrent.atomic.AtomicBoolean;
import org.apache.kafka.clients.consumer.ConsumerRecord;

/**
 * Runs work one item at a time, in submission order: the unit of ordering (a partition, or a key
 * within a partition). A lane with an item to run waits on the {@link ReadyLanes} queue, where any
 * idle worker takes it; after each item it goes to the back of that queue, so a busy lane cannot
 * starve others and a blocked one holds only the thread it runs on.
 *
 * <p>The lane hands over from one item to the next on the worker thread, without waiting for the
 * poll thread, so ordered processing runs at handler speed. An item that must wait (a retry, an
 * open circuit, a dead letter in flight) keeps the lane blocked without holding a thread: the lane
 * stays marked as scheduled until {@link #resume} or {@link #release} is called.
 */
final class SerialLane<K, V> {
  private final Object key;
  private final ReadyLanes<K, V> ready;
  private final AttemptRunner<K, V> attempts;
  private final WorkLedger<K, V> ledger;
  private final Queue<Work<K, V>> queue = new ConcurrentLinkedQueue<>();

  /**
   * Whether this is the partition lane of KEY ordering's fast path: a record that fails in it is
   * handed back to its key lane instead of holding the whole partition ({@link LaneRouter}).
   */
  private final boolean handsBack;

  /**
   * Set while the lane is on the ready queue, running an item or blocked by one: whoever sets it
   * owns making the lane ready again.
   */
  private final AtomicBoolean scheduled = new AtomicBoolean();

  /** Work to run again before anything queued; handed over through the ready queue. */
  private volatile Work<K, V> again;

  /** Work submitted and not yet reported back to the poll thread; poll thread only. */
  int pendingWork;

  /** Records of this lane gathered from the poll being dispatched; poll thread only. */
  List<ConsumerRecord<byte[], byte[]>> polled;

  /**
   * Creates an idle lane.
   *
   * @param key what the lane orders: a partition or a key
   * @param ready where the lane waits for a worker when it has an item to run
   * @param attempts runs the lane's items
   * @param ledger takes the items the executor refuses
   * @param handsBack whether this is the partition lane of KEY ordering's fast path
   */
  SerialLane(
      Object key,
      ReadyLanes<K, V> ready,
      AttemptRunner<K, V> attempts,
      WorkLedger<K, V> ledger,
      boolean handsBack) {
    this.key = key;
    this.handsBack = handsBack;
    this.ready = ready;
    this.attempts = attempts;
    this.ledger = ledger;
  }

  @Override
  public String toString() {
    return "lane of " + key;
  }

  /**
   * Queues work without making the lane ready: returns true if the lane was idle, and the caller
   * must then hand it to the {@link ReadyLanes}. The caller can so start many lanes at once.
   */
  boolean enqueueIdle(Work<K, V> work) {
    queue.add(work);
    return scheduled.compareAndSet(false, true);
  }

  /**
   * The executor refused to run the lane: report its waiting work (and the work to run again, if
   * any) as rejected, and leave the lane idle.
   */
  void strand(RejectedExecutionException e) {
    List<Work<K, V>> stranded = new ArrayList<>();
    Work<K, V> retried = again;
    again = null;
    if (retried != null) {
      stranded.add(retried);
    }
    for (Work<K, V> work; (work = queue.poll()) != null; ) {
      stranded.add(work);
    }
    scheduled.set(false);
    ledger.rejected(stranded, e);
  }

  /**
   * Runs the lane's next item on the calling worker, which took the lane from the ready queue.
   *
   * @return true if the item is over and more work is queued: the lane is still scheduled and the
   *     caller must put it back on the ready queue; false if the lane is idle or blocked
   */
  boolean runNext() {
    Work<K, V> work = again;
    again = null;
    if (work == null) {
      work = queue.poll();
    }
    if (work != null) {
      try {
        if (!attempts.run(work)) {
          return false;
        }
      } catch (Throwable error) {
        // Not the handler's failure (run decides those) but a bug or an Error: the work fails and
        // the lane stays blocked, so no later record of the lane runs ahead of it.
        attempts.crashed(work, error);
        return false;
      }
    }
    scheduled.set(false);
    return claim();
  }

  /** Runs waiting work again; the lane is still blocked by it. Any thread. */
  void resume(Work<K, V> work) {
    again = work;
    ready.ready(this);
  }

  /** The current item is over: go on with the next. Any thread. */
  void release() {
    scheduled.set(false);
    if (claim()) {
      ready.ready(this);
    }
  }

  /** Whether a failing record in this lane is handed back to its key lane. */
  boolean handsBack() {
    return handsBack;
  }

  /**
   * Takes every queued item out of the lane, in order. Poll thread, only while the lane is blocked
   * by work that was {@linkplain Outcome#HANDED_BACK handed back}: nothing else takes from the
   * queue then.
   */
  List<Work<K, V>> takeQueued() {
    List<Work<K, V>> taken = new ArrayList<>();
    for (Work<K, V> work; (work = queue.poll()) != null; ) {
      taken.add(work);
    }
    return taken;
  }

  /**
   * The work that blocked the lane was handed back and its queue taken: the lane is idle again.
   * Poll thread.
   */
  void handedBack() {
    scheduled.set(false);
  }

  /** Marks the idle lane scheduled if it has queued work; true if the caller must make it ready. */
  private boolean claim() {
    return !queue.isEmpty() && scheduled.compareAndSet(false, true);
  }
}
