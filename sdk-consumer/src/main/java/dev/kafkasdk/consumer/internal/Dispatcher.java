package dev.kafkasdk.consumer.internal;

import dev.kafkasdk.consumer.HandlerFailedException;
import dev.kafkasdk.consumer.Ordering;
import java.time.Duration;
import java.util.ArrayList;
import java.util.List;
import java.util.Queue;
import java.util.concurrent.ConcurrentLinkedQueue;
import java.util.concurrent.Executor;
import java.util.concurrent.RejectedExecutionException;
import java.util.concurrent.ScheduledExecutorService;
import java.util.concurrent.TimeUnit;
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
  private static final ThreadLocal<Boolean> IN_HANDLER = ThreadLocal.withInitial(() -> false);

  /** Idle key lanes a partition keeps for reuse before it forgets them. */
  static final int KEY_LANES_KEPT = 1024;

  /**
   * How long an interrupted record waits before it runs again: an application that interrupts its
   * workers again and again must not make the record spin.
   */
  private static final long INTERRUPTED_RERUN_NANOS = TimeUnit.MILLISECONDS.toNanos(100);

  private final Executor executor;
  private final Ordering ordering;
  private final int parallelism;
  private final HandlerInvoker<K, V> invoker;
  private final FailurePolicy policy;
  private final Gate gate;
  private final ScheduledExecutorService timer;
  private final RunnerMetrics metrics;
  private final SlowHandlerWatch watch;
  private final WorkLedger<K, V> ledger;
  private final RunLength runLength;
  private final UnitCutter<K, V> cutter;

  /** Lanes with an item to run, waiting for a drainer; a lane is here at most once. */
  private final Queue<SerialLane<K, V>> readyLanes = new ConcurrentLinkedQueue<>();

  /** Drainer tasks submitted and not yet ended; at most {@link #parallelism}. */
  private final AtomicInteger drainers = new AtomicInteger();

  Dispatcher(DispatchContext<K, V> context) {
    this.executor = context.executor();
    this.ordering = context.ordering();
    this.parallelism = context.parallelism();
    this.invoker = context.invoker();
    this.policy = context.policy();
    this.gate = context.gate();
    this.timer = context.failures().timer();
    this.metrics = context.metrics();
    this.watch = context.watch();
    this.ledger = new WorkLedger<>(context.reports());
    this.runLength = new RunLength(context.parallelism());
    this.cutter = new UnitCutter<>(context, runLength);
  }

  /** Tells whether the current thread is inside a handler call of any runner. */
  static boolean inHandler() {
    return IN_HANDLER.get();
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
          try {
            execute(() -> runUnordered(work));
          } catch (RejectedExecutionException e) {
            rejected(List.of(work), e);
          }
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

  /**
   * Runs one unit of work on the calling worker thread.
   *
   * @return true if the work is over and its lane may go on; false if it waits (a timer or an
   *     acknowledgement will {@linkplain SerialLane#resume resume} or release the lane; after a
   *     failure that stops the runner the lane stays blocked)
   */
  boolean run(Work<K, V> work) {
    PartitionState<K, V> owner = work.owner();
    ledger.started(work);
    // Count ourselves as running before looking at the flags: the poll thread sets a flag and then
    // waits for the counters to reach zero, so either it sees us or we see its flag.
    ledger.enter(owner);
    if (ledger.stopping(owner)) {
      finish(work, Outcome.ABANDONED, null);
      return true;
    }
    if (work.poison() != null) {
      return decide(work, work.poison());
    }
    long wait = gate.admit(work);
    if (wait > 0) {
      leave(owner);
      park(work, wait);
      return false;
    }
    SlowHandlerWatch.Call call =
        watch.started(
            owner.partition(), work.currentOffset(), work.perRecord() ? 1 : work.records().size());
    Throwable failure = null;
    long failedAfter = 0;
    IN_HANDLER.set(true);
    try {
      if (work.perRecord()) {
        handleEach(work, call);
      } else {
        handleBatch(work);
      }
    } catch (HandlerCallFailed e) {
      failure = e.getCause();
      failedAfter = e.nanos;
    } finally {
      IN_HANDLER.set(false);
      watch.finished(call);
    }
    if (failure == null) {
      // A run of records stops early when its partition is revoked or the runner stops.
      finish(work, work.remaining() == 0 ? Outcome.DONE : Outcome.ABANDONED, null);
      return true;
    }
    // Thread.interrupted() clears the flag; it is set again below, since the interrupt is not ours.
    if (Thread.interrupted() || failure instanceof InterruptedException) {
      return interrupted(work, failure);
    }
    if (failsTheRunner(failure)) {
      // Not the record's failure, so no retry, skip or dead letter: the runner stops and the record
      // is delivered again to the next owner. The lane stays blocked, as after a stop.
      gate.released();
      metrics.handlerFailed(failedAfter);
      finish(
          work,
          Outcome.FAILED,
          new HandlerFailedException(owner.partition(), work.currentOffset(), failure));
      return false;
    }
    gate.failed(failedAfter, failure);
    metrics.handlerFailed(failedAfter);
    // Every failed call is an attempt, also the one that opened the circuit and a failed half-open
    // probe: otherwise a record that always fails would be parked forever. Waiting for an open
    // circuit is no attempt: the call is never made (see Gate#admit).
    return decide(work, failure);
  }

  /**
   * Whether a throwable from the handler means that this JVM or the application's code is broken,
   * not the record: any {@link VirtualMachineError} except {@link StackOverflowError}, and any
   * {@link LinkageError}. Skipping or dead-lettering the record then would lose a record that is
   * fine. A {@link StackOverflowError} is the record's failure: the stack has unwound when it is
   * caught, and it comes from that record's own processing (a payload nested too deeply), so
   * stopping would only hand the same record to the next owner.
   */
  private static boolean failsTheRunner(Throwable error) {
    return (error instanceof VirtualMachineError && !(error instanceof StackOverflowError))
        || error instanceof LinkageError;
  }

  /**
   * The handler was interrupted, which is never the record's failure. While the runner stops, the
   * work is abandoned. Otherwise something in the application interrupted the worker: the record
   * runs again after a short wait without using an attempt. If the executor then refuses the work
   * (the application shut it down), the runner fails and nothing from the record on is committed.
   * Either way the interrupt flag is set again for the executor to act on.
   */
  private boolean interrupted(Work<K, V> work, Throwable failure) {
    Thread.currentThread().interrupt();
    gate.released();
    PartitionState<K, V> owner = work.owner();
    if (ledger.halted()) {
      finish(work, Outcome.ABANDONED, null);
      return true;
    }
    log.warn(
        "{}: the handler was interrupted at offset {} while the runner runs ({}); not the record's"
            + " failure, it runs again",
        owner,
        work.currentOffset(),
        failure.toString());
    leave(owner);
    park(work, INTERRUPTED_RERUN_NANOS);
    return false;
  }

  /**
   * Calls the record handler for each record from the cursor on, moving the cursor past each one
   * that succeeds. Stops early, without an error, if the partition is revoked or the runner stops.
   *
   * @throws HandlerCallFailed with the cursor at the record that failed
   */
  private void handleEach(Work<K, V> work, SlowHandlerWatch.Call call) throws HandlerCallFailed {
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
        try {
          invoker.handle(record);
        } catch (Throwable error) {
          throw new HandlerCallFailed(error, System.nanoTime() - start);
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
      invoker.handleBatch(work.records());
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

  /** Carries a handler's failure and how long the failed call took. */
  private static final class HandlerCallFailed extends Exception {
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

  private boolean decide(Work<K, V> work, Throwable error) {
    PartitionState<K, V> owner = work.owner();
    if (work.poison() == null) {
      work.attempts++;
    }
    long now = System.nanoTime();
    if (work.attempts <= 1) {
      work.firstFailureNanos = now;
    }
    FailurePolicy.Decision decision;
    try {
      decision =
          policy.onFailure(
              new FailurePolicy.Failure(
                  work.failing(),
                  work.failingRaw(),
                  error,
                  work.attempts,
                  Duration.ofNanos(now - work.firstFailureNanos)));
    } catch (RuntimeException policyError) {
      error.addSuppressed(policyError);
      decision = FailurePolicy.Decision.STOP;
    }
    if (decision instanceof FailurePolicy.Decision.Done) {
      log.debug("failure of {} at offset {} handled by policy", owner, work.currentOffset());
      work.policyTookCurrent();
      if (work.remaining() > 0) {
        leave(owner);
        return run(work);
      }
      finish(work, Outcome.DONE, null);
      return true;
    }
    if (decision instanceof FailurePolicy.Decision.Retry retry) {
      leave(owner);
      park(work, Math.max(1, retry.delay().toNanos()));
      return false;
    }
    if (decision instanceof FailurePolicy.Decision.Await await) {
      // Still counted as running: a revocation or a stop waits for the acknowledgement.
      await
          .done()
          .whenComplete(
              (ignored, publishError) -> {
                if (publishError != null) {
                  // The lane stays blocked: the runner stops.
                  finish(work, Outcome.FAILED, failedWith(work, publishError, error));
                  return;
                }
                work.policyTookCurrent();
                if (work.remaining() > 0) {
                  leave(owner);
                  resumption(work).run();
                  return;
                }
                finish(work, Outcome.DONE, null);
                if (work.lane() != null) {
                  work.lane().release();
                }
              });
      return false;
    }
    finish(
        work,
        Outcome.FAILED,
        new HandlerFailedException(owner.partition(), work.currentOffset(), error));
    // The runner stops: the lane stays blocked, so no later record of the partition (or key) is
    // processed before the failed one is delivered again.
    return false;
  }

  private static HandlerFailedException failedWith(
      Work<?, ?> work, Throwable publishError, Throwable original) {
    HandlerFailedException failure =
        new HandlerFailedException(work.owner().partition(), work.currentOffset(), publishError);
    failure.addSuppressed(original);
    return failure;
  }

  private void finish(Work<K, V> work, Outcome outcome, Throwable error) {
    ledger.finish(work, outcome, error);
  }

  private void leave(PartitionState<K, V> owner) {
    ledger.leave(owner);
  }

  /** Runs the work again after a wait, without holding a thread; its lane stays blocked. */
  private void park(Work<K, V> work, long nanos) {
    try {
      timer.schedule(resumption(work), nanos, TimeUnit.NANOSECONDS);
    } catch (RejectedExecutionException e) {
      // The runner is stopping: the work is abandoned and its records delivered again later.
      rejected(List.of(work), e);
    }
  }

  /** Runs the work again on a worker, before anything else queued in its lane. */
  private Runnable resumption(Work<K, V> work) {
    return work.lane() != null
        ? () -> work.lane().resume(work)
        : () -> {
          try {
            execute(() -> runUnordered(work));
          } catch (RejectedExecutionException e) {
            rejected(List.of(work), e);
          }
        };
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

  private void runUnordered(Work<K, V> work) {
    try {
      run(work);
    } catch (Throwable error) {
      crashed(work, error);
    }
  }

  /**
   * Running the work threw something other than the handler's failure: a bug in the dispatcher or
   * the failure policy, or an {@link Error} raised outside the handler. The work is reported
   * FAILED, so the runner stops and nothing from its current record on is committed; its lane, if
   * any, stays blocked. {@link #run} throws only while the work is counted as running and not yet
   * reported, so this reports it and stops counting it.
   */
  void crashed(Work<K, V> work, Throwable error) {
    log.error(
        "{}: unexpected failure at offset {}, not the handler's; the runner stops",
        work.owner(),
        work.currentOffset(),
        error);
    finish(
        work,
        Outcome.FAILED,
        new HandlerFailedException(work.owner().partition(), work.currentOffset(), error));
  }

  /** Queues work in its lane; true if the lane was idle and the caller must {@link #start} it. */
  private boolean queue(Work<K, V> work) {
    ledger.queued(work);
    work.lane().pendingWork++;
    return work.lane().enqueueIdle(work);
  }
}
