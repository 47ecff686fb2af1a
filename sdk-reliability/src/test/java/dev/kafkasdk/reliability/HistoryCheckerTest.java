package dev.kafkasdk.reliability;

import static org.assertj.core.api.Assertions.assertThat;

import dev.kafkasdk.reliability.Events.Commit;
import dev.kafkasdk.reliability.Events.DeadLetter;
import dev.kafkasdk.reliability.Events.Delivery;
import dev.kafkasdk.reliability.Events.InjectedAbort;
import dev.kafkasdk.reliability.Events.Logged;
import dev.kafkasdk.reliability.Events.Send;
import dev.kafkasdk.reliability.Events.SendStatus;
import java.util.List;
import java.util.function.Predicate;
import java.util.function.Supplier;
import org.apache.kafka.common.TopicPartition;
import org.junit.jupiter.api.Test;

/**
 * The checker is the oracle of the reliability suite, so each check is shown to pass on a correct
 * history and to fail on a history with exactly the anomaly it exists to catch.
 */
class HistoryCheckerTest {
  private static final TopicPartition TP = new TopicPartition("in", 0);

  /** Three records of key k on partition 0, processed in order, committed after each. */
  private static History correct() {
    History h = new History();
    for (int i = 0; i < 3; i++) {
      Payload p = new Payload("p1", "k", i);
      h.send(Send.ok(p, 0, i));
      h.inputLogged(new Logged(TP, i, p));
      h.delivery(new Delivery("r1", 1, TP, i, p, 10L * i, 10L * i + 5, true));
      h.commit(new Commit("r1", TP, i + 1, 10L * i + 6, true));
    }
    return h;
  }

  @Test
  void correctHistoryPassesEveryCheck() {
    HistoryChecker checker = new HistoryChecker(correct());
    for (CheckResult result :
        List.of(
            checker.lostWrite(),
            checker.duplicate(),
            checker.abortedRead(),
            checker.inconsistentOffset(),
            checker.sendOrder(),
            checker.keyOrder(),
            checker.partitionOrder(),
            checker.commitSafety(),
            checker.commitsMonotonic(),
            checker.atLeastOnce(),
            checker.progress())) {
      assertThat(result.passed()).as(result.line()).isTrue();
      assertThat(result.line()).endsWith(" PASS");
    }
  }

  @Test
  void checkGroupsNameTheirChecksInOrder() {
    HistoryChecker checker = new HistoryChecker(correct());
    assertThat(checker.producerChecks())
        .extracting(CheckResult::name)
        .containsExactly(
            "lost-write", "duplicate", "aborted-read", "inconsistent-offset", "send-order");
    assertThat(checker.consumerChecks(checker.keyOrder()))
        .extracting(CheckResult::name)
        .containsExactly(
            "lost-write",
            "duplicate",
            "send-order",
            "commit-safety",
            "commits-monotonic",
            "at-least-once",
            "progress",
            "key-order");
  }

  @Test
  void aGroupFailsWhenOneOfItsChecksFails() {
    History h = correct();
    h.send(Send.ok(new Payload("p1", "k", 3), 0, 3));
    assertThat(new HistoryChecker(h).consumerChecks())
        .filteredOn(result -> !result.passed())
        .extracting(CheckResult::name)
        .containsExactly("lost-write");
  }

  @Test
  void lostWriteIsCaught() {
    History h = correct();
    h.send(Send.ok(new Payload("p1", "k", 3), 0, 3));
    assertFails(() -> new HistoryChecker(h).lostWrite(), "lost-write");
  }

  @Test
  void duplicateIsCaught() {
    History h = correct();
    h.inputLogged(new Logged(TP, 3, new Payload("p1", "k", 2)));
    assertFails(() -> new HistoryChecker(h).duplicate(), "duplicate");
  }

  @Test
  void abortedReadIsCaught() {
    History h = correct();
    Payload aborted = new Payload("p1", "k", 9);
    h.send(new Send(aborted, SendStatus.OK, 0, 9, true));
    h.inputLogged(new Logged(TP, 9, aborted));
    assertFails(() -> new HistoryChecker(h).abortedRead(), "aborted-read");
  }

  @Test
  void failedSendThatAppearsIsCaught() {
    History h = correct();
    Payload failed = new Payload("p1", "k", 9);
    h.send(new Send(failed, SendStatus.FAILED, -1, -1, false));
    h.inputLogged(new Logged(TP, 9, failed));
    assertFails(() -> new HistoryChecker(h).abortedRead(), "aborted-read");
  }

  @Test
  void unknownSendMayAppearOnce() {
    History h = correct();
    Payload unknown = new Payload("p1", "k", 9);
    h.send(new Send(unknown, SendStatus.UNKNOWN, -1, -1, false));
    h.inputLogged(new Logged(TP, 9, unknown));
    assertThat(new HistoryChecker(h).abortedRead().passed()).isTrue();
    assertThat(new HistoryChecker(h).lostWrite().passed()).isTrue();
  }

  @Test
  void inconsistentOffsetIsCaught() {
    History h = correct();
    h.send(Send.ok(new Payload("p2", "x", 0), 0, 1));
    assertFails(() -> new HistoryChecker(h).inconsistentOffset(), "inconsistent-offset");
  }

  @Test
  void sendReorderIsCaught() {
    History h = new History();
    h.send(Send.ok(new Payload("p1", "k", 0), 0, 5));
    h.send(Send.ok(new Payload("p1", "k", 1), 0, 4));
    assertFails(() -> new HistoryChecker(h).sendOrder(), "send-order");
  }

  @Test
  void keyReorderAndOverlapAreCaught() {
    History reordered = correct();
    Payload late = new Payload("p1", "k", 0);
    reordered.delivery(new Delivery("r1", 1, TP, 0, late, 100, 105, true));
    assertFails(() -> new HistoryChecker(reordered).keyOrder(), "key-order");

    History overlapping = new History();
    overlapping.delivery(new Delivery("r1", 1, TP, 0, new Payload("p", "k", 0), 0, 50, true));
    overlapping.delivery(new Delivery("r1", 1, TP, 1, new Payload("p", "k", 1), 10, 60, true));
    assertFails(() -> new HistoryChecker(overlapping).keyOrder(), "key-order");
  }

  @Test
  void redeliveryInANewGenerationIsNotAnOrderViolation() {
    History h = correct();
    Payload again = new Payload("p1", "k", 1);
    h.delivery(new Delivery("r2", 2, TP, 1, again, 100, 105, true));
    assertThat(new HistoryChecker(h).keyOrder().passed()).isTrue();
    assertThat(new HistoryChecker(h).partitionOrder().passed()).isTrue();
  }

  @Test
  void rewindAfterARebalanceIsNotAnOrderViolationButAReorderIs() {
    History rewind = oneLane(1, 0, 1, 2, 1, 2, 3);
    assertThat(new HistoryChecker(rewind).keyOrder().passed()).isTrue();

    History reorder = oneLane(1, 0, 2, 1, 3);
    assertFails(() -> new HistoryChecker(reorder).keyOrder(), "key-order");
  }

  /** Found by F7: a member fenced while cut off re-reads from the commit within one runner. */
  @Test
  void rewindOfExactlyOneRecordIsNotAnOrderViolation() {
    History rewind = oneLane(0, 0, 1, 2, 2, 3);
    assertThat(new HistoryChecker(rewind).keyOrder().passed()).isTrue();
    assertThat(new HistoryChecker(rewind).partitionOrder().passed()).isTrue();
  }

  @Test
  void retryOfAFailedAttemptIsNotAnOrderViolation() {
    History h = new History();
    Payload p = new Payload("p", "k", 0);
    h.delivery(new Delivery("r1", 1, TP, 0, p, 0, 5, false));
    h.delivery(new Delivery("r1", 1, TP, 0, p, 10, 15, true));
    assertThat(new HistoryChecker(h).keyOrder().passed()).isTrue();
  }

  /** The bug the SDK exists to prevent: committing the highest offset seen, not completed. */
  @Test
  void commitPastUnfinishedWorkIsCaught() {
    History h = correct();
    h.commit(new Commit("r1", TP, 3, 1, true));
    assertFails(() -> new HistoryChecker(h).commitSafety(), "commit-safety");
  }

  @Test
  void commitGoingBackwardsIsCaught() {
    History h = correct();
    h.commit(new Commit("r1", TP, 1, 1000, true));
    assertFails(() -> new HistoryChecker(h).commitsMonotonic(), "commits-monotonic");
  }

  @Test
  void unprocessedRecordIsCaught() {
    History h = correct();
    h.inputLogged(new Logged(TP, 3, new Payload("p1", "k", 3)));
    assertFails(() -> new HistoryChecker(h).atLeastOnce(), "at-least-once");
    assertFails(() -> new HistoryChecker(h).progress(), "progress");
  }

  @Test
  void exactlyOnceCatchesMissingDuplicateAndForeignOutput() {
    History ok = correct();
    for (Logged l : ok.input()) {
      ok.outputLogged(new Logged(new TopicPartition("out", 0), l.offset(), l.payload()));
    }
    assertThat(new HistoryChecker(ok).exactlyOnce().passed()).isTrue();

    History dup = correct();
    dup.input().forEach(l -> dup.outputLogged(l));
    dup.outputLogged(dup.input().get(0));
    assertFails(() -> new HistoryChecker(dup).exactlyOnce(), "exactly-once");

    History missing = correct();
    missing.outputLogged(missing.input().get(0));
    assertFails(() -> new HistoryChecker(missing).exactlyOnce(), "exactly-once");
  }

  @Test
  void aFailedCallMustBeRetriedOnItsOwn() {
    assertThat(new HistoryChecker(copierRun("0 1 2x 2x 2 3")).retriedAlone().passed()).isTrue();
    // What an abort of the whole batch on a handler failure looks like: records 0 and 1 again.
    assertFails(
        () -> new HistoryChecker(copierRun("0 1 2x 0 1 2 3")).retriedAlone(), "retried-alone");
    assertFails(() -> new HistoryChecker(copierRun("0 1 2x 3")).retriedAlone(), "retried-alone");
  }

  @Test
  void anInjectedAbortInTheSameBatchExcusesTheRewind() {
    // The send of record 1 failed on purpose: the batch's transaction fails, the runner rewinds.
    assertThat(new HistoryChecker(copierRun("0 1 A1 2x 0 1 2 3")).retriedAlone().passed()).isTrue();
    // An abort that was already rewound does not excuse a later rewind.
    assertFails(
        () -> new HistoryChecker(copierRun("0 1 A1 2 0 1 2x 0 1 2")).retriedAlone(),
        "retried-alone");
    // Nor does one of a record behind the point the runner rewound to.
    assertFails(
        () -> new HistoryChecker(copierRun("0 A0 1 2x 1 2")).retriedAlone(), "retried-alone");
  }

  @Test
  void anAbortedRecordMustBeHandledAgain() {
    assertThat(new HistoryChecker(copierRun("0 1 A1 2 0 1 2")).rewoundAfterAbort().passed())
        .isTrue();
    assertFails(
        () -> new HistoryChecker(copierRun("0 1 A1 2 3")).rewoundAfterAbort(),
        "rewound-after-abort");
  }

  @Test
  void payloadRoundTrips() {
    Payload p = new Payload("producer-1", "key-7", 42);
    assertThat(Payload.decode(p.encode())).isEqualTo(p);
  }

  /**
   * Successful deliveries of key k on partition 0 by runner r1, one after another (10 ns apart, 5
   * ns each), in the given offset order.
   */
  @Test
  void failureScriptPassesARunThatFollowsItAndCatchesEachDeviation() {
    FailureScript script = new FailureScript(7, 50, 2);
    assertThat(new HistoryChecker(scripted(script, true, -1)).failurePathChecks(script, true))
        .allSatisfy(result -> assertThat(result.passed()).as(result.line()).isTrue());
    assertThat(new HistoryChecker(scripted(script, false, -1)).failurePathChecks(script, false))
        .allSatisfy(result -> assertThat(result.passed()).as(result.line()).isTrue());
    long retried = firstOffset(script, p -> script.failures(p) == 1);
    long givenUp = firstOffset(script, script::givenUp);
    // A record that succeeds on its retry was skipped after its first failure instead.
    assertFails(
        () -> new HistoryChecker(scripted(script, false, retried)).failureScript(script, false),
        "failure-script");
    // A record that fails on every attempt was not dead-lettered.
    assertFails(
        () -> new HistoryChecker(scripted(script, true, givenUp)).failureScript(script, true),
        "failure-script");
    // The given-up record's commit was seen before its last attempt ended.
    History early = scripted(script, false, -1);
    early.commit(new Commit("r1", TP, givenUp + 1, 10L * givenUp, true));
    assertFails(
        () -> new HistoryChecker(early).failurePathChecks(script, false).get(3), "commit-safety");
  }

  /**
   * Share-group mode: records processed out of order, concurrently, and again by another runner
   * after a kill, a poison record dead-lettered twice; no commits at all. Every share-group check
   * passes, although the consumer-group checks of the same history fail (order, progress).
   */
  @Test
  void shareGroupModeAllowsRedeliveryAndAnyOrder() {
    ShareGroupScript script = new ShareGroupScript(11, 20, 20);
    History h = shareRun(script, -1, -1, -1);
    HistoryChecker checker = new HistoryChecker(h);
    assertThat(checker.shareGroupChecks(script))
        .extracting(CheckResult::name)
        .containsExactly("lost-write", "duplicate", "send-order", "at-least-once", "dead-letters");
    assertThat(checker.shareGroupChecks(script))
        .allSatisfy(result -> assertThat(result.passed()).as(result.line()).isTrue());
    assertThat(checker.keyOrder().passed()).isFalse();
    assertThat(checker.progress().passed()).isFalse();
  }

  /** The anomaly the mode exists to catch: one record never processed by any runner. */
  @Test
  void shareGroupModeCatchesALostRecord() {
    ShareGroupScript script = new ShareGroupScript(11, 20, 20);
    long lost = firstShareOffset(script, p -> !script.poison(p));
    History h = shareRun(script, lost, -1, -1);
    assertFails(() -> new HistoryChecker(h).atLeastOnce(script), "at-least-once");
    assertThat(new HistoryChecker(h).shareGroupChecks(script))
        .filteredOn(result -> !result.passed())
        .extracting(CheckResult::name)
        .containsExactly("at-least-once");
    assertThat(new HistoryChecker(h).atLeastOnce(script).line()).contains("in-0@" + lost);
  }

  @Test
  void shareGroupModeCatchesDeadLettersThatAreNotAsScripted() {
    ShareGroupScript script = new ShareGroupScript(11, 20, 20);
    long poison = firstShareOffset(script, script::poison);
    long healthy = firstShareOffset(script, p -> !script.poison(p));
    // A poison record that was never dead-lettered (e.g. acknowledged ACCEPT after its failure).
    assertFails(
        () -> new HistoryChecker(shareRun(script, -1, poison, -1)).deadLetters(script),
        "dead-letters");
    // A healthy record in the dead-letter topic.
    assertFails(
        () -> new HistoryChecker(shareRun(script, -1, -1, healthy)).deadLetters(script),
        "dead-letters");
    // A poison record that succeeded.
    History succeeded = shareRun(script, -1, -1, -1);
    Payload p = new Payload("p1", "k" + poison % 3, poison);
    succeeded.delivery(new Delivery("r2", 0, TP, poison, p, 500, 501, true));
    assertFails(() -> new HistoryChecker(succeeded).deadLetters(script), "dead-letters");
    // A dead letter naming the wrong offset.
    History wrong = shareRun(script, -1, -1, -1);
    wrong.deadLetterLogged(new DeadLetter(TP, poison + 1, p, 1));
    assertFails(() -> new HistoryChecker(wrong).deadLetters(script), "dead-letters");
  }

  /** The first of 20 offsets whose share-run payload the predicate accepts. */
  private static long firstShareOffset(ShareGroupScript script, Predicate<Payload> which) {
    for (int i = 0; i < 20; i++) {
      if (which.test(new Payload("p1", "k" + i % 3, i))) {
        return i;
      }
    }
    throw new IllegalStateException("no such payload among 20 for " + script);
  }

  /**
   * Twenty records of three keys on partition 0, processed newest first by runner r1 with calls
   * overlapping, then r1 "killed" and every record processed again by r2 in offset order; poison
   * records fail on every call and are dead-lettered by both runners. {@code lost} is never
   * processed, {@code undead} (poison) never dead-lettered, {@code wronglyDead} (healthy)
   * dead-lettered too.
   */
  private static History shareRun(
      ShareGroupScript script, long lost, long undead, long wronglyDead) {
    History h = new History();
    for (int i = 0; i < 20; i++) {
      Payload p = new Payload("p1", "k" + i % 3, i);
      h.send(Send.ok(p, 0, i));
      h.inputLogged(new Logged(TP, i, p));
      if (i == lost) {
        continue;
      }
      boolean ok = !script.poison(p);
      long first = 10L * (20 - i);
      h.delivery(new Delivery("r1", 0, TP, i, p, first, first + 15, ok));
      h.delivery(new Delivery("r2", 0, TP, i, p, 300 + 10L * i, 305 + 10L * i, ok));
      if (!ok && i != undead) {
        h.deadLetterLogged(new DeadLetter(TP, i, p, 1));
        h.deadLetterLogged(new DeadLetter(TP, i, p, 1));
      }
      if (i == wronglyDead) {
        h.deadLetterLogged(new DeadLetter(TP, i, p, 3));
      }
    }
    return h;
  }

  /** The first of 20 offsets whose payload the predicate accepts. */
  private static long firstOffset(FailureScript script, Predicate<Payload> which) {
    for (int i = 0; i < 20; i++) {
      if (which.test(new Payload("p1", "k", i))) {
        return i;
      }
    }
    throw new IllegalStateException("no such payload among 20 for " + script);
  }

  /**
   * Twenty records of one key handled as the script says (calls 10 ns apart per offset), committed
   * at the end; the record at {@code deviant} is given up after one failed call and not
   * dead-lettered.
   */
  private static History scripted(FailureScript script, boolean deadLettered, long deviant) {
    History h = new History();
    for (int i = 0; i < 20; i++) {
      Payload p = new Payload("p1", "k", i);
      h.send(Send.ok(p, 0, i));
      h.inputLogged(new Logged(TP, i, p));
      int failures = i == deviant ? 1 : Math.min(script.failures(p), script.maxAttempts());
      long start = 10L * i;
      for (int call = 0; call < failures; call++) {
        h.delivery(new Delivery("r1", 1, TP, i, p, start + call, start + call, false));
      }
      if (i != deviant && !script.givenUp(p)) {
        h.delivery(new Delivery("r1", 1, TP, i, p, start + 5, start + 6, true));
      } else if (i != deviant && deadLettered) {
        h.deadLetterLogged(new DeadLetter(TP, i, p, script.maxAttempts()));
      }
    }
    h.commit(new Commit("r1", TP, 20, 1_000, true));
    return h;
  }

  private static History oneLane(long generation, long... offsets) {
    History h = new History();
    for (int i = 0; i < offsets.length; i++) {
      h.delivery(
          new Delivery(
              "r1",
              generation,
              TP,
              offsets[i],
              new Payload("p", "k", offsets[i]),
              10L * i,
              10L * i + 5,
              true));
    }
    return h;
  }

  /**
   * A copier run on partition 0, one event every 10 ns: {@code 3} is a successful call of offset 3,
   * {@code 3x} a failed one, {@code A3} an injected abort of offset 3's output. Offsets 0 to 9 are
   * in the input.
   */
  private static History copierRun(String events) {
    History h = new History();
    for (int i = 0; i < 10; i++) {
      h.inputLogged(new Logged(TP, i, new Payload("p", "k", i)));
    }
    String[] tokens = events.split(" ");
    for (int i = 0; i < tokens.length; i++) {
      String t = tokens[i];
      if (t.startsWith("A")) {
        Payload p = new Payload("p", "k", Long.parseLong(t.substring(1)));
        h.injectedAbort(new InjectedAbort("r1", p, 10L * i));
        continue;
      }
      boolean failed = t.endsWith("x");
      long offset = Long.parseLong(failed ? t.substring(0, t.length() - 1) : t);
      Payload p = new Payload("p", "k", offset);
      h.delivery(new Delivery("r1", 0, TP, offset, p, 10L * i, 10L * i + 5, !failed));
    }
    return h;
  }

  private static void assertFails(Supplier<CheckResult> check, String name) {
    CheckResult result = check.get();
    assertThat(result.name()).isEqualTo(name);
    assertThat(result.passed()).as(result.line()).isFalse();
    assertThat(result.line()).startsWith("check " + name + " FAIL ");
  }
}
