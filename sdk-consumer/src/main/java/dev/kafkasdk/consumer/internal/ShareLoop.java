package dev.kafkasdk.consumer.internal;

import java.time.Duration;
import java.util.List;
import java.util.Map;
import java.util.Optional;
import java.util.Set;
import java.util.concurrent.ExecutorService;
import java.util.concurrent.TimeUnit;
import org.apache.kafka.clients.consumer.ConsumerRecord;
import org.apache.kafka.clients.consumer.ConsumerRecords;
import org.apache.kafka.clients.consumer.ShareConsumer;
import org.apache.kafka.common.KafkaException;
import org.apache.kafka.common.TopicIdPartition;
import org.apache.kafka.common.TopicPartition;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;

/**
 * The poll thread of one share consumer ({@code Strategy.shareGroup}): polls, hands new deliveries
 * to its {@link ShareWorkers}, turns their outcomes into acknowledgements through {@link
 * ShareAcknowledgements}, renews the locks of records still in flight, and on stop releases what
 * did not finish and commits the acknowledgements. Every consumer call happens on this thread.
 *
 * <p>When it polls: in explicit acknowledgement mode a poll needs every record of the previous one
 * acknowledged, so records still running are renewed just before it ({@code RENEW}, which also
 * extends their locks). It polls when the fetch is settled and there is room under the in-flight
 * limit; while records run, when a worker is idle and {@link #REFILL_GAP} has passed since the last
 * poll (so one slow record does not starve the others); when the oldest lock in the fetch is half
 * its duration old; and when renewed records are still to come back. While the application paused
 * the runner, or the circuit is open or no rate permit is left, it polls only for renewals.
 */
final class ShareLoop<K, V> implements Loop {
  private static final Logger log = LoggerFactory.getLogger(ShareLoop.class);

  /** The least time between two polls that renew running records to fetch more. */
  static final long REFILL_GAP = TimeUnit.MILLISECONDS.toNanos(100);

  /** Kafka's default acquisition lock, used until the consumer reports the group's. */
  private static final long DEFAULT_LOCK_NANOS = TimeUnit.SECONDS.toNanos(30);

  /** How long a poll waits while renewed records are to come back or records run. */
  private static final Duration SHORT_POLL = Duration.ofMillis(50);

  private final String name;
  private final ShareConsumer<byte[], byte[]> consumer;
  private final RunnerSettings<K, V> settings;
  private final ShareWorkers<K, V> workers;
  private final ExecutorService pool;
  private final int workerCount;
  private final int limit;
  private final int maxPollRecords;
  private final Gate gate;
  private final UserPauses userPauses;
  private final LoopStats stats;
  private final Loop.Owner owner;
  private final RunnerMetrics metrics;
  private final AutoCloseable clientMetrics;
  private final StopDeadline stop = new StopDeadline();
  private final ShareAcknowledgements ledger;
  private final long livenessNanos;
  private Throwable failure;
  private volatile Thread thread;
  private long lastPollNanos = System.nanoTime();

  /** What a share loop is built from. */
  record Parts<K, V>(
      String name,
      ShareConsumer<byte[], byte[]> consumer,
      AutoCloseable clientMetrics,
      RunnerSettings<K, V> settings,
      ShareWorkers<K, V> workers,
      ExecutorService pool,
      int workerCount,
      int limit,
      int maxPollRecords,
      Gate gate,
      UserPauses userPauses,
      LoopStats stats,
      RunnerMetrics metrics,
      RunnerMetrics.ShareMeters meters,
      Loop.Owner owner) {}

  ShareLoop(Parts<K, V> parts) {
    this.name = parts.name();
    this.consumer = parts.consumer();
    this.clientMetrics = parts.clientMetrics();
    this.settings = parts.settings();
    this.workers = parts.workers();
    this.pool = parts.pool();
    this.workerCount = parts.workerCount();
    this.limit = parts.limit();
    this.maxPollRecords = parts.maxPollRecords();
    this.gate = parts.gate();
    this.userPauses = parts.userPauses();
    this.stats = parts.stats();
    this.owner = parts.owner();
    this.metrics = parts.metrics();
    this.ledger = new ShareAcknowledgements(consumer::acknowledge, parts.meters());
    Object interval = settings.consumerConfig().get("max.poll.interval.ms");
    long maxPollIntervalMs =
        interval == null ? 300_000 : Long.parseLong(String.valueOf(interval).trim());
    // Poll well within max.poll.interval.ms even when nothing else asks for a poll.
    this.livenessNanos = TimeUnit.MILLISECONDS.toNanos(Math.max(1, maxPollIntervalMs / 3));
  }

  @Override
  public String name() {
    return name;
  }

  /** A share consumer has no assignment of its own: many members read each partition. */
  @Override
  public Set<TopicPartition> assignment() {
    return Set.of();
  }

  @Override
  public Set<TopicPartition> userPaused() {
    return Set.of();
  }

  @Override
  public boolean isLoopThread() {
    return Thread.currentThread() == thread;
  }

  @Override
  public void requestStop(Duration timeout) {
    stop.request(timeout);
  }

  @Override
  public void run() {
    thread = Thread.currentThread();
    boolean consumerHealthy = true;
    try {
      consumer.setAcknowledgementCommitCallback(this::acknowledgementsCommitted);
      consumer.subscribe(settings.topics());
      while (!stop.requested() && failure == null) {
        step();
      }
    } catch (Throwable error) {
      consumerHealthy = false;
      fail(error);
    }
    try {
      finish(consumerHealthy);
    } catch (Throwable error) {
      log.error("{}: error while stopping", name, error);
      fail(error);
    } finally {
      try {
        close();
      } catch (Throwable error) {
        fail(error);
      } finally {
        owner.loopTerminated();
      }
    }
  }

  /** One round: take outcomes, then poll if a poll is due, else wait for outcomes. */
  private void step() {
    drainOutcomes();
    if (failure != null) {
      return;
    }
    long now = System.nanoTime();
    long lockNanos = lockNanos();
    ledger.expire(now, lockNanos + SHORT_POLL.toNanos() * 4);
    long renewAt = renewAt(lockNanos);
    boolean settled = ledger.fetchSettled();
    boolean fetching =
        !userPauses.current().all()
            && !gate.holdsAll()
            && ledger.inFlight() + maxPollRecords <= limit;
    boolean idleWorker = workers.open() < workerCount;
    boolean poll =
        (settled && (fetching || ledger.awaitingReturn() > 0))
            || (fetching && idleWorker && now - lastPollNanos >= REFILL_GAP)
            || now - renewAt >= 0
            || now - lastPollNanos >= livenessNanos;
    if (!poll) {
      long wait = Math.min(renewAt - now, settings.pollTimeout().toNanos());
      if (fetching && idleWorker) {
        wait = Math.min(wait, REFILL_GAP - (now - lastPollNanos));
      }
      awaitOutcome(Math.max(1, wait));
      return;
    }
    ledger.renewFetch(now);
    Duration timeout =
        settled && fetching && ledger.awaitingReturn() == 0 ? settings.pollTimeout() : SHORT_POLL;
    ConsumerRecords<byte[], byte[]> records = consumer.poll(timeout);
    lastPollNanos = System.nanoTime();
    List<ConsumerRecord<byte[], byte[]>> fresh = ledger.polled(records, lastPollNanos);
    for (ConsumerRecord<byte[], byte[]> record : fresh) {
      workers.submit(record);
    }
    track();
  }

  /** When the oldest lock in the fetch is half its duration old. */
  private long renewAt(long lockNanos) {
    long oldest = ledger.oldestLockNanos();
    return oldest == Long.MAX_VALUE
        ? Long.MAX_VALUE / 2 + System.nanoTime()
        : oldest + lockNanos / 2;
  }

  private long lockNanos() {
    Optional<Integer> lock = consumer.acquisitionLockTimeoutMs();
    return lock.map(ms -> TimeUnit.MILLISECONDS.toNanos(ms)).orElse(DEFAULT_LOCK_NANOS);
  }

  private void awaitOutcome(long nanos) {
    try {
      ShareWorkers.Outcome outcome = workers.await(nanos);
      if (outcome != null) {
        apply(outcome);
      }
      drainOutcomes();
    } catch (InterruptedException e) {
      Thread.currentThread().interrupt();
      throw new org.apache.kafka.common.errors.InterruptException(e);
    }
  }

  private void drainOutcomes() {
    for (ShareWorkers.Outcome outcome; (outcome = workers.poll()) != null; ) {
      apply(outcome);
    }
    track();
  }

  private void apply(ShareWorkers.Outcome outcome) {
    if (outcome.type() == null) {
      // Not acknowledged: the record's lock runs out or the consumer's close releases it.
      ledger.forget(outcome.id());
      fail(outcome.failure());
      return;
    }
    if (!ledger.completed(outcome.id(), outcome.type())) {
      log.debug("{}: outcome of {} dropped, its lock was lost", name, outcome.id());
    } else if (outcome.abandoned()) {
      metrics.records(0, 0, 1);
    }
  }

  /** Kafka's answer to acknowledgements; runs inside poll or commit on this thread. */
  private void acknowledgementsCommitted(
      Map<TopicIdPartition, Set<Long>> offsets, Exception exception) {
    if (exception == null) {
      return;
    }
    log.warn(
        "{}: Kafka refused acknowledgements of {}: {}; those records are delivered again",
        name,
        offsets,
        exception.toString());
    offsets.forEach(
        (partition, set) -> ledger.refused(partition.topic(), partition.partition(), set));
  }

  private void track() {
    stats.inFlight.set(ledger.inFlight());
    stats.queued.set(Math.max(0, workers.open() - workers.calling()));
    stats.highWaterInFlight.accumulateAndGet(ledger.inFlight(), Math::max);
  }

  /**
   * After the last step: no new deliveries start; handler calls and dead letters still running get
   * until the stop deadline; what finished is acknowledged, the rest of the fetch released, and the
   * acknowledgements committed.
   */
  private void finish(boolean consumerHealthy) {
    workers.halt();
    long deadline = stop.deadlineNanos(settings.closeTimeout());
    while (workers.calling() > 0 && System.nanoTime() - deadline < 0) {
      awaitOutcome(Math.min(TimeUnit.MILLISECONDS.toNanos(50), deadline - System.nanoTime()));
    }
    drainOutcomes();
    if (!consumerHealthy) {
      return;
    }
    int released = ledger.releaseFetch();
    metrics.records(0, 0, released);
    if (released > 0) {
      log.info("{}: released {} record(s) still in flight", name, released);
    }
    Duration left = stop.left(settings.closeTimeout(), Duration.ofSeconds(1));
    try {
      Map<TopicIdPartition, Optional<KafkaException>> results = consumer.commitSync(left);
      results.forEach(
          (partition, error) ->
              error.ifPresent(
                  e ->
                      log.warn(
                          "{}: acknowledgements of {} not committed: {}",
                          name,
                          partition,
                          e.toString())));
    } catch (RuntimeException e) {
      log.warn("{}: committing acknowledgements failed: {}", name, e.toString());
    }
  }

  private void close() {
    Duration timeout = stop.left(settings.closeTimeout(), Duration.ofSeconds(1));
    pool.shutdownNow();
    try {
      clientMetrics.close();
    } catch (Exception e) {
      log.debug("{}: closing client metrics failed", name, e);
    }
    try {
      consumer.close(timeout);
    } catch (RuntimeException e) {
      log.warn("{}: closing the share consumer failed: {}", name, e.toString());
    }
    stats.inFlight.set(0);
    stats.queued.set(0);
    log.debug("{}: stopped", name);
  }

  private void fail(Throwable error) {
    if (failure == null) {
      // The same rule as the other loops for a cluster that refuses the client.
      failure = ConsumerLoop.refusalOrSelf(name, error);
      log.error("{}: stopping: {}", name, failure.toString(), error);
      owner.loopFailed(failure);
    } else {
      log.debug("{}: further failure while stopping: {}", name, error.toString());
    }
  }
}
