package dev.kafkasdk.benchmarks;

import java.nio.charset.StandardCharsets;
import java.util.Map;
import java.util.concurrent.atomic.AtomicLongArray;
import java.util.concurrent.atomic.AtomicReference;
import java.util.concurrent.atomic.LongAdder;
import org.apache.kafka.clients.consumer.ConsumerRecord;

/**
 * What a peer library's trial handled, checked for loss and, where the peer promises order, for
 * per-key order: a trial that lost a record or handled a key's records out of order fails instead
 * of counting.
 *
 * <p>Loss: one bit per record ({@link HandledOffsets}). Order: for each key of each partition, the
 * highest offset handled so far; a record handled for the first time below it was overtaken by a
 * later record of its key. A redelivered record (its bit already set, e.g. replayed after a
 * rebalance) does not count: at-least-once delivery may repeat a suffix, in order or not. Keys are
 * those of {@link Workloads#fill}: {@code key-<n>} with {@code n} below the key count.
 */
final class DeliveryCheck {
  private final HandledOffsets handled;
  private final long total;
  private final int keys;
  private final boolean ordered;
  private final AtomicLongArray lastOffset;
  private final LongAdder outOfOrder = new LongAdder();
  private final AtomicReference<String> firstOutOfOrder = new AtomicReference<>();

  /**
   * Creates the check of one trial.
   *
   * @param endOffsets the topic's end offsets (partition i at index i)
   * @param keys the distinct keys the topic was filled with
   * @param ordered whether the peer promises per-key order (KEY or PARTITION ordering)
   */
  DeliveryCheck(long[] endOffsets, int keys, boolean ordered) {
    this.handled = new HandledOffsets(endOffsets);
    long sum = 0;
    for (long end : endOffsets) {
      sum += end;
    }
    this.total = sum;
    this.keys = keys;
    this.ordered = ordered;
    this.lastOffset = new AtomicLongArray(ordered ? endOffsets.length * keys : 0);
    for (int i = 0; i < lastOffset.length(); i++) {
      lastOffset.set(i, -1);
    }
  }

  /**
   * Records that the peer handled {@code record}; called by the peer's handler threads.
   *
   * @return true the first time this record is handled
   */
  boolean handled(ConsumerRecord<byte[], byte[]> record) {
    return handled(record.partition(), record.offset(), record.key());
  }

  /**
   * As {@link #handled(ConsumerRecord)}, from the record's partition, offset and key.
   *
   * @return true the first time this record is handled
   */
  boolean handled(int partition, long offset, byte[] key) {
    boolean first = handled.mark(partition, offset);
    if (ordered) {
      int slot = partition * keys + keyNumber(key);
      long last = lastOffset.get(slot);
      if (offset > last) {
        lastOffset.set(slot, offset);
      } else if (first) {
        outOfOrder.increment();
        firstOutOfOrder.compareAndSet(
            null,
            "partition "
                + partition
                + " key "
                + new String(key, StandardCharsets.UTF_8)
                + ": offset "
                + offset
                + " handled after offset "
                + last);
      }
    }
    return first;
  }

  /** Distinct records handled so far. */
  long distinct() {
    return handled.distinct();
  }

  /** Records in the topic when the trial began. */
  long total() {
    return total;
  }

  /**
   * Fails if a record of a key was handled after a later record of the same key.
   *
   * @param what the trial, for the message
   * @throws IllegalStateException if order was broken
   */
  void requireOrder(String what) {
    if (outOfOrder.sum() > 0) {
      throw new IllegalStateException(
          what
              + " broke per-key order "
              + outOfOrder.sum()
              + " times; first: "
              + firstOutOfOrder.get());
    }
  }

  /**
   * Fails if a record below the group's committed positions was never handled, or order broke.
   *
   * @param positions per partition, the committed offset
   * @param what the trial, for the message
   * @throws IllegalStateException if a record was lost or order was broken
   */
  void requireNoneLostBelow(Map<Integer, Long> positions, String what) {
    handled.requireNoneLostBelow(positions, what);
    requireOrder(what);
  }

  /** {@code key-<n>} to {@code n}, without allocating: this runs once per handled record. */
  private int keyNumber(byte[] key) {
    int n = 0;
    int i = key.length - 1;
    int scale = 1;
    while (i >= 0 && key[i] >= '0' && key[i] <= '9') {
      n += (key[i] - '0') * scale;
      scale *= 10;
      i--;
    }
    if (i == key.length - 1 || n >= keys) {
      throw new IllegalStateException(
          "unexpected key " + new String(key, StandardCharsets.UTF_8) + " (keys: " + keys + ")");
    }
    return n;
  }
}
