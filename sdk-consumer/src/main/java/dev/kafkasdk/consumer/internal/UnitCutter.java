package dev.kafkasdk.consumer.internal;

import dev.kafkasdk.consumer.DeserializationFailure;
import java.util.ArrayList;
import java.util.List;
import org.apache.kafka.clients.consumer.ConsumerRecord;

/**
 * Deserializes polled records one by one and cuts them into units of {@link Work}: runs of records
 * for a record handler, batches for a batch handler, and a record that cannot be deserialized as a
 * unit of its own that goes straight to the failure policy. Poll thread only.
 *
 * <p>For a record handler, a unit holds a run of records sized by {@link RunLength} (fewer for
 * unordered work, so every worker gets some, but not below about 100 us of handler time), handled
 * one call at a time: a cheap handler then costs one hand-off per run instead of one per record.
 * Each record is still its own attempt. With a circuit breaker or rate limiter, every record is a
 * unit of its own, so both count calls. A batch holds at most what the rate limiter admits in one
 * period (see {@link Gate#largestCall}).
 */
final class UnitCutter<K, V> {
  private final RecordDecoder<K, V> decoder;
  private final boolean perRecord;
  private final int batchSize;
  private final Gate gate;
  private final RunLength runLength;

  UnitCutter(DispatchContext<K, V> context, RunLength runLength) {
    this.decoder = context.decoder();
    this.perRecord = context.invoker().perRecord();
    this.batchSize = context.batchSize();
    this.gate = context.gate();
    this.runLength = runLength;
  }

  /**
   * Deserializes and cuts records into units: runs or batches of valid records, poison alone.
   *
   * @param state the partition assignment that polled the records
   * @param records the records, in offset order
   * @param lane the lane the units go to, or null for unordered work
   */
  List<Work<K, V>> units(
      PartitionState<K, V> state,
      List<ConsumerRecord<byte[], byte[]>> records,
      SerialLane<K, V> lane) {
    int unitSize = perRecord ? runLength(records.size(), lane) : gate.largestCall(batchSize);
    List<Work<K, V>> units = new ArrayList<>((records.size() / unitSize) + 1);
    int capacity = Math.min(unitSize, records.size());
    List<ConsumerRecord<K, V>> batch = new ArrayList<>(capacity);
    List<ConsumerRecord<byte[], byte[]>> rawBatch = new ArrayList<>(capacity);
    for (ConsumerRecord<byte[], byte[]> raw : records) {
      RecordDecoder.Decoded<K, V> decoded = decoder.decode(raw);
      if (decoded.failure() != null) {
        if (!batch.isEmpty()) {
          units.add(new Work<>(state, batch, rawBatch, lane, perRecord));
          batch = new ArrayList<>(capacity);
          rawBatch = new ArrayList<>(capacity);
        }
        units.add(Work.poisoned(state, decoded.record(), raw, lane, decoded.failure()));
        continue;
      }
      batch.add(decoded.record());
      rawBatch.add(raw);
      if (batch.size() == unitSize) {
        units.add(new Work<>(state, batch, rawBatch, lane, perRecord));
        batch = new ArrayList<>(capacity);
        rawBatch = new ArrayList<>(capacity);
      }
    }
    if (!batch.isEmpty()) {
      units.add(new Work<>(state, batch, rawBatch, lane, perRecord));
    }
    return units;
  }

  /**
   * Cuts records that a fast-path run handed back, already deserialized, into runs of one key lane:
   * poison stays a unit of its own, as {@link #units} made it.
   *
   * @param state the partition assignment that polled the records
   * @param handedBack the records of one key, in offset order
   * @param lane their key lane
   */
  List<Work<K, V>> recut(
      PartitionState<K, V> state, List<HandedBack<K, V>> handedBack, SerialLane<K, V> lane) {
    int unitSize = runLength(handedBack.size(), lane);
    List<Work<K, V>> units = new ArrayList<>();
    List<ConsumerRecord<K, V>> batch = new ArrayList<>();
    List<ConsumerRecord<byte[], byte[]>> rawBatch = new ArrayList<>();
    for (HandedBack<K, V> record : handedBack) {
      if (record.poison() != null || batch.size() == unitSize) {
        if (!batch.isEmpty()) {
          units.add(new Work<>(state, batch, rawBatch, lane, perRecord));
          batch = new ArrayList<>();
          rawBatch = new ArrayList<>();
        }
        if (record.poison() != null) {
          units.add(Work.poisoned(state, record.record(), record.raw(), lane, record.poison()));
          continue;
        }
      }
      batch.add(record.record());
      rawBatch.add(record.raw());
    }
    if (!batch.isEmpty()) {
      units.add(new Work<>(state, batch, rawBatch, lane, perRecord));
    }
    return units;
  }

  /**
   * One record a fast-path run handed back: as deserialized, with its original bytes, and why it
   * could not be deserialized (or null).
   */
  record HandedBack<K, V>(
      ConsumerRecord<K, V> record,
      ConsumerRecord<byte[], byte[]> raw,
      DeserializationFailure poison) {}

  /**
   * How many records one unit takes for a record handler: one each with a circuit breaker or rate
   * limiter, so both count calls; else what {@link RunLength} says.
   */
  private int runLength(int records, SerialLane<K, V> lane) {
    if (!gate.passive()) {
      return 1;
    }
    return runLength.of(records, lane != null);
  }
}
