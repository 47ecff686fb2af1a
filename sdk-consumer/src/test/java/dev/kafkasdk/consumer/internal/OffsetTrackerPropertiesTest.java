package dev.kafkasdk.consumer.internal;

import static org.assertj.core.api.Assertions.assertThat;

import java.util.ArrayList;
import java.util.Collections;
import java.util.List;
import java.util.Random;
import java.util.TreeSet;
import net.jqwik.api.ForAll;
import net.jqwik.api.Property;
import net.jqwik.api.constraints.IntRange;
import net.jqwik.api.constraints.Size;

/** Property tests: the tracker against a naive model under random gaps and completion orders. */
class OffsetTrackerPropertiesTest {

  /**
   * All records are polled first, then finished in a random order. After every completion the
   * committable offset never passes an unfinished record, never goes down, and equals the model;
   * after the last completion it is the offset after the last record.
   */
  @Property(tries = 300)
  void committedOffsetNeverPassesAnUnfinishedRecord(
      @ForAll @Size(min = 1, max = 300) List<@IntRange(min = 1, max = 4) Integer> gaps,
      @ForAll Random random) {
    OffsetTracker tracker = new OffsetTracker();
    TreeSet<Long> unfinished = new TreeSet<>();
    List<Long> polled = new ArrayList<>();
    long offset = -1;
    for (int gap : gaps) {
      offset += gap;
      tracker.dispatched(offset);
      unfinished.add(offset);
      polled.add(offset);
    }
    long last = offset;
    Collections.shuffle(polled, random);
    long previous = -1;
    for (long finished : polled) {
      tracker.completed(finished);
      unfinished.remove(finished);
      long committable = tracker.committable().getAsLong();
      if (!unfinished.isEmpty()) {
        assertThat(committable).isLessThanOrEqualTo(unfinished.first());
        assertThat(committable).isEqualTo(unfinished.first());
      }
      assertThat(committable).isGreaterThanOrEqualTo(previous);
      previous = committable;
    }
    assertThat(tracker.committable()).hasValue(last + 1);
    assertThat(tracker.tracked()).isZero();
    assertThat(tracker.unfinished()).isZero();
  }

  /**
   * Polls, completions and position updates interleave at random, as they do in the runner; the
   * tracker agrees with the model at every step, and a trailing position (a marker after the last
   * record) is reached once everything is finished.
   */
  @Property(tries = 300)
  void interleavedPollsAndCompletionsAgreeWithTheModel(
      @ForAll @IntRange(min = 1, max = 400) int steps, @ForAll Random random) {
    OffsetTracker tracker = new OffsetTracker();
    TreeSet<Long> unfinished = new TreeSet<>();
    List<Long> unfinishedList = new ArrayList<>();
    long last = -1;
    long position = -1;
    for (int step = 0; step < steps; step++) {
      int action = random.nextInt(10);
      if (action < 5 || unfinishedList.isEmpty()) {
        last += 1 + random.nextInt(3);
        tracker.dispatched(last);
        unfinished.add(last);
        unfinishedList.add(last);
        if (random.nextInt(4) == 0) {
          position = Math.max(position, last + 1 + random.nextInt(3));
          tracker.observePosition(position);
        }
      } else {
        long finished = unfinishedList.remove(random.nextInt(unfinishedList.size()));
        unfinished.remove(finished);
        tracker.completed(finished);
      }
      long expected =
          unfinished.isEmpty() ? Math.max(last + 1, position) : unfinished.first().longValue();
      assertThat(tracker.committable()).hasValue(expected);
      assertThat(tracker.unfinished()).isEqualTo(unfinished.size());
      assertThat(tracker.tracked()).isGreaterThanOrEqualTo(tracker.unfinished());
    }
    for (long finished : unfinishedList) {
      tracker.completed(finished);
    }
    assertThat(tracker.committable()).hasValue(Math.max(last + 1, position));
  }

  /**
   * Records are cut into blocks of consecutive polled offsets (as units of work are) and the blocks
   * finish in random order, some block-wise and some record by record; the tracker agrees with the
   * model at every step. A set of offsets that is not such a block is refused without any change.
   */
  @Property(tries = 300)
  void blocksOfConsecutiveRecordsFinishLikeTheirRecords(
      @ForAll @Size(min = 1, max = 300) List<@IntRange(min = 1, max = 4) Integer> gaps,
      @ForAll @IntRange(min = 1, max = 70) int blockSize,
      @ForAll Random random) {
    OffsetTracker tracker = new OffsetTracker();
    TreeSet<Long> unfinished = new TreeSet<>();
    List<List<Long>> blocks = new ArrayList<>();
    long offset = -1;
    for (int gap : gaps) {
      offset += gap;
      tracker.dispatched(offset);
      unfinished.add(offset);
      if (blocks.isEmpty() || blocks.get(blocks.size() - 1).size() == blockSize) {
        blocks.add(new ArrayList<>());
      }
      blocks.get(blocks.size() - 1).add(offset);
    }
    long last = offset;
    Collections.shuffle(blocks, random);
    for (List<Long> block : blocks) {
      long first = block.get(0);
      long end = block.get(block.size() - 1);
      if (block.size() > 1) {
        // Leaving out the last record makes the count disagree with the offsets: refused.
        assertThat(tracker.completedBlock(first, end, block.size() - 1)).isFalse();
        assertThat(tracker.unfinished()).isEqualTo(unfinished.size());
      }
      if (random.nextBoolean()) {
        assertThat(tracker.completedBlock(first, end, block.size())).isTrue();
      } else {
        block.forEach(tracker::completed);
      }
      unfinished.removeAll(block);
      long expected = unfinished.isEmpty() ? last + 1 : unfinished.first();
      assertThat(tracker.committable()).hasValue(expected);
      assertThat(tracker.unfinished()).isEqualTo(unfinished.size());
    }
    assertThat(tracker.tracked()).isZero();
  }
}
