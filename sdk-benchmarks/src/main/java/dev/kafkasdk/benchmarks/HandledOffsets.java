package dev.kafkasdk.benchmarks;

import java.util.Map;
import java.util.concurrent.atomic.AtomicLongArray;
import java.util.concurrent.atomic.LongAdder;

/**
 * Which offsets of a preloaded topic a trial handled: one bit per record, set by any thread. It
 * makes "no record lost" a check of every benchmark trial that reads with a share group, where a
 * count alone could hide a lost record behind a redelivered one, and counts distinct records for
 * the trial's rate.
 */
final class HandledOffsets {
  private final AtomicLongArray[] bits;
  private final LongAdder distinct = new LongAdder();

  /**
   * Creates the bit sets.
   *
   * @param endOffsets each partition's end offset (partition i at index i)
   */
  HandledOffsets(long[] endOffsets) {
    bits = new AtomicLongArray[endOffsets.length];
    for (int p = 0; p < endOffsets.length; p++) {
      bits[p] = new AtomicLongArray((int) ((endOffsets[p] + 63) / 64));
    }
  }

  /**
   * Marks a record handled.
   *
   * @param partition its partition
   * @param offset its offset
   * @return true the first time this record is marked
   */
  boolean mark(int partition, long offset) {
    AtomicLongArray words = bits[partition];
    int index = (int) (offset >>> 6);
    long bit = 1L << (offset & 63);
    long word;
    do {
      word = words.get(index);
      if ((word & bit) != 0) {
        return false;
      }
    } while (!words.compareAndSet(index, word, word | bit));
    distinct.increment();
    return true;
  }

  /** How many distinct records were marked. */
  long distinct() {
    return distinct.sum();
  }

  /**
   * Counts the records below each partition's position that were never marked: records a group has
   * acknowledged or committed past without handling them, i.e. lost.
   *
   * @param positions per partition, the offset below which the group is done (the consumer group's
   *     committed offset, the share group's start offset)
   * @return the number of unmarked records below the positions
   */
  long missingBelow(Map<Integer, Long> positions) {
    long missing = 0;
    for (Map.Entry<Integer, Long> position : positions.entrySet()) {
      AtomicLongArray words = bits[position.getKey()];
      for (long offset = 0; offset < position.getValue(); offset++) {
        if ((words.get((int) (offset >>> 6)) & (1L << (offset & 63))) == 0) {
          missing++;
        }
      }
    }
    return missing;
  }

  /**
   * Fails unless no record below the positions was lost.
   *
   * @param positions see {@link #missingBelow(Map)}
   * @param what the trial, for the message
   * @throws IllegalStateException if a record below a position was never handled
   */
  void requireNoneLostBelow(Map<Integer, Long> positions, String what) {
    long missing = missingBelow(positions);
    if (missing > 0) {
      throw new IllegalStateException(
          what + " lost " + missing + " records: never handled, yet below " + positions);
    }
  }
}
