package dev.kafkasdk.consumer.internal;

import dev.kafkasdk.consumer.DeserializationFailure;
import dev.kafkasdk.consumer.HandlerFailedException;
import dev.kafkasdk.producer.TransactionFailedException;
import dev.kafkasdk.producer.TransactionalProducer;
import java.time.Duration;
import java.util.Collection;
import java.util.HashMap;
import java.util.HashSet;
import java.util.Map;
import java.util.Set;
import java.util.concurrent.TimeUnit;
import org.apache.kafka.clients.consumer.ConsumerRebalanceListener;
import org.apache.kafka.clients.consumer.ConsumerRecord;
import org.apache.kafka.clients.consumer.ConsumerRecords;
import org.apache.kafka.clients.consumer.OffsetAndMetadata;
import org.apache.kafka.common.TopicPartition;
import org.apache.kafka.common.errors.TimeoutException;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;

/**
 * One consumer thread of the exactly-once mode: consume, transform, produce. Each poll batch is one
 * transaction on this thread's own {@link TransactionalProducer} ({@code transactional.id} {@code
 * <prefix>-<thread index>-0}, stable across restarts, so a restarted instance fences its
 * predecessor and aborts what it left open): begin, run the handler for every record, send the
 * output, add the batch's next offsets with {@code consumer.groupMetadata()}, commit.
 *
 * <ul>
 *   <li>The handler runs on this thread, between two polls, so no transaction is open while a
 *       rebalance runs inside {@code poll()}: nothing spans a revocation.
 *   <li>A handler call that fails ends the batch there ({@link TransactionalBatch}): the records
 *       before it are committed, the consumer resumes at the failing record, and that record is
 *       tried again with its own attempt count ({@code maxAttempts} per record).
 *   <li>After an abort (or a failed or fenced commit) the consumer's position is past records whose
 *       output was thrown away, so the loop seeks every partition of the batch back to its last
 *       committed offset before polling again (KAFKA-17582), waiting while the offsets are
 *       unstable.
 *   <li>A fenced or defunct producer is closed without an abort and replaced by the {@code
 *       TransactionalProducer} (it runs with {@code maxAttempts(1)}, so the body never re-runs on a
 *       rewound consumer behind the loop's back).
 * </ul>
 */
final class TransactionalLoop<K, V, OK, OV> extends ConsumerLoop<K, V> {
  private static final Logger log = LoggerFactory.getLogger(TransactionalLoop.class);
  // One committed() call of a rewind; short so the loop keeps polling (group membership) while an
  // open transaction keeps the offsets unstable.
  private static final Duration REWIND_STEP = Duration.ofSeconds(5);
  private static final long REWIND_WARN_EVERY_NANOS = TimeUnit.SECONDS.toNanos(30);
  private static final long HOUSEKEEPING_NANOS = TimeUnit.SECONDS.toNanos(1);

  private final int index;
  private final ExactlyOnceSettings<K, V, OK, OV> exactlyOnce;
  private final RecordDecoder<K, V> decoder;
  private final PauseControl pauses;
  private final LoopProgress progress;
  // Per partition, how many committed transactions moved its offset: its commit clock for stuck
  // detection.
  private final Map<TopicPartition, Long> commitMoves = new HashMap<>();
  private long nextHousekeepingNanos;

  private TransactionalProducer<OK, OV> producer;
  // Transactions that failed in a row (not records: those are counted in failedCalls).
  private int failuresInARow;
  // Per partition, the record that failed last and how often; cleared once it is committed.
  private final Map<TopicPartition, FailedCalls> failedCalls = new HashMap<>();
  private final CallTelemetry telemetry;
  private long holdUntilNanos;
  // Partitions waiting to be rewound, with the offset to use if the group has none committed.
  private final Map<TopicPartition, Long> rewindTo = new HashMap<>();
  private long rewindStartNanos;
  private long rewindWarnedNanos;
  private volatile Set<TopicPartition> assignment = Set.of();

  /**
   * Creates the loop.
   *
   * @param context the consumer and what the loop reports to
   * @param index this loop's number among the runner's consumer threads
   * @param exactlyOnce the output producer and the transform
   * @param decoder deserializes each record on its own
   * @param telemetry what to add around each handler call, or null for nothing
   */
  TransactionalLoop(
      LoopContext<K, V> context,
      int index,
      ExactlyOnceSettings<K, V, OK, OV> exactlyOnce,
      RecordDecoder<K, V> decoder,
      CallTelemetry telemetry) {
    super(context);
    this.index = index;
    this.exactlyOnce = exactlyOnce;
    this.decoder = decoder;
    this.pauses = new PauseControl(name, consumer, null, stats, context.userPauses());
    this.progress = new LoopProgress(name, context.reports().board());
    this.telemetry = telemetry;
  }

  @Override
  public Set<TopicPartition> assignment() {
    return assignment;
  }

  @Override
  public Set<TopicPartition> userPaused() {
    return pauses.userPaused();
  }

  @Override
  protected void start() {
    TransactionalProducer.Builder<OK, OV> builder =
        exactlyOnce
            .producer()
            .transactional(exactlyOnce.transactionalIdPrefix() + "-" + index)
            .maxAttempts(1);
    // With the runner's registry the output's sends are observed: each send happens inside its
    // record's process observation, so the trace context it injects continues that record's trace.
    settings.telemetry().observeSends(builder);
    producer = builder.build();
    // Initialize now (an empty transaction): a predecessor's transaction left open with this id
    // is aborted at once, rather than when this thread first gets records. Until then it would
    // hold back read_committed readers and the group's pending offsets.
    producer.inTransaction(tx -> {});
  }

  @Override
  protected ConsumerRebalanceListener rebalanceListener() {
    return new Rebalance();
  }

  @Override
  protected void step() {
    applyPauses(false);
    if (rewinding() || holding()) {
      consumer.poll(settings.pollTimeout());
      housekeeping();
      return;
    }
    ConsumerRecords<byte[], byte[]> records = consumer.poll(settings.pollTimeout());
    if (!records.isEmpty()) {
      stats.inFlight(records.count());
      // The handler runs on this thread: mark the records as waiting first, so that a call that
      // hangs shows as a stuck partition to health(), which reads the clock from another thread.
      long now = System.nanoTime();
      for (TopicPartition partition : records.partitions()) {
        PartitionProgress of = progress.get(partition);
        if (of != null) {
          of.observe(commitMoves.getOrDefault(partition, 0L), true, now);
        }
      }
      process(records);
      stats.inFlight(0);
    }
    housekeeping();
  }

  /** The SDK pauses everything during a backoff; the application's pauses hold on their own. */
  private void applyPauses(boolean force) {
    pauses.reconcile(
        assignment, holdUntilNanos != 0 ? new HashSet<>(assignment) : new HashSet<>(), force);
  }

  /** Once a second: each partition's lag, and whether its records wait for this loop. */
  private void housekeeping() {
    long now = System.nanoTime();
    if (now - nextHousekeepingNanos < 0) {
      return;
    }
    nextHousekeepingNanos = now + HOUSEKEEPING_NANOS;
    Set<TopicPartition> userPaused = pauses.userPaused();
    Map<TopicPartition, Long> fetchLag =
        progress.fetchLag(consumer, assignment, userPaused, settings.pollTimeout());
    long lag = 0;
    for (TopicPartition partition : assignment) {
      Long fetch = fetchLag.get(partition);
      lag += fetch == null ? 0 : fetch;
      PartitionProgress of = progress.get(partition);
      if (of != null) {
        of.lag(fetch == null ? Double.NaN : fetch);
        boolean waiting = fetch != null && fetch > 0 && !userPaused.contains(partition);
        of.observe(commitMoves.getOrDefault(partition, 0L), waiting, now);
      }
    }
    stats.lag.set(lag);
  }

  /** Whether the loop is backing off after an abort; resumes the partitions when it is over. */
  private boolean holding() {
    if (holdUntilNanos == 0) {
      return false;
    }
    if (System.nanoTime() - holdUntilNanos < 0) {
      return true;
    }
    holdUntilNanos = 0;
    applyPauses(false);
    return false;
  }

  private void process(ConsumerRecords<byte[], byte[]> records) {
    TransactionalBatch<K, V, OK, OV> batch =
        new TransactionalBatch<>(
            records, decoder, exactlyOnce.handler(), consumer::groupMetadata, telemetry);
    long start = System.nanoTime();
    try {
      producer.inTransaction(batch::run);
    } catch (RuntimeException e) {
      transactionFailed(records, batch, e, start);
      return;
    }
    metrics.transaction(true);
    metrics.records(batch.handled(), 0, 0);
    metrics.handled(System.nanoTime() - start);
    failuresInARow = 0;
    for (TopicPartition partition : records.partitions()) {
      if (batch.wasHandled(partition, records.records(partition).get(0).offset())) {
        commitMoves.merge(partition, 1L, Long::sum);
      }
    }
    // Records that failed before and have now been committed are done with their attempts.
    failedCalls.entrySet().removeIf(e -> batch.wasHandled(e.getKey(), e.getValue().offset()));
    if (batch.failed() != null) {
      recordFailed(records, batch);
    }
  }

  /**
   * A record's call failed, and the transaction with everything before it committed: the consumer
   * resumes every partition of the batch at its first unprocessed record (known exactly, no need to
   * ask the group) and the failing record is tried again, after a backoff, unless it has used up
   * its attempts.
   */
  private void recordFailed(
      ConsumerRecords<byte[], byte[]> records, TransactionalBatch<K, V, OK, OV> batch) {
    for (TopicPartition partition : records.partitions()) {
      long resumeAt = batch.resumeAt(partition);
      if (resumeAt >= 0) {
        consumer.seek(partition, resumeAt);
      }
    }
    ConsumerRecord<byte[], byte[]> failed = batch.failed();
    TopicPartition partition = new TopicPartition(failed.topic(), failed.partition());
    // A record that cannot be deserialized fails the same way every time: never tried again.
    int failures =
        batch.failure() instanceof DeserializationFailure
            ? exactlyOnce.retry().maxAttempts()
            : countFailure(partition, failed.offset());
    if (failures >= exactlyOnce.retry().maxAttempts()) {
      metrics.records(0, 1, 0);
      fail(new HandlerFailedException(partition, failed.offset(), batch.failure()));
      return;
    }
    metrics.retry();
    log.warn(
        "{}: handler failed on {} at offset {} (attempt {} of {}); the {} record(s) before it were"
            + " committed, trying it again: {}",
        name,
        partition,
        failed.offset(),
        failures,
        exactlyOnce.retry().maxAttempts(),
        batch.handled(),
        batch.failure().toString());
    hold(failures, batch.failure());
  }

  /**
   * The transaction itself failed (a send, the offsets, the commit, a fenced producer) and was
   * aborted or replaced: nothing of the batch is committed, so the batch is rewound and run again.
   * Such failures are no record's own; {@code maxAttempts} of them in a row stop the runner.
   */
  private void transactionFailed(
      ConsumerRecords<byte[], byte[]> records,
      TransactionalBatch<K, V, OK, OV> batch,
      RuntimeException e,
      long start) {
    metrics.transaction(false);
    metrics.handlerFailed(System.nanoTime() - start);
    if (refusedByCluster(e)) {
      // Nothing of the batch was committed; retrying cannot succeed until the ACL is granted.
      fail(e);
      return;
    }
    failuresInARow++;
    ConsumerRecord<byte[], byte[]> failed = batch.failed();
    int recordFailures =
        failed == null
            ? 0
            : countFailure(new TopicPartition(failed.topic(), failed.partition()), failed.offset());
    boolean unknown = e instanceof TransactionFailedException tfe && tfe.commitOutcomeUnknown();
    log.warn(
        "{}: transaction of {} record(s) failed ({} in a row{}); rewinding to the committed"
            + " offsets: {}",
        name,
        records.count(),
        failuresInARow,
        unknown ? ", commit outcome unknown" : "",
        e.toString());
    if (recordFailures >= exactlyOnce.retry().maxAttempts()) {
      fail(
          new HandlerFailedException(
              new TopicPartition(failed.topic(), failed.partition()),
              failed.offset(),
              batch.failure()));
      return;
    }
    if (failuresInARow >= exactlyOnce.retry().maxAttempts()) {
      TopicPartition first = records.partitions().iterator().next();
      fail(
          e instanceof HandlerFailedException named
              ? named
              : new HandlerFailedException(first, records.records(first).get(0).offset(), e));
      return;
    }
    hold(failuresInARow, e);
    startRewind(records);
  }

  /** Counts a failed call of the record; returns its failed calls so far, this one included. */
  private int countFailure(TopicPartition partition, long offset) {
    FailedCalls previous = failedCalls.get(partition);
    int failures = previous != null && previous.offset() == offset ? previous.count() + 1 : 1;
    failedCalls.put(partition, new FailedCalls(offset, failures));
    return failures;
  }

  /** Pauses every partition for the retry policy's backoff after the given failures in a row. */
  private void hold(int failures, Throwable error) {
    long backoff = exactlyOnce.retry().delay(failures, error).toNanos();
    holdUntilNanos = System.nanoTime() + backoff;
    applyPauses(false);
  }

  /**
   * Marks every partition of the failed batch to be sought back to its committed offset, or to the
   * batch's first record if nothing was committed. The consumer's position is past the batch, and
   * without this the next poll would skip records whose output was aborted (KAFKA-17582). The
   * partitions are paused until {@link #rewinding()} has done it.
   */
  private void startRewind(ConsumerRecords<byte[], byte[]> records) {
    for (TopicPartition partition : records.partitions()) {
      rewindTo.putIfAbsent(partition, records.records(partition).get(0).offset());
    }
    rewindStartNanos = System.nanoTime();
    rewindWarnedNanos = rewindStartNanos - REWIND_WARN_EVERY_NANOS;
  }

  /**
   * Tries to finish a pending rewind; returns whether it is still pending. The committed offsets
   * can be unstable (a transaction with offsets for the group is still open: one this loop could
   * not abort, or one a crashed predecessor left) until the coordinator ends it, at the latest
   * after {@code transaction.timeout.ms}. Rather than give up, the loop keeps polling with the
   * partitions paused and asks again, until the offsets are stable or the runner stops.
   */
  private boolean rewinding() {
    if (rewindTo.isEmpty()) {
      return false;
    }
    rewindTo.keySet().retainAll(consumer.assignment());
    if (rewindTo.isEmpty()) {
      return false;
    }
    Map<TopicPartition, OffsetAndMetadata> committed;
    try {
      committed = consumer.committed(rewindTo.keySet(), REWIND_STEP);
    } catch (TimeoutException e) {
      long now = System.nanoTime();
      if (now - rewindWarnedNanos < REWIND_WARN_EVERY_NANOS) {
        return true;
      }
      rewindWarnedNanos = now;
      log.warn(
          "{}: committed offsets of {} not stable after {} ms (a transaction with offsets for the"
              + " group is still open; the coordinator ends it within transaction.timeout.ms);"
              + " partitions stay paused, asking again",
          name,
          rewindTo.keySet(),
          TimeUnit.NANOSECONDS.toMillis(now - rewindStartNanos));
      return true;
    }
    rewindTo.forEach(
        (partition, first) -> {
          OffsetAndMetadata offset = committed.get(partition);
          if (offset != null) {
            consumer.seek(partition, offset);
          } else {
            consumer.seek(partition, first);
          }
        });
    rewindTo.clear();
    return false;
  }

  @Override
  protected void beforeClose(Duration timeout) {
    if (producer != null) {
      try {
        producer.close(timeout);
      } catch (RuntimeException e) {
        log.warn("{}: closing the producer failed: {}", name, e.toString());
      }
    }
  }

  @Override
  protected void afterClose() {
    assignment = Set.of();
    stats.inFlight(0);
    stats.lag.set(0);
    pauses.clear();
    progress.clear();
  }

  /** A record whose handler calls failed {@code count} times in a row. */
  private record FailedCalls(long offset, int count) {}

  /** Runs inside {@code poll()}, when no transaction is open. */
  private final class Rebalance implements ConsumerRebalanceListener {
    @Override
    public void onPartitionsRevoked(Collection<TopicPartition> partitions) {
      remove(partitions);
      if (!partitions.isEmpty()) {
        metrics.revoked(partitions.size());
        log.info("{}: revoked {}", name, partitions);
      }
    }

    @Override
    public void onPartitionsLost(Collection<TopicPartition> partitions) {
      remove(partitions);
      metrics.lost(partitions.size());
      log.warn("{}: lost {}", name, partitions);
    }

    @Override
    public void onPartitionsAssigned(Collection<TopicPartition> partitions) {
      Set<TopicPartition> now = new HashSet<>(assignment);
      now.addAll(partitions);
      assignment = Set.copyOf(now);
      progress.assigned(partitions);
      // An assignment may reset the client's pause state: pause again what must stay paused.
      applyPauses(true);
      if (!partitions.isEmpty()) {
        metrics.assigned(partitions.size());
        log.info("{}: assigned {}", name, partitions);
      }
    }

    private void remove(Collection<TopicPartition> partitions) {
      failedCalls.keySet().removeAll(partitions);
      commitMoves.keySet().removeAll(partitions);
      pauses.forget(partitions);
      progress.removed(partitions);
      Set<TopicPartition> now = new HashSet<>(assignment);
      now.removeAll(partitions);
      assignment = Set.copyOf(now);
    }
  }
}
