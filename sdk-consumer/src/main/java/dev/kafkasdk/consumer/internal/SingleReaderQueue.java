package dev.kafkasdk.consumer.internal;

import java.lang.invoke.MethodHandles;
import java.lang.invoke.VarHandle;
import java.util.AbstractQueue;
import java.util.Iterator;
import java.util.concurrent.ConcurrentLinkedQueue;
import java.util.concurrent.atomic.LongAdder;
import java.util.concurrent.locks.LockSupport;

/**
 * A lock-free queue that many threads add to and one thread reads, which can wait for an item:
 * where workers report completions to the poll thread ({@link CompletionInbox}).
 *
 * <p>Why not a {@code LinkedBlockingQueue}: every add takes its put lock, and an add to an empty
 * queue also its take lock to signal the reader. With 1,000 workers finishing 5 ms calls on two
 * cores, workers queued for the put lock and were parked and woken for it (about one park in 30
 * records in the io-bound benchmark's flight recording, see docs/benchmarks.md), on top of the one
 * wake-up per call the handler's own sleep costs. Here an add is a lock-free enqueue, and a writer
 * wakes the reader only when the reader waits, and then only the first writer does: one wake-up per
 * wait, however many writers add meanwhile.
 *
 * @param <E> the item type
 */
final class SingleReaderQueue<E> extends AbstractQueue<E> {
  private static final VarHandle WAITING;

  static {
    try {
      WAITING =
          MethodHandles.lookup().findVarHandle(SingleReaderQueue.class, "waiting", Thread.class);
    } catch (ReflectiveOperationException e) {
      throw new ExceptionInInitializerError(e);
    }
  }

  private final ConcurrentLinkedQueue<E> items = new ConcurrentLinkedQueue<>();

  /** The reader while it waits for an item, else null; a writer that clears it wakes the reader. */
  @SuppressWarnings("unused") // through WAITING
  private volatile Thread waiting;

  /** How often a writer woke the waiting reader: what a test counts. */
  private final LongAdder wakeUps = new LongAdder();

  /** Adds the item and, if the reader waits and no other writer woke it yet, wakes it. */
  @Override
  public boolean offer(E item) {
    items.offer(item);
    // The enqueue above and the read below are ordered (a CAS, then a volatile read); so are the
    // reader's publishing of itself and its poll. So either this writer sees the reader waiting, or
    // the reader sees the item: no wake-up is lost.
    Thread reader = waiting;
    if (reader != null && WAITING.compareAndSet(this, reader, null)) {
      wakeUps.increment();
      LockSupport.unpark(reader);
    }
    return true;
  }

  @Override
  public E poll() {
    return items.poll();
  }

  /**
   * Takes the next item, waiting up to {@code timeoutNanos} for one. Reader thread only.
   *
   * @param timeoutNanos the longest wait
   * @return the item, or null if none came in time
   * @throws InterruptedException if the reader is interrupted while waiting
   */
  E poll(long timeoutNanos) throws InterruptedException {
    E item = items.poll();
    if (item != null || timeoutNanos <= 0) {
      return item;
    }
    long deadline = System.nanoTime() + timeoutNanos;
    Thread reader = Thread.currentThread();
    try {
      for (; ; ) {
        item = items.poll();
        if (item != null) {
          return item;
        }
        if (waiting == null) {
          // Publish this reader, then look once more before parking. After a wake-up the reader
          // looks first and publishes itself only if still nothing came, so the writers that add
          // while it takes the item that woke it do not wake it again.
          waiting = reader;
          continue;
        }
        long left = deadline - System.nanoTime();
        if (left <= 0) {
          return null;
        }
        LockSupport.parkNanos(this, left);
        if (Thread.interrupted()) {
          throw new InterruptedException();
        }
      }
    } finally {
      waiting = null;
    }
  }

  @Override
  public E peek() {
    return items.peek();
  }

  @Override
  public int size() {
    return items.size();
  }

  @Override
  public boolean isEmpty() {
    return items.isEmpty();
  }

  @Override
  public Iterator<E> iterator() {
    return items.iterator();
  }

  /** Whether the reader waits now. */
  boolean readerWaits() {
    return waiting != null;
  }

  /** How many times a writer has woken the waiting reader. */
  long wakeUps() {
    return wakeUps.sum();
  }
}
