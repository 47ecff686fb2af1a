package dev.kafkasdk.consumer.internal;

import java.util.OptionalLong;

/**
 * Tracks, for one partition and one assignment, which polled offsets are finished and computes the
 * offset that is safe to commit.
 *
 * <p>Offsets are registered in the order they were polled ({@link #dispatched(long)}) and finished
 * in any order ({@link #completed(long)}). The safe commit offset is the offset of the oldest
 * unfinished record; when nothing is unfinished it is the offset after the last polled record, or
 * the consumer's fetch position if that is further ({@link #observePosition(long)}). Only offsets
 * that were actually polled are tracked, so gaps left by transaction markers, aborted transactions
 * or compaction never stall the commit: there is nothing at those offsets to wait for.
 *
 * <p>Offsets at or above the commit point live in a ring buffer sorted by offset, so memory is
 * proportional to {@link #tracked()} (which the runner bounds), {@link #dispatched(long)} is
 * amortised O(1), {@link #completed(long)} is O(1) when it follows the previously completed offset
 * or when the tracked offsets have no gaps (the common cases) and O(log n) otherwise, plus the
 * amortised O(1) removal of the finished prefix, and {@link #committable()} is O(1).
 *
 * <p>Not thread-safe: the runner confines each tracker to its poll thread.
 */
public final class OffsetTracker {
  private static final int INITIAL_CAPACITY = 16;
  private static final int SHRINK_ABOVE = 4096;

  private long[] offsets = new long[INITIAL_CAPACITY];
  private boolean[] done = new boolean[INITIAL_CAPACITY];
  private int head;
  private int size;
  private int unfinished;
  private long lastDispatched = -1;
  private long position = -1;
  private int lastCompleted = -1;

  /**
   * Registers a polled record that is about to be processed.
   *
   * @param offset the record's offset; must be greater than every offset registered before
   * @throws IllegalArgumentException if the offset is negative or not increasing
   */
  public void dispatched(long offset) {
    if (offset < 0) {
      throw new IllegalArgumentException("offset must not be negative, was " + offset);
    }
    if (offset <= lastDispatched) {
      throw new IllegalArgumentException(
          "offset " + offset + " dispatched after " + lastDispatched + ": offsets must increase");
    }
    if (size == offsets.length) {
      resize(offsets.length * 2);
    }
    int slot = slot(size);
    offsets[slot] = offset;
    done[slot] = false;
    size++;
    unfinished++;
    lastDispatched = offset;
  }

  /**
   * Marks a registered record as finished.
   *
   * @param offset the offset of a record registered with {@link #dispatched(long)}
   * @throws IllegalStateException if the offset is not registered or already finished
   */
  public void completed(long offset) {
    int index = findNear(offset);
    if (index < 0) {
      throw new IllegalStateException(
          "offset " + offset + " completed but it is not pending (never dispatched or done)");
    }
    int slot = slot(index);
    if (done[slot]) {
      throw new IllegalStateException("offset " + offset + " completed twice");
    }
    done[slot] = true;
    unfinished--;
    lastCompleted = index;
    dropFinishedPrefix();
  }

  private void dropFinishedPrefix() {
    while (size > 0 && done[head]) {
      head = (head + 1) & (offsets.length - 1);
      size--;
      lastCompleted--;
    }
    if (size == 0 && offsets.length > SHRINK_ABOVE) {
      offsets = new long[INITIAL_CAPACITY];
      done = new boolean[INITIAL_CAPACITY];
      head = 0;
    }
  }

  /**
   * Marks a block of registered records as finished at once, if they are exactly the {@code count}
   * records registered from {@code firstOffset} to {@code lastOffset}: what a unit of work of
   * consecutive polled records finishes. Cheaper than {@code count} calls of {@link
   * #completed(long)}.
   *
   * @param firstOffset offset of the block's first record
   * @param lastOffset offset of the block's last record
   * @param count records in the block
   * @return true if done; false, changing nothing, if the offsets are not such a block (the caller
   *     then completes them one by one)
   * @throws IllegalStateException if a record of the block is already finished
   */
  public boolean completedBlock(long firstOffset, long lastOffset, int count) {
    int first = findNear(firstOffset);
    int last = first + count - 1;
    if (first < 0 || count <= 0 || last >= size || offsets[slot(last)] != lastOffset) {
      return false;
    }
    for (int i = first; i <= last; i++) {
      if (done[slot(i)]) {
        throw new IllegalStateException(
            "offset " + offsets[slot(i)] + " completed twice (in a block)");
      }
    }
    for (int i = first; i <= last; i++) {
      done[slot(i)] = true;
    }
    unfinished -= count;
    lastCompleted = last;
    dropFinishedPrefix();
    return true;
  }

  /**
   * Records the consumer's fetch position after a poll: the offset of the next record it will
   * return. Everything below it was either returned by a poll (and registered) or skipped by the
   * client (control records, aborted transactions, compacted offsets).
   *
   * <p>Call it only after registering every record the same poll returned for this partition.
   *
   * @param nextOffset the fetch position
   */
  public void observePosition(long nextOffset) {
    position = Math.max(position, nextOffset);
  }

  /**
   * Returns the offset that is safe to commit: no record below it is unfinished.
   *
   * @return the offset, or empty if nothing was polled and no position observed
   */
  public OptionalLong committable() {
    if (size > 0) {
      return OptionalLong.of(offsets[head]);
    }
    if (lastDispatched < 0 && position < 0) {
      return OptionalLong.empty();
    }
    return OptionalLong.of(Math.max(lastDispatched + 1, position));
  }

  /**
   * Returns the number of registered records at or above the commit point: unfinished records and
   * finished ones still waiting for an older record. This is what the tracker holds in memory and
   * what would be redelivered if the consumer crashed now, so the runner's in-flight limits bound
   * it.
   *
   * @return the tracked count
   */
  public int tracked() {
    return size;
  }

  /**
   * Returns the number of registered records not yet finished.
   *
   * @return the unfinished count
   */
  public int unfinished() {
    return unfinished;
  }

  /**
   * Returns the offset of the last registered record.
   *
   * @return the offset, or -1 if none was registered
   */
  public long lastDispatched() {
    return lastDispatched;
  }

  private int slot(int index) {
    return (head + index) & (offsets.length - 1);
  }

  /**
   * The logical index of the offset: first the slot after the last completed one, then where the
   * offset would be if the tracked offsets had no gaps (they usually have none: gaps come only from
   * transaction markers and compaction), else search.
   */
  private int findNear(long offset) {
    int next = lastCompleted + 1;
    if (next >= 0 && next < size && offsets[slot(next)] == offset) {
      return next;
    }
    if (size > 0) {
      long distance = offset - offsets[head];
      if (distance >= 0 && distance < size && offsets[slot((int) distance)] == offset) {
        return (int) distance;
      }
    }
    return find(offset);
  }

  /** Binary search over the ring; the live part is sorted by offset. Returns the logical index. */
  private int find(long offset) {
    int low = 0;
    int high = size - 1;
    while (low <= high) {
      int mid = (low + high) >>> 1;
      long value = offsets[slot(mid)];
      if (value < offset) {
        low = mid + 1;
      } else if (value > offset) {
        high = mid - 1;
      } else {
        return mid;
      }
    }
    return -1;
  }

  private void resize(int capacity) {
    long[] newOffsets = new long[capacity];
    boolean[] newDone = new boolean[capacity];
    for (int i = 0; i < size; i++) {
      newOffsets[i] = offsets[slot(i)];
      newDone[i] = done[slot(i)];
    }
    offsets = newOffsets;
    done = newDone;
    head = 0;
  }
}
