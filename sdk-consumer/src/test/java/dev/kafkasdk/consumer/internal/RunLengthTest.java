package dev.kafkasdk.consumer.internal;

import static org.assertj.core.api.Assertions.assertThat;

import org.junit.jupiter.api.Test;

/** How the measured handler speed sizes runs and decides KEY ordering's fast path. */
class RunLengthTest {
  @Test
  void theFastPathWaitsForTwiceAsManyTimedRunsAsCallsCanRunAtOnce() {
    // MultiWorkerProcessingTest's eight-at-a-barrier handler met once, was timed as quick after
    // those eight calls, and the next poll's few records ran one at a time and never met: the
    // speed of the first calls is not trusted until 16 runs (8 calls at once) were timed.
    RunLength length = new RunLength(8);
    assertThat(length.cheap(1)).isFalse();
    for (int i = 0; i < 15; i++) {
      length.timed(200);
      assertThat(length.cheap(500)).as("after %d timed runs", i + 1).isFalse();
    }
    length.timed(200);
    assertThat(length.cheap(500)).as("500 calls of 200 ns: 0.1 ms").isTrue();
    assertThat(length.cheap(10_000)).as("10,000 calls of 200 ns: 2 ms").isFalse();
  }

  @Test
  void aPollOfAFewRecordsOfACheapHandlerTakesTheOneLane() {
    // The latency benchmark: a few records per partition per poll at 2,000 records/s; on the key
    // lanes each waited for a worker's hand-off and the p99 was 1.2-1.4 times the raw loop's.
    RunLength length = new RunLength(8);
    for (int i = 0; i < 16; i++) {
      length.timed(2_000);
    }
    assertThat(length.cheap(1)).isTrue();
    assertThat(length.cheap(3)).isTrue();
  }

  @Test
  void oneStretchedRunDoesNotTurnTheFastPathOffButASlowHandlerDoes() {
    RunLength length = new RunLength(4);
    for (int i = 0; i < 50; i++) {
      length.timed(1_000);
    }
    // A run that a pause stretched to 0.7 ms per record (seen on a loaded machine).
    length.timed(700_000);
    assertThat(length.cheap(500)).as("after one outlier").isTrue();
    assertThat(length.of(500, true)).as("run lengths follow the plain average").isLessThan(100);
    int runs = 0;
    while (length.cheap(500)) {
      length.timed(5_000_000);
      runs++;
    }
    assertThat(runs).as("runs of a 5 ms handler until the fast path is off").isBetween(2, 10);
  }

  @Test
  void unorderedRecordsAreSpreadOverTheWorkersOnlyDownToUnitsOfAbout100Microseconds() {
    RunLength unknown = new RunLength(4);
    assertThat(unknown.of(500, false)).as("before any run was timed").isEqualTo(64);

    assertThat(timedAt(100).of(500, false))
        .as("100 ns: 500 records take 50 us, one unit")
        .isEqualTo(RunLength.MAX_RECORD_RUN);
    assertThat(timedAt(400).of(500, false))
        .as("400 ns: units of 250 records, 100 us")
        .isEqualTo(250);
    assertThat(timedAt(2_000).of(500, false)).as("2 us: one unit per worker").isEqualTo(125);
    assertThat(timedAt(20_000).of(500, false)).as("20 us: runs of about 1 ms").isEqualTo(50);
    assertThat(timedAt(2_000).of(500, true)).as("a lane takes 1 ms runs").isEqualTo(500);
  }

  private static RunLength timedAt(long nanosPerRecord) {
    RunLength length = new RunLength(4);
    length.timed(nanosPerRecord);
    return length;
  }
}
