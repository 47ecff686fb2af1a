package dev.kafkasdk.consumer.internal;

import java.util.List;
import java.util.Queue;
import java.util.concurrent.ConcurrentLinkedQueue;
import java.util.concurrent.Executor;
import java.util.concurrent.RejectedExecutionException;
import java.util.concurrent.atomic.AtomicInteger;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;

/**
 * Lanes with an item to run, and the drainer tasks on the executor that run them.
 *
 * <p>Lanes are not assigned to workers: they wait on one ready queue, and up to {@code parallelism}
 * drainer tasks take them one item at a time. So any idle worker takes any ready lane, and a lane
 * whose record blocks holds only the thread it runs on. A drainer goes on to the next ready lane on
 * its own thread, and the shared state it touches per item is the queue alone, so with many keys
 * and cheap handlers a partition's poll starts at most one task per worker, not one per key or per
 * item.
 */
final class ReadyLanes<K, V> {
  private static final Logger log = LoggerFactory.getLogger(ReadyLanes.class);

  private final Executor executor;
  private final int parallelism;

  /** Lanes with an item to run, waiting for a drainer; a lane is here at most once. */
  private final Queue<SerialLane<K, V>> readyLanes = new ConcurrentLinkedQueue<>();

  /** Drainer tasks submitted and not yet ended; at most {@link #parallelism}. */
  private final AtomicInteger drainers = new AtomicInteger();

  ReadyLanes(DispatchContext.Workers workers) {
    this.executor = workers.executor();
    this.parallelism = workers.parallelism();
  }

  /**
   * Makes lanes that were idle when work was queued for them ready, starting up to one drainer per
   * lane while places are free. Poll thread only.
   */
  void start(List<SerialLane<K, V>> lanes) {
    if (lanes.isEmpty()) {
      return;
    }
    readyLanes.addAll(lanes);
    for (int i = 0; i < lanes.size() && addDrainer(); i++) {
      startDrainer();
    }
  }

  /**
   * The lane, marked scheduled, has an item to run: queue it for a drainer, and start one unless
   * all places are taken (then a drainer takes the lane when it is done with its current item). Any
   * thread.
   */
  void ready(SerialLane<K, V> lane) {
    readyLanes.add(lane);
    if (addDrainer()) {
      startDrainer();
    }
  }

  /** Counts one more drainer unless all {@link #parallelism} places are taken. */
  private boolean addDrainer() {
    for (int count; (count = drainers.get()) < parallelism; ) {
      if (drainers.compareAndSet(count, count + 1)) {
        return true;
      }
    }
    return false;
  }

  private void startDrainer() {
    try {
      executor.execute(this::drain);
    } catch (RejectedExecutionException e) {
      if (drainers.decrementAndGet() == 0) {
        // No drainer is left to take the ready lanes: report their work as rejected.
        for (SerialLane<K, V> lane; (lane = readyLanes.poll()) != null; ) {
          lane.strand(e);
        }
      }
    }
  }

  /**
   * A drainer: runs one item of each ready lane in turn, putting a lane with more work at the back
   * of the queue, until no lane is ready.
   */
  private void drain() {
    for (; ; ) {
      SerialLane<K, V> lane = readyLanes.poll();
      if (lane == null) {
        // Leave, then look once more: a lane made ready meanwhile either saw this drainer's place
        // free and started another, or is found here.
        drainers.decrementAndGet();
        if (readyLanes.isEmpty() || !addDrainer()) {
          return;
        }
        continue;
      }
      boolean more = false;
      try {
        more = lane.runNext();
      } catch (Throwable e) {
        // Even reporting the failure failed: the lane stays blocked, and the other lanes go on.
        log.error("failed to report a failure in {}; it stays blocked", lane, e);
      }
      if (more) {
        readyLanes.add(lane);
      }
      if (Thread.currentThread().isInterrupted()) {
        // The application interrupted this thread (a handler call saw it): end the task with the
        // flag still set, so the executor acts on it and no other lane's handler call starts on an
        // interrupted thread. Another drainer, in a new task, takes the lanes still ready.
        drainers.decrementAndGet();
        if (!readyLanes.isEmpty() && addDrainer()) {
          startDrainer();
        }
        return;
      }
    }
  }
}
