package dev.kafkasdk.consumer.internal;

import dev.kafkasdk.consumer.HandlerFailedException;
import dev.kafkasdk.consumer.Ordering;
import java.nio.ByteBuffer;
import java.util.ArrayList;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.Queue;
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
 */
final class Dispatcher<K, V> {
  private static final Logger log = LoggerFactory.getLogger(Dispatcher.class);
  private static final ThreadLocal<Boolean> IN_HANDLER = ThreadLocal.withInitial(() -> false);
  private static final Object NULL_KEY = new Object();

  private final Executor executor;
  private final Ordering ordering;
  private final int batchSize;
  private final HandlerInvoker<K, V> invoker;
  private final FailurePolicy policy;
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
      HandlerInvoker<K, V> invoker,
      FailurePolicy policy,
      Queue<Completion<K, V>> completions,
      RunnerMetrics metrics,
      SlowHandlerWatch watch,
      AtomicInteger queued) {
    this.executor = executor;
    this.ordering = ordering;
    this.batchSize = batchSize;
    this.invoker = invoker;
    this.policy = policy;
    this.completions = completions;
    this.metrics = metrics;
    this.watch = watch;
    this.queued = queued;
  }

  /** Tells whether the current thread is inside a handler call of any runner. */
  static boolean inHandler() {
    return IN_HANDLER.get();
  }

  /** Handler calls running now, across all partitions and epochs. */
  int running() {
    return running.get();
  }

  /** After this, workers start nothing new: queued work is abandoned. */
  void halt() {
    halted = true;
  }

  /** Queues one partition's records from one poll. Poll thread only. */
  void dispatch(PartitionState<K, V> state, List<ConsumerRecord<K, V>> records) {
    switch (ordering) {
      case PARTITION -> {
        if (state.partitionLane == null) {
          state.partitionLane = new SerialLane<>(this, state.partition);
        }
        for (List<ConsumerRecord<K, V>> chunk : chunks(records)) {
          submit(new Work<>(state, chunk, state.partitionLane));
        }
      }
      case KEY -> {
        Map<Object, List<ConsumerRecord<K, V>>> byKey = new LinkedHashMap<>();
        for (ConsumerRecord<K, V> record : records) {
          byKey.computeIfAbsent(laneKey(record.key()), k -> new ArrayList<>()).add(record);
        }
        for (Map.Entry<Object, List<ConsumerRecord<K, V>>> entry : byKey.entrySet()) {
          SerialLane<K, V> lane =
              state.keyLanes.computeIfAbsent(entry.getKey(), k -> new SerialLane<>(this, k));
          for (List<ConsumerRecord<K, V>> chunk : chunks(entry.getValue())) {
            submit(new Work<>(state, chunk, lane));
          }
        }
      }
      case UNORDERED -> {
        for (List<ConsumerRecord<K, V>> chunk : chunks(records)) {
          Work<K, V> work = new Work<>(state, chunk, null);
          queued.addAndGet(chunk.size());
          try {
            execute(() -> run(work));
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
      queued.addAndGet(-work.records().size());
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

  /** Runs one unit of work on the calling worker thread. */
  void run(Work<K, V> work) {
    PartitionState<K, V> owner = work.owner();
    int size = work.records().size();
    queued.addAndGet(-size);
    // Count ourselves as running before looking at the flags: the poll thread sets a flag and then
    // waits for the counters to reach zero, so either it sees us or we see its flag.
    running.incrementAndGet();
    owner.running.incrementAndGet();
    if (halted || owner.revoked) {
      owner.running.decrementAndGet();
      running.decrementAndGet();
      metrics.finished(Outcome.ABANDONED, size, 0);
      completions.add(new Completion<>(work, Outcome.ABANDONED, null));
      return;
    }
    SlowHandlerWatch.Call call = watch.started(owner.partition, work.firstOffset(), size);
    long start = System.nanoTime();
    Completion<K, V> completion;
    IN_HANDLER.set(true);
    try {
      invoker.invoke(work.records());
      completion = new Completion<>(work, Outcome.DONE, null);
    } catch (Throwable error) {
      completion = failed(work, error);
    } finally {
      IN_HANDLER.set(false);
      watch.finished(call);
    }
    metrics.finished(completion.outcome(), size, System.nanoTime() - start);
    // Report before leaving the running count, so a waiter that sees zero finds the report queued.
    completions.add(completion);
    owner.running.decrementAndGet();
    running.decrementAndGet();
  }

  private Completion<K, V> failed(Work<K, V> work, Throwable error) {
    if (halted && (error instanceof InterruptedException || Thread.interrupted())) {
      return new Completion<>(work, Outcome.ABANDONED, null);
    }
    FailurePolicy.Disposition disposition;
    try {
      disposition = policy.onFailure(work.records(), error);
    } catch (RuntimeException policyError) {
      error.addSuppressed(policyError);
      disposition = FailurePolicy.Disposition.FAILED;
    }
    if (disposition == FailurePolicy.Disposition.DONE) {
      log.debug("failure of {} at offset {} handled by policy", work.owner(), work.firstOffset());
      return new Completion<>(work, Outcome.DONE, null);
    }
    return new Completion<>(
        work,
        Outcome.FAILED,
        new HandlerFailedException(work.owner().partition, work.firstOffset(), error));
  }

  private void submit(Work<K, V> work) {
    queued.addAndGet(work.records().size());
    work.lane().pendingWork++;
    work.lane().enqueue(work);
  }

  private List<List<ConsumerRecord<K, V>>> chunks(List<ConsumerRecord<K, V>> records) {
    List<List<ConsumerRecord<K, V>>> chunks = new ArrayList<>((records.size() / batchSize) + 1);
    for (int from = 0; from < records.size(); from += batchSize) {
      chunks.add(records.subList(from, Math.min(records.size(), from + batchSize)));
    }
    return chunks;
  }

  private static Object laneKey(Object key) {
    if (key == null) {
      return NULL_KEY;
    }
    if (key instanceof byte[] bytes) {
      return ByteBuffer.wrap(bytes);
    }
    return key;
  }
}
