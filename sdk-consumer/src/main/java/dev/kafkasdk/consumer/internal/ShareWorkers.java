package dev.kafkasdk.consumer.internal;

import dev.kafkasdk.consumer.HandlerFailedException;
import io.micrometer.observation.Observation;
import java.time.Duration;
import java.util.List;
import java.util.Queue;
import java.util.concurrent.CompletionStage;
import java.util.concurrent.ConcurrentLinkedQueue;
import java.util.concurrent.ExecutorService;
import java.util.concurrent.RejectedExecutionException;
import java.util.concurrent.TimeUnit;
import java.util.concurrent.atomic.AtomicInteger;
import java.util.concurrent.locks.LockSupport;
import org.apache.kafka.clients.consumer.AcknowledgeType;
import org.apache.kafka.clients.consumer.ConsumerRecord;
import org.apache.kafka.common.TopicPartition;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;

/**
 * The worker side of one share consumer: runs each delivered record through the {@link Gate}, the
 * handler and, on a failure, the {@link FailurePolicy}, and reports the record's outcome to the
 * poll thread's inbox. It never touches the consumer: only the poll thread acknowledges ({@link
 * ShareAcknowledgements}).
 *
 * <p>What an outcome is: the handler succeeded, {@code ACCEPT}; the policy retries, {@code RELEASE}
 * after the policy's backoff (Kafka delivers the record again, the delivery count being the attempt
 * number); the policy took the record (skipped, or dead-lettered and the dead letter acknowledged),
 * {@code REJECT}; the policy stops, or the JVM or the application's code is broken, no
 * acknowledgement and the runner fails. A record not started when the runner stops is released.
 *
 * <p>How work reaches the workers and outcomes the poll thread, so that a cheap handler does not
 * pay two thread wake-ups per record: deliveries wait on one queue, and up to {@code parallelism}
 * drainer tasks on the executor take them one at a time, so a busy worker goes on to the next
 * record without a new task. Outcomes wait on a second queue, and the poll thread, which needs them
 * only to settle its fetch, poll again or fail, is woken only when no delivery is left to start (a
 * worker is about to be idle) or a record fails the runner; otherwise it finds them when it next
 * looks.
 *
 * @param <K> key type
 * @param <V> value type
 */
final class ShareWorkers<K, V> {
  private static final Logger log = LoggerFactory.getLogger(ShareWorkers.class);

  /** How long an interrupted record waits before it runs again (see AttemptRunner). */
  private static final long INTERRUPTED_RERUN_NANOS = TimeUnit.MILLISECONDS.toNanos(100);

  /**
   * A record's outcome, or (type null) the failure that stops the runner; {@code abandoned} for a
   * release because the runner stops.
   */
  record Outcome(
      ShareAcknowledgements.RecordId id,
      AcknowledgeType type,
      Throwable failure,
      boolean abandoned) {}

  /** One delivery of one record. */
  private static final class Delivery<K, V> implements Gate.Permit {
    final ConsumerRecord<byte[], byte[]> raw;
    final ConsumerRecord<K, V> record;
    final Throwable poison;
    final int deliveryCount;
    volatile boolean permitReserved;
    Observation failedCall;

    Delivery(RecordDecoder.Decoded<K, V> decoded, ConsumerRecord<byte[], byte[]> raw) {
      this.raw = raw;
      this.record = decoded.record();
      this.poison = decoded.failure();
      this.deliveryCount = raw.deliveryCount().map(Short::intValue).orElse(1);
    }

    @Override
    public boolean reserved() {
      return permitReserved;
    }

    @Override
    public void reserved(boolean reserved) {
      permitReserved = reserved;
    }

    ShareAcknowledgements.RecordId id() {
      return ShareAcknowledgements.RecordId.of(raw);
    }
  }

  private final ExecutorService executor;
  private final int parallelism;
  private final HandlerInvoker<K, V> invoker;
  private final FailureSupport<K, V> failures;
  private final RunnerMetrics metrics;
  private final RunnerMetrics.ShareMeters shareMeters;
  // Deliveries to start, waiting for a drainer.
  private final Queue<Delivery<K, V>> ready = new ConcurrentLinkedQueue<>();
  // Drainer tasks submitted and not yet ended; at most parallelism.
  private final AtomicInteger drainers = new AtomicInteger();
  private final Queue<Outcome> outcomes = new ConcurrentLinkedQueue<>();
  // The poll thread while it waits in await, else null.
  private volatile Thread waiter;
  // Deliveries taken and not yet reported: queued, running, waiting or awaiting a dead letter.
  private final AtomicInteger open = new AtomicInteger();
  // Handler calls and dead letters in progress: what a stop waits for.
  private final AtomicInteger calling = new AtomicInteger();
  private volatile boolean halted;

  ShareWorkers(
      ExecutorService executor,
      int parallelism,
      HandlerInvoker<K, V> invoker,
      FailureSupport<K, V> failures,
      RunnerMetrics metrics,
      RunnerMetrics.ShareMeters shareMeters) {
    this.executor = executor;
    this.parallelism = Math.max(1, parallelism);
    this.invoker = invoker;
    this.failures = failures;
    this.metrics = metrics;
    this.shareMeters = shareMeters;
  }

  /** The next outcome, or null if none is waiting. Poll thread. */
  Outcome poll() {
    return outcomes.poll();
  }

  /**
   * The next outcome, waiting up to {@code nanos} for one; null if none came. Woken early only by
   * an outcome that may change what the poll thread does (see the class comment), so it can return
   * null although outcomes are waiting: take them with {@link #poll()}. Poll thread only: one
   * waiter.
   *
   * @throws InterruptedException if the poll thread is interrupted
   */
  Outcome await(long nanos) throws InterruptedException {
    Outcome outcome = outcomes.poll();
    if (outcome != null) {
      return outcome;
    }
    long deadline = System.nanoTime() + nanos;
    waiter = Thread.currentThread();
    try {
      // Looks at the queue after publishing itself as the waiter: an outcome added before that is
      // found here, one added after it sees the waiter and unparks it.
      for (long left = nanos; left > 0; left = deadline - System.nanoTime()) {
        outcome = outcomes.poll();
        if (outcome != null) {
          return outcome;
        }
        LockSupport.parkNanos(this, left);
        if (Thread.interrupted()) {
          throw new InterruptedException();
        }
      }
      return outcomes.poll();
    } finally {
      waiter = null;
    }
  }

  /** Deliveries taken and not yet reported. */
  int open() {
    return open.get();
  }

  /** Handler calls and dead letters in progress. */
  int calling() {
    return calling.get();
  }

  /** After this, deliveries not yet started are released instead of handled. Any thread. */
  void halt() {
    halted = true;
  }

  /** Deserializes a delivered record (poll thread) and hands it to a worker. */
  void submit(ConsumerRecord<byte[], byte[]> raw) {
    Delivery<K, V> delivery = new Delivery<>(failures.decoder().decode(raw), raw);
    open.incrementAndGet();
    execute(delivery);
  }

  /** Queues a delivery for a drainer, starting one unless all places are taken. Any thread. */
  private void execute(Delivery<K, V> delivery) {
    ready.add(delivery);
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
        // The runner is stopping and its pool is shut down, and no drainer is left to take the
        // queued deliveries: they go back to the group.
        for (Delivery<K, V> delivery; (delivery = ready.poll()) != null; ) {
          abandon(delivery);
        }
      }
    }
  }

  /** A drainer: runs queued deliveries one after another until none is left. */
  private void drain() {
    for (; ; ) {
      Delivery<K, V> delivery = ready.poll();
      if (delivery == null) {
        // Leave, then look once more: a delivery queued meanwhile either saw this drainer's place
        // free and started another, or is found here.
        drainers.decrementAndGet();
        if (ready.isEmpty() || !addDrainer()) {
          return;
        }
        continue;
      }
      run(delivery);
      if (Thread.currentThread().isInterrupted()) {
        // End the task with the flag still set, so the executor clears it and no other record's
        // handler call starts on an interrupted thread; a new task takes the queued deliveries.
        drainers.decrementAndGet();
        if (!ready.isEmpty() && addDrainer()) {
          startDrainer();
        }
        return;
      }
    }
  }

  private void run(Delivery<K, V> delivery) {
    try {
      attempt(delivery);
    } catch (Throwable error) {
      log.error(
          "unexpected failure at {}, not the handler's; the runner stops", delivery.id(), error);
      fail(delivery, error);
    }
  }

  private void attempt(Delivery<K, V> delivery) {
    if (halted) {
      abandon(delivery);
      return;
    }
    if (delivery.poison != null) {
      decide(delivery, delivery.poison);
      return;
    }
    Gate gate = failures.gate();
    long wait = gate.admit(delivery, 1);
    if (wait > 0) {
      later(delivery, wait, () -> execute(delivery));
      return;
    }
    shareMeters.delivered(delivery.deliveryCount);
    calling.incrementAndGet();
    long start = System.nanoTime();
    Throwable failure = null;
    HandlerCaller.inHandler(true);
    try {
      invoker.handle(delivery.record, delivery.deliveryCount, call -> delivery.failedCall = call);
    } catch (Throwable error) {
      failure = error;
    } finally {
      HandlerCaller.inHandler(false);
      calling.decrementAndGet();
    }
    long nanos = System.nanoTime() - start;
    if (failure == null) {
      gate.succeeded(nanos);
      metrics.handled(nanos);
      metrics.records(1, 0, 0);
      report(delivery, AcknowledgeType.ACCEPT);
      return;
    }
    metrics.handlerFailed(nanos);
    if (Thread.interrupted() || failure instanceof InterruptedException) {
      Thread.currentThread().interrupt();
      gate.released();
      if (halted) {
        abandon(delivery);
      } else {
        later(delivery, INTERRUPTED_RERUN_NANOS, () -> execute(delivery));
      }
      return;
    }
    if (AttemptRunner.failsTheRunner(failure)) {
      gate.released();
      fail(delivery, failure);
      return;
    }
    gate.failed(nanos, failure);
    decide(delivery, failure);
  }

  /**
   * Asks the failure policy. The delivery count is the attempt number: every retry is a delivery
   * (the resolver made sure the policy's attempts fit the group's delivery count limit), and the
   * backoff is waited before the release.
   */
  private void decide(Delivery<K, V> delivery, Throwable error) {
    Observation failedCall = delivery.failedCall;
    delivery.failedCall = null;
    FailurePolicy.Decision decision;
    try {
      decision =
          failures
              .policy()
              .onFailure(
                  new FailurePolicy.Failure(
                      List.of(delivery.record),
                      List.of(delivery.raw),
                      error,
                      delivery.deliveryCount,
                      Duration.ZERO,
                      delivery.poison == null ? failedCall : null));
    } catch (RuntimeException policyError) {
      error.addSuppressed(policyError);
      decision = FailurePolicy.Decision.STOP;
    }
    if (decision instanceof FailurePolicy.Decision.Retry retry) {
      later(
          delivery,
          Math.max(1, retry.delay().toNanos()),
          () -> report(delivery, AcknowledgeType.RELEASE));
    } else if (decision instanceof FailurePolicy.Decision.Done) {
      metrics.records(0, 1, 0);
      report(delivery, AcknowledgeType.REJECT);
    } else if (decision instanceof FailurePolicy.Decision.Await await) {
      awaitThenReject(delivery, await.done(), error);
    } else {
      fail(delivery, error);
    }
  }

  /** Rejects the record once its dead letter is acknowledged; a failed send stops the runner. */
  private void awaitThenReject(Delivery<K, V> delivery, CompletionStage<?> done, Throwable error) {
    calling.incrementAndGet();
    done.whenComplete(
        (ignored, sendError) -> {
          calling.decrementAndGet();
          if (sendError == null) {
            metrics.records(0, 1, 0);
            report(delivery, AcknowledgeType.REJECT);
          } else {
            sendError.addSuppressed(error);
            fail(delivery, sendError);
          }
        });
  }

  /**
   * Runs {@code next} after a wait on the runner's timer; the record's lock is renewed meanwhile.
   */
  private void later(Delivery<K, V> delivery, long nanos, Runnable next) {
    try {
      failures.timer().schedule(next, nanos, TimeUnit.NANOSECONDS);
    } catch (RejectedExecutionException e) {
      abandon(delivery);
    }
  }

  private void report(Delivery<K, V> delivery, AcknowledgeType type) {
    deliver(new Outcome(delivery.id(), type, null, false));
  }

  /** Releases a record the runner stops before handling; counted abandoned once acknowledged. */
  private void abandon(Delivery<K, V> delivery) {
    deliver(new Outcome(delivery.id(), AcknowledgeType.RELEASE, null, true));
  }

  /**
   * Queues an outcome for the poll thread and wakes it if it waits and the outcome may change what
   * it does: a failure, or no delivery left to start, so the fetch may be settled or a worker idle.
   * While deliveries are queued a drainer reports again soon, and the last report of a run of
   * deliveries finds the queue empty.
   */
  private void deliver(Outcome outcome) {
    open.decrementAndGet();
    outcomes.add(outcome);
    Thread poller = waiter;
    if (poller != null && (outcome.type() == null || ready.isEmpty())) {
      LockSupport.unpark(poller);
    }
  }

  private void fail(Delivery<K, V> delivery, Throwable error) {
    metrics.records(0, 1, 0);
    deliver(
        new Outcome(
            delivery.id(),
            null,
            new HandlerFailedException(
                new TopicPartition(delivery.raw.topic(), delivery.raw.partition()),
                delivery.raw.offset(),
                error),
            false));
  }
}
