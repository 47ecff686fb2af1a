package dev.kafkasdk.consumer.internal;

import dev.kafkasdk.consumer.DeserializationFailure;
import io.micrometer.observation.Observation;
import java.lang.invoke.MethodHandles;
import java.lang.invoke.VarHandle;
import java.util.List;
import org.apache.kafka.clients.consumer.ConsumerRecord;

/**
 * A unit of work: records of one partition, bound to the partition assignment that polled them. For
 * a batch handler it is one handler call; for a record handler it is a run of records handled one
 * call at a time, with {@link #cursor} marking how far it got. It may run more than once (retries,
 * or waiting for a circuit breaker or rate limiter); the fields that track that are handed from
 * thread to thread through the executor, the retry timer and the completion queue, which order the
 * accesses.
 */
final class Work<K, V> implements Gate.Permit {
  private final PartitionState<K, V> owner;
  private final List<ConsumerRecord<K, V>> records;
  private final List<ConsumerRecord<byte[], byte[]>> raw;
  private final SerialLane<K, V> lane;
  private final DeserializationFailure poison;
  private final boolean perRecord;

  /**
   * Handler calls of the current record (or batch) that failed so far; back to 0 when the cursor
   * moves past it, so every record has its own attempts.
   */
  volatile int attempts;

  /**
   * {@code System.nanoTime()} of the current record's (or batch's) first failure; set with its
   * first attempt.
   */
  volatile long firstFailureNanos;

  /**
   * The observation of the current record's (or batch's) last failed call, to link its dead letter
   * to; null when calls are not observed. Written and read on the worker thread that ran the call.
   */
  Observation failedCall;

  /** A rate-limiter permit was reserved for the next call. */
  volatile boolean permitReserved;

  /** Already taken off the queued count by its first run. */
  volatile boolean started;

  /**
   * Records at the front that are finished: processed, or taken by the failure policy. Advanced by
   * the worker running the work; the poll thread reads it while the work is still open to commit a
   * long run's finished prefix early.
   */
  volatile int cursor;

  /** {@link #cursor} for release stores from the worker's per-record loop. */
  static final VarHandle CURSOR;

  static {
    try {
      CURSOR = MethodHandles.lookup().findVarHandle(Work.class, "cursor", int.class);
    } catch (ReflectiveOperationException e) {
      throw new ExceptionInInitializerError(e);
    }
  }

  /** Records at the front already marked finished in the offset tracker. Poll thread only. */
  int applied;

  /** Finished records that the failure policy took (dead-lettered or skipped). */
  int policyHandled;

  /**
   * A failure of the first record that a fast-path run handed back (see {@link LaneRouter}), to be
   * decided before anything else when this work first runs in the record's key lane; else null. Set
   * by the poll thread before the work is queued, taken by the worker that runs it.
   */
  Throwable handedBackFailure;

  /**
   * Creates work of records that were deserialized.
   *
   * @param owner the partition state (and so the assignment epoch) the records belong to
   * @param records records of {@code owner}'s partition in offset order, deserialized
   * @param raw the same records with their original bytes
   * @param lane the ordering lane, or null for unordered work
   * @param perRecord whether the handler takes one record per call
   */
  Work(
      PartitionState<K, V> owner,
      List<ConsumerRecord<K, V>> records,
      List<ConsumerRecord<byte[], byte[]>> raw,
      SerialLane<K, V> lane,
      boolean perRecord) {
    this(owner, records, raw, lane, new Shape(perRecord, null));
  }

  private Work(
      PartitionState<K, V> owner,
      List<ConsumerRecord<K, V>> records,
      List<ConsumerRecord<byte[], byte[]>> raw,
      SerialLane<K, V> lane,
      Shape shape) {
    this.owner = owner;
    this.records = records;
    this.raw = raw;
    this.lane = lane;
    this.poison = shape.poison();
    this.perRecord = shape.perRecord();
  }

  /**
   * Creates work of one record that could not be deserialized: it goes straight to the failure
   * policy.
   *
   * @param owner the partition state the record belongs to
   * @param record what could be made of the record (key or value may be null)
   * @param raw the record with its original bytes
   * @param lane the ordering lane, or null for unordered work
   * @param poison why the record could not be deserialized
   * @return the work
   */
  static <K, V> Work<K, V> poisoned(
      PartitionState<K, V> owner,
      ConsumerRecord<K, V> record,
      ConsumerRecord<byte[], byte[]> raw,
      SerialLane<K, V> lane,
      DeserializationFailure poison) {
    return new Work<>(owner, List.of(record), List.of(raw), lane, new Shape(true, poison));
  }

  /** Whether the handler takes one record per call, and why the record is poison (or null). */
  private record Shape(boolean perRecord, DeserializationFailure poison) {}

  @Override
  public boolean reserved() {
    return permitReserved;
  }

  @Override
  public void reserved(boolean reserved) {
    permitReserved = reserved;
  }

  PartitionState<K, V> owner() {
    return owner;
  }

  List<ConsumerRecord<K, V>> records() {
    return records;
  }

  List<ConsumerRecord<byte[], byte[]>> raw() {
    return raw;
  }

  SerialLane<K, V> lane() {
    return lane;
  }

  DeserializationFailure poison() {
    return poison;
  }

  boolean perRecord() {
    return perRecord;
  }

  /** Whether this is a run of several records for a record handler, whose progress is visible. */
  boolean isRun() {
    return perRecord && records.size() > 1;
  }

  long firstOffset() {
    return records.get(0).offset();
  }

  /** The records the current failure is about: the record at the cursor, or the whole batch. */
  List<ConsumerRecord<K, V>> failing() {
    return perRecord ? records.subList(cursor, cursor + 1) : records;
  }

  /** The record at {@code index} with its original bytes. */
  ConsumerRecord<byte[], byte[]> rawAt(int index) {
    return raw.get(index);
  }

  /** The same records with their original bytes. */
  List<ConsumerRecord<byte[], byte[]>> failingRaw() {
    return perRecord ? raw.subList(cursor, cursor + 1) : raw;
  }

  /** The offset of the first record not yet finished. */
  long currentOffset() {
    return records.get(Math.min(cursor, records.size() - 1)).offset();
  }

  /** The failure policy took the current record (or batch): move past it. */
  void policyTookCurrent() {
    int taken = perRecord ? 1 : records.size() - cursor;
    cursor += taken;
    policyHandled += taken;
    recordFinished();
  }

  /** The current record is over: the next one starts without attempts or a first failure. */
  void recordFinished() {
    attempts = 0;
    firstFailureNanos = 0;
  }

  /**
   * Makes this work, not yet queued, carry the failure of its first record from the run that handed
   * it back, with that record's attempts so far: its first run decides the failure instead of
   * calling the handler again.
   */
  void carry(Throwable failure, Work<K, V> from) {
    handedBackFailure = failure;
    attempts = from.attempts;
    firstFailureNanos = from.firstFailureNanos;
    failedCall = from.failedCall;
  }

  /** Takes the failure this work carries, if any (see {@link #carry}). Worker thread. */
  Throwable takeHandedBackFailure() {
    Throwable failure = handedBackFailure;
    handedBackFailure = null;
    return failure;
  }

  /** Records not yet finished. */
  int remaining() {
    return records.size() - cursor;
  }
}
