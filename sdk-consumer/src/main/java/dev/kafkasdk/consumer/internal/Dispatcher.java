package dev.kafkasdk.consumer.internal;

import dev.kafkasdk.consumer.HandlerFailedException;
import dev.kafkasdk.consumer.Ordering;
import java.nio.ByteBuffer;
import java.time.Duration;
import java.util.ArrayList;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.Queue;
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
 * <p>Work that must wait (a retry, an open circuit, the rate limit, a dead letter not yet
 * acknowledged) holds its lane but no thread: a timer or the dead letter's acknowledgement resumes
 * it. Until it is done its records stay in flight, so nothing past them is committed.
 */
final class Dispatcher<K, V> {
  private static final Logger log = LoggerFactory.getLogger(Dispatcher.class);
  private static final ThreadLocal<Boolean> IN_HANDLER = ThreadLocal.withInitial(() -> false);
  private static final Object NULL_KEY = new Object();

  private final Executor executor;
  private final Ordering ordering;
  private final int batchSize;
  private final RecordDecoder<K, V> decoder;
  private final HandlerInvoker<K, V> invoker;
  private final FailurePolicy policy;
  private final Gate gate;
  private final ScheduledExecutorService timer;
  private final Queue<Completion<K, V>> completions;
  private final RunnerMetrics metrics;
  private final SlowHandlerWatch watch;
  private final AtomicInteger running = new AtomicInteger();
  private final AtomicInteger queued;
  private volatile boolean halted;

  Dispatcher(
      Executor executor,
      Ordering ordering,
      int batchSize,
      RecordDecoder<K, V> decoder,
      HandlerInvoker<K, V> invoker,
      FailurePolicy policy,
      Gate gate,
      ScheduledExecutorService timer,
      Queue<Completion<K, V>> completions,
      RunnerMetrics metrics,
      SlowHandlerWatch watch,
      AtomicInteger queued) {
    this.executor = executor;
    this.ordering = ordering;
    this.batchSize = batchSize;
    this.decoder = decoder;
    this.invoker = invoker;
    this.policy = policy;
    this.gate = gate;
    this.timer = timer;
    this.completions = completions;
    this.metrics = metrics;
    this.watch = watch;
    this.queued = queued;
  }

  /** Tells whether the current thread is inside a handler call of any runner. */
  static boolean inHandler() {
    return IN_HANDLER.get();
  }

  /** Handler calls running now (and dead letters being published), across all partitions. */
  int running() {
    return running.get();
  }

  /** After this, workers start nothing new: queued and waiting work is abandoned. */
  void halt() {
    halted = true;
  }

  /** Queues one partition's records from one poll. Poll thread only. */
  void dispatch(PartitionState<K, V> state, List<ConsumerRecord<byte[], byte[]>> records) {
    switch (ordering) {
      case PARTITION -> {
        if (state.partitionLane == null) {
          state.partitionLane = new SerialLane<>(this, state.partition);
        }
        for (Work<K, V> work : units(state, records, state.partitionLane)) {
          submit(work);
        }
      }
      case KEY -> {
        Map<Object, List<ConsumerRecord<byte[], byte[]>>> byKey = new LinkedHashMap<>();
        for (ConsumerRecord<byte[], byte[]> record : records) {
          byKey.computeIfAbsent(laneKey(record.key()), k -> new ArrayList<>()).add(record);
        }
        for (Map.Entry<Object, List<ConsumerRecord<byte[], byte[]>>> entry : byKey.entrySet()) {
          SerialLane<K, V> lane =
              state.keyLanes.computeIfAbsent(entry.getKey(), k -> new SerialLane<>(this, k));
          for (Work<K, V> work : units(state, entry.getValue(), lane)) {
            submit(work);
          }
        }
      }
      case UNORDERED -> {
        for (Work<K, V> work : units(state, records, null)) {
          queued.addAndGet(work.records().size());
          try {
            execute(() -> runUnordered(work));
          } catch (RejectedExecutionException e) {
            rejected(List.of(work), e);
          }
        }
      }
    }
  }

  /** The poll thread has applied a completion: forget empty key lanes. Poll thread only. */
  void settled(Work<K, V> work) {
    SerialLane<K, V> lane = work.lane();
    if (lane != null && --lane.pendingWork == 0 && ordering == Ordering.KEY) {
      work.owner().keyLanes.remove(lane.key());
    }
  }

  void execute(Runnable task) {
    executor.execute(task);
  }

  /** The executor refused work: report it as failed (or abandoned when stopping). */
  void rejected(List<Work<K, V>> stranded, RuntimeException error) {
    for (Work<K, V> work : stranded) {
      if (!work.started) {
        queued.addAndGet(-work.records().size());
      }
      if (halted || work.owner().revoked) {
        metrics.finished(Outcome.ABANDONED, work.records().size(), 0);
        completions.add(new Completion<>(work, Outcome.ABANDONED, null));
      } else {
        completions.add(
            new Completion<>(
                work,
                Outcome.FAILED,
                new HandlerFailedException(work.owner().partition, work.firstOffset(), error)));
      }
    }
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
    int size = work.records().size();
    if (!work.started) {
      work.started = true;
      queued.addAndGet(-size);
    }
    // Count ourselves as running before looking at the flags: the poll thread sets a flag and then
    // waits for the counters to reach zero, so either it sees us or we see its flag.
    running.incrementAndGet();
    owner.running.incrementAndGet();
    if (halted || owner.revoked) {
      finish(work, new Completion<>(work, Outcome.ABANDONED, null), Outcome.ABANDONED, -1);
      return true;
    }
    if (work.poison() != null) {
      return decide(work, work.poison(), 0);
    }
    long wait = gate.admit(work);
    if (wait > 0) {
      leave(owner);
      park(work, wait);
      return false;
    }
    SlowHandlerWatch.Call call = watch.started(owner.partition, work.firstOffset(), size);
    long start = System.nanoTime();
    Throwable failure = null;
    IN_HANDLER.set(true);
    try {
      invoker.invoke(work.records());
    } catch (Throwable error) {
      failure = error;
    } finally {
      IN_HANDLER.set(false);
      watch.finished(call);
    }
    long nanos = System.nanoTime() - start;
    if (failure == null) {
      gate.succeeded(nanos);
      finish(work, new Completion<>(work, Outcome.DONE, null), Outcome.DONE, nanos);
      return true;
    }
    if (halted && (failure instanceof InterruptedException || Thread.interrupted())) {
      finish(work, new Completion<>(work, Outcome.ABANDONED, null), Outcome.ABANDONED, -1);
      return true;
    }
    gate.failed(nanos, failure);
    metrics.handlerFailed(nanos);
    if (gate.circuitOpen()) {
      // The downstream is failing, not this record: wait for the circuit without using up an
      // attempt or dead-lettering anything.
      log.debug(
          "{} at offset {} failed while the circuit is open; waiting", owner, work.firstOffset());
      leave(owner);
      park(work, gate.recheckNanos());
      return false;
    }
    return decide(work, failure, nanos);
  }

  private boolean decide(Work<K, V> work, Throwable error, long nanos) {
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
                  work.records(),
                  work.raw(),
                  error,
                  work.attempts,
                  Duration.ofNanos(now - work.firstFailureNanos)));
    } catch (RuntimeException policyError) {
      error.addSuppressed(policyError);
      decision = FailurePolicy.Decision.STOP;
    }
    if (decision instanceof FailurePolicy.Decision.Done) {
      log.debug("failure of {} at offset {} handled by policy", owner, work.firstOffset());
      finish(work, new Completion<>(work, Outcome.DONE, null), Outcome.FAILED, -1);
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
                Completion<K, V> completion =
                    publishError == null
                        ? new Completion<>(work, Outcome.DONE, null)
                        : new Completion<>(
                            work, Outcome.FAILED, failedWith(work, publishError, error));
                finish(work, completion, Outcome.FAILED, -1);
                if (publishError == null && work.lane() != null) {
                  work.lane().release();
                }
              });
      return false;
    }
    finish(
        work,
        new Completion<>(
            work,
            Outcome.FAILED,
            new HandlerFailedException(owner.partition, work.firstOffset(), error)),
        Outcome.FAILED,
        -1);
    // The runner stops: the lane stays blocked, so no later record of the partition (or key) is
    // processed before the failed one is delivered again.
    return false;
  }

  private static HandlerFailedException failedWith(
      Work<?, ?> work, Throwable publishError, Throwable original) {
    HandlerFailedException failure =
        new HandlerFailedException(work.owner().partition, work.firstOffset(), publishError);
    failure.addSuppressed(original);
    return failure;
  }

  /**
   * Reports the completion, then stops counting the work as running.
   *
   * @param countAs the records' outcome for the meters: a dead-lettered or skipped record is done
   *     for the commit but counted as a failure
   * @param nanos the successful handler call's duration, or -1 when no call is to be timed
   */
  private void finish(Work<K, V> work, Completion<K, V> completion, Outcome countAs, long nanos) {
    metrics.finished(countAs, work.records().size(), nanos);
    // Report before leaving the running count, so a waiter that sees zero finds the report queued.
    completions.add(completion);
    leave(work.owner());
  }

  private void leave(PartitionState<K, V> owner) {
    owner.running.decrementAndGet();
    running.decrementAndGet();
  }

  /** Runs the work again after a wait, without holding a thread; its lane stays blocked. */
  private void park(Work<K, V> work, long nanos) {
    Runnable resume =
        work.lane() != null
            ? () -> work.lane().resume(work)
            : () -> {
              try {
                execute(() -> runUnordered(work));
              } catch (RejectedExecutionException e) {
                rejected(List.of(work), e);
              }
            };
    try {
      timer.schedule(resume, nanos, TimeUnit.NANOSECONDS);
    } catch (RejectedExecutionException e) {
      // The runner is stopping: the work is abandoned and its records delivered again later.
      rejected(List.of(work), e);
    }
  }

  private void runUnordered(Work<K, V> work) {
    run(work);
  }

  private void submit(Work<K, V> work) {
    queued.addAndGet(work.records().size());
    work.lane().pendingWork++;
    work.lane().enqueue(work);
  }

  /** Deserializes and cuts records into units: batches of valid records, poison pills alone. */
  private List<Work<K, V>> units(
      PartitionState<K, V> state,
      List<ConsumerRecord<byte[], byte[]>> records,
      SerialLane<K, V> lane) {
    List<Work<K, V>> units = new ArrayList<>((records.size() / batchSize) + 1);
    List<ConsumerRecord<K, V>> batch = new ArrayList<>();
    List<ConsumerRecord<byte[], byte[]>> rawBatch = new ArrayList<>();
    for (ConsumerRecord<byte[], byte[]> raw : records) {
      RecordDecoder.Decoded<K, V> decoded = decoder.decode(raw);
      if (decoded.failure() != null) {
        if (!batch.isEmpty()) {
          units.add(new Work<>(state, batch, rawBatch, lane, null));
          batch = new ArrayList<>();
          rawBatch = new ArrayList<>();
        }
        units.add(
            new Work<>(state, List.of(decoded.record()), List.of(raw), lane, decoded.failure()));
        continue;
      }
      batch.add(decoded.record());
      rawBatch.add(raw);
      if (batch.size() == batchSize) {
        units.add(new Work<>(state, batch, rawBatch, lane, null));
        batch = new ArrayList<>();
        rawBatch = new ArrayList<>();
      }
    }
    if (!batch.isEmpty()) {
      units.add(new Work<>(state, batch, rawBatch, lane, null));
    }
    return units;
  }

  private static Object laneKey(byte[] key) {
    return key == null ? NULL_KEY : ByteBuffer.wrap(key);
  }
}
