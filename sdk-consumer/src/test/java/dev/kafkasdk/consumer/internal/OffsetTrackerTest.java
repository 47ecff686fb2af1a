package dev.kafkasdk.consumer.internal;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import org.junit.jupiter.api.Test;

class OffsetTrackerTest {

  @Test
  void nothingToCommitBeforeAnythingIsPolled() {
    assertThat(new OffsetTracker().committable()).isEmpty();
  }

  @Test
  void commitStopsAtTheOldestUnfinishedRecord() {
    OffsetTracker tracker = new OffsetTracker();
    for (long offset = 0; offset < 5; offset++) {
      tracker.dispatched(offset);
    }
    tracker.completed(3);
    tracker.completed(1);
    assertThat(tracker.committable()).hasValue(0);
    tracker.completed(0);
    assertThat(tracker.committable()).hasValue(2);
    tracker.completed(2);
    assertThat(tracker.committable()).hasValue(4);
    tracker.completed(4);
    assertThat(tracker.committable()).hasValue(5);
    assertThat(tracker.tracked()).isZero();
  }

  @Test
  void gapsBetweenPolledOffsetsDoNotStallTheCommit() {
    // Offsets 11 and 12 are transaction markers or compacted away: they are never polled.
    OffsetTracker tracker = new OffsetTracker();
    tracker.dispatched(10);
    tracker.dispatched(13);
    tracker.completed(13);
    assertThat(tracker.committable()).hasValue(10);
    tracker.completed(10);
    assertThat(tracker.committable()).hasValue(14);
  }

  @Test
  void positionBeyondTheLastRecordIsCommittedOnceEverythingIsDone() {
    // A commit marker after the last record moves the fetch position to 12.
    OffsetTracker tracker = new OffsetTracker();
    tracker.dispatched(9);
    tracker.dispatched(10);
    tracker.observePosition(12);
    tracker.completed(10);
    assertThat(tracker.committable()).hasValue(9);
    tracker.completed(9);
    assertThat(tracker.committable()).hasValue(12);
  }

  @Test
  void positionAloneIsCommittableWhenOnlySkippedRecordsWereFetched() {
    OffsetTracker tracker = new OffsetTracker();
    tracker.observePosition(7);
    assertThat(tracker.committable()).hasValue(7);
  }

  @Test
  void positionNeverMovesBackwards() {
    OffsetTracker tracker = new OffsetTracker();
    tracker.observePosition(20);
    tracker.observePosition(15);
    assertThat(tracker.committable()).hasValue(20);
  }

  @Test
  void growsPastItsInitialCapacityAndWrapsAround() {
    OffsetTracker tracker = new OffsetTracker();
    long next = 0;
    for (int round = 0; round < 50; round++) {
      for (int i = 0; i < 37; i++) {
        tracker.dispatched(next++);
      }
      // Finish all but the newest 5, newest first, so the ring wraps while holding a gap.
      for (long offset = next - 6; offset >= 0 && tracker.unfinished() > 5; offset--) {
        if (offset >= tracker.committable().getAsLong()) {
          tracker.completed(offset);
        }
      }
      assertThat(tracker.committable()).hasValue(next - 5);
    }
  }

  @Test
  void rejectsOffsetsThatDoNotIncrease() {
    OffsetTracker tracker = new OffsetTracker();
    tracker.dispatched(5);
    assertThatThrownBy(() -> tracker.dispatched(5))
        .isInstanceOf(IllegalArgumentException.class)
        .hasMessageContaining("must increase");
    assertThatThrownBy(() -> tracker.dispatched(-1)).isInstanceOf(IllegalArgumentException.class);
  }

  @Test
  void rejectsUnknownAndDuplicateCompletions() {
    OffsetTracker tracker = new OffsetTracker();
    tracker.dispatched(1);
    tracker.dispatched(2);
    assertThatThrownBy(() -> tracker.completed(7)).isInstanceOf(IllegalStateException.class);
    tracker.completed(2);
    assertThatThrownBy(() -> tracker.completed(2))
        .isInstanceOf(IllegalStateException.class)
        .hasMessageContaining("twice");
    tracker.completed(1);
    assertThatThrownBy(() -> tracker.completed(1)).isInstanceOf(IllegalStateException.class);
  }

  @Test
  void aBlockFinishesOnceAndOnlyIfItIsExactlyTheRegisteredRecords() {
    OffsetTracker tracker = new OffsetTracker();
    for (long offset : new long[] {10, 11, 13, 14, 20}) {
      tracker.dispatched(offset);
    }
    assertThat(tracker.completedBlock(11, 14, 2)).as("11..14 holds 3 records").isFalse();
    assertThat(tracker.completedBlock(12, 14, 2)).as("12 was never polled").isFalse();
    assertThat(tracker.unfinished()).isEqualTo(5);
    assertThat(tracker.completedBlock(11, 14, 3)).isTrue();
    assertThat(tracker.committable()).hasValue(10);
    assertThatThrownBy(() -> tracker.completedBlock(11, 14, 3))
        .isInstanceOf(IllegalStateException.class);
    assertThat(tracker.completedBlock(10, 10, 1)).isTrue();
    assertThat(tracker.committable()).hasValue(20);
    assertThat(tracker.tracked()).isEqualTo(1);
  }
}
