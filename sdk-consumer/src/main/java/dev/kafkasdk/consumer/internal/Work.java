package dev.kafkasdk.consumer.internal;

import dev.kafkasdk.consumer.DeserializationFailure;
import java.util.List;
import org.apache.kafka.clients.consumer.ConsumerRecord;

/**
 * One handler call's worth of records, bound to the partition assignment that polled them. It may
 * run more than once (retries, or waiting for a circuit breaker or rate limiter); the fields that
 * track that are handed from thread to thread through the executor and the retry timer, which order
 * the accesses.
 */
final class Work<K, V> {
  private final PartitionState<K, V> owner;
  private final List<ConsumerRecord<K, V>> records;
  private final List<ConsumerRecord<byte[], byte[]>> raw;
  private final SerialLane<K, V> lane;
  private final DeserializationFailure poison;

  /** Handler calls that failed so far. */
  volatile int attempts;

  /** {@code System.nanoTime()} of the first failure. */
  volatile long firstFailureNanos;

  /** A rate-limiter permit was reserved for the next call. */
  volatile boolean permitReserved;

  /** Already taken off the queued count by its first run. */
  volatile boolean started;

  /**
   * Creates work.
   *
   * @param owner the partition state (and so the assignment epoch) the records belong to
   * @param records records of {@code owner}'s partition in offset order, deserialized
   * @param raw the same records with their original bytes
   * @param lane the ordering lane, or null for unordered work
   * @param poison why the single record could not be deserialized, or null
   */
  Work(
      PartitionState<K, V> owner,
      List<ConsumerRecord<K, V>> records,
      List<ConsumerRecord<byte[], byte[]>> raw,
      SerialLane<K, V> lane,
      DeserializationFailure poison) {
    this.owner = owner;
    this.records = records;
    this.raw = raw;
    this.lane = lane;
    this.poison = poison;
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

  long firstOffset() {
    return records.get(0).offset();
  }
}
