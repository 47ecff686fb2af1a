package dev.kafkasdk.consumer.internal;

import dev.kafkasdk.consumer.Ordering;
import java.util.ArrayList;
import java.util.List;
import java.util.Queue;
import java.util.concurrent.ConcurrentLinkedQueue;
import java.util.concurrent.Executor;
import java.util.concurrent.RejectedExecutionException;
import java.util.concurrent.atomic.AtomicInteger;
import org.apache.kafka.clients.consumer.ConsumerRecord;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;

/**
 * Turns polled records into units of work, routes them through ordering lanes onto the executor,
 * runs the handler and reports each outcome on the completion queue. The poll thread calls {@link
 * #dispatch} and {@link #settled}; workers call {@link #run}.
 *
 * <p>Records are deserialized one by one in {@link #dispatch} (on the poll thread); a record that
 * cannot be deserialized becomes a unit of its own that goes straight to the failure policy.
 *
 * <p>For a record handler, a unit holds a run of records sized to take about {@link
 * #RUN_TARGET_NANOS} (fewer for unordered work, so every worker gets some), handled one call at a
 * time: a cheap handler then costs one hand-off per run instead of one per record. Each record is
 * still its own attempt: a failure is decided for that record alone, and the records before it are
 * finished, never run again. With a circuit breaker or rate limiter, every record is a unit of its
 * own, so both count calls.
 *
 * <p>Work that must wait (a retry, an open circuit, the rate limit, a dead letter not yet
 * acknowledged) holds its lane but no thread: a timer or the dead letter's acknowledgement resumes
 * it. Until it is done its records stay in flight, so nothing past them is committed.
 */
final class Dispatcher<K, V> {
  private static final Logger log = LoggerFactory.getLogger(Dispatcher.class);

  /** Idle key lanes a partition keeps for reuse before it forgets them. */
  static final int KEY_LANES_KEPT = 1024;

  private final Executor executor;
  private final Ordering ordering;
  private final int parallelism;
  private final WorkLedger<K, V> ledger;
  private final RunLength runLength;
  private final UnitCutter<K, V> cutter;
  private final AttemptRunner<K, V> attempts;

  /** Lanes with an item to run, waiting for a drainer; a lane is here at most once. */
  private final Queue<SerialLane<K, V>> readyLanes = new ConcurrentLinkedQueue<>();

  /** Drainer tasks submitted and not yet ended; at most {@link #parallelism}. */
  private final AtomicInteger drainers = new AtomicInteger();

  Dispatcher(DispatchContext<K, V> context) {
    this.executor = context.executor();
    this.ordering = context.ordering();
    this.parallelism = context.parallelism();
    this.ledger = new WorkLedger<>(context.reports());
    this.runLength = new RunLength(context.parallelism());
    this.cutter = new UnitCutter<>(context, runLength);
    this.attempts =
        new AttemptRunner<>(context, ledger, new HandlerCaller<>(context, ledger, runLength));
  }

  /** Tells whether the current thread is inside a handler call of any runner. */
  static boolean inHandler() {
    return HandlerCaller.inHandler();
  }

  /** Handler calls running now (and dead letters being published), across all partitions. */
  int running() {
    return ledger.running();
  }

  /** After this, workers start nothing new: queued and waiting work is abandoned. */
  void halt() {
    ledger.halt();
  }

  /** Queues one partition's records from one poll. Poll thread only. */
  void dispatch(PartitionState<K, V> state, List<ConsumerRecord<byte[], byte[]>> records) {
    switch (ordering) {
      case PARTITION -> {
        if (state.lanes().partitionLane == null) {
          state.lanes().partitionLane = new SerialLane<>(this, state.partition());
        }
        boolean wasIdle = false;
        for (Work<K, V> work : cutter.units(state, records, state.lanes().partitionLane)) {
          wasIdle |= queue(work);
        }
        if (wasIdle) {
          start(List.of(state.lanes().partitionLane));
        }
      }
      case KEY -> {
        // One map lookup per record: records gather in their lane, then each lane gets its units.
        List<SerialLane<K, V>> touched = new ArrayList<>();
        for (ConsumerRecord<byte[], byte[]> record : records) {
          Object key = LaneKey.of(record.key());
          SerialLane<K, V> lane = state.lanes().keyLanes.get(key);
          if (lane == null) {
            lane = new SerialLane<>(this, key);
            state.lanes().keyLanes.put(key, lane);
          }
          if (lane.polled == null) {
            lane.polled = new ArrayList<>(4);
            touched.add(lane);
          }
          lane.polled.add(record);
        }
        List<SerialLane<K, V>> idle = new ArrayList<>();
        for (SerialLane<K, V> lane : touched) {
          List<ConsumerRecord<byte[], byte[]>> polled = lane.polled;
          lane.polled = null;
          boolean wasIdle = false;
          for (Work<K, V> work : cutter.units(state, polled, lane)) {
            wasIdle |= queue(work);
          }
          if (wasIdle) {
            idle.add(lane);
          }
        }
        start(idle);
        forgetIdleKeyLanes(state);
      }
      case UNORDERED -> {
        for (Work<K, V> work : cutter.units(state, records, null)) {
          ledger.queued(work);
          attempts.submitUnordered(work);
        }
      }
    }
  }

  /** The poll thread has applied a completion. Poll thread only. */
  void settled(Work<K, V> work) {
    SerialLane<K, V> lane = work.lane();
    if (lane != null) {
      lane.pendingWork--;
    }
  }

  /**
   * Forgets key lanes without pending work once a partition holds more than {@link #KEY_LANES_KEPT}
   * (or twice what the last sweep left): lanes of recurring keys are reused from poll to poll
   * instead of rebuilt, while memory stays bounded by the keys in flight. Doubling the threshold
   * keeps the sweeps amortised O(1) per record even when most lanes are busy.
   */
  private void forgetIdleKeyLanes(PartitionState<K, V> state) {
    if (state.lanes().keyLanes.size() > state.lanes().keyLaneSweepAt) {
      state.lanes().keyLanes.values().removeIf(lane -> lane.pendingWork == 0);
      state.lanes().keyLaneSweepAt = Math.max(KEY_LANES_KEPT, 2 * state.lanes().keyLanes.size());
    }
  }

  void execute(Runnable task) {
    executor.execute(task);
  }

  /** The executor refused work: report it as failed (or abandoned when stopping). */
  void rejected(List<Work<K, V>> stranded, RuntimeException error) {
    ledger.rejected(stranded, error);
  }

  /** Runs one unit of work on the calling worker thread; see {@link AttemptRunner#run}. */
  boolean run(Work<K, V> work) {
    return attempts.run(work);
  }

  /**
   * Makes lanes that were idle when work was queued for them ready. Poll thread only.
   *
   * <p>Lanes are not assigned to workers: they wait on one ready queue, and up to {@link
   * #parallelism} drainer tasks take them one item at a time. So any idle worker takes any ready
   * lane, and a lane whose record blocks holds only the thread it runs on. A drainer goes on to the
   * next ready lane on its own thread, and the shared state it touches per item is the queue alone,
   * so with many keys and cheap handlers a partition's poll starts at most one task per worker, not
   * one per key or per item.
   */
  private void start(List<SerialLane<K, V>> lanes) {
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
      execute(this::drain);
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

  /** Running the work threw; see {@link AttemptRunner#crashed}. */
  void crashed(Work<K, V> work, Throwable error) {
    attempts.crashed(work, error);
  }

  /** Queues work in its lane; true if the lane was idle and the caller must {@link #start} it. */
  private boolean queue(Work<K, V> work) {
    ledger.queued(work);
    work.lane().pendingWork++;
    return work.lane().enqueueIdle(work);
  }
}
