package dev.kafkasdk.consumer.internal;

import static dev.kafkasdk.consumer.internal.LoopHarness.await;
import static dev.kafkasdk.consumer.internal.LoopHarness.awaitEntered;
import static dev.kafkasdk.consumer.internal.LoopHarness.join;
import static dev.kafkasdk.consumer.internal.LoopHarness.tp;
import static org.assertj.core.api.Assertions.assertThat;

import dev.kafkasdk.consumer.DeserializationFailure;
import dev.kafkasdk.consumer.HandlerFailedException;
import dev.kafkasdk.consumer.Ordering;
import dev.kafkasdk.consumer.internal.GroupConsumer.Commit;
import dev.kafkasdk.consumer.internal.LoopHarness.Options;
import dev.kafkasdk.consumer.internal.ScriptedHandler.Hold;
import java.nio.charset.StandardCharsets;
import java.time.Duration;
import java.util.List;
import java.util.Set;
import java.util.concurrent.CompletableFuture;
import java.util.concurrent.TimeUnit;
import org.apache.kafka.common.TopicPartition;
import org.apache.kafka.common.errors.SerializationException;
import org.apache.kafka.common.serialization.Deserializer;
import org.junit.jupiter.api.Test;

/**
 * The poll loop against Kafka's {@code MockConsumer}, without a broker: what it commits and which
 * records the handler sees, around out-of-order completions, rebalances, lost partitions, pauses,
 * offset resets, failures and stopping. Handler calls block on holds the test releases, so "in
 * flight" is exact rather than timed.
 */
class PollLoopTest {
  private static final TopicPartition P0 = tp(0);
  private static final TopicPartition P1 = tp(1);
  private static final TopicPartition P2 = tp(2);

  @Test
  void commitNeverPassesAnUnfinishedRecordWhileWorkersFinishOutOfOrder() {
    try (LoopHarness h = new LoopHarness(Options.defaults()).start()) {
      Hold first = h.handler.hold(P0, 0, 1);
      h.assign(P0);
      h.consumer.send(P0, 0, 6);
      awaitEntered(first);
      await(() -> h.handler.finished(P0).size() == 5);
      h.settle();

      assertThat(h.consumer.highestCommitted(P0))
          .as("records 1-5 are finished, 0 is not: nothing past 0 may be committed")
          .isLessThanOrEqualTo(0);
      assertThat(h.consumer.committed(Set.of(P0)).get(P0))
          .satisfiesAnyOf(
              committed -> assertThat(committed).isNull(),
              committed -> assertThat(committed.offset()).isZero());

      first.release();
      h.awaitCommitted(P0, 6);
      assertThat(h.consumer.commits(P0)).extracting(Commit::offset).isSorted();
      assertThat(h.consumer.commits(P0)).extracting(Commit::sync).containsOnly(false);
      assertThat(h.handler.started(P0)).containsExactlyInAnyOrder(0L, 1L, 2L, 3L, 4L, 5L);
      assertThat(h.failures).isEmpty();
    }
  }

  @Test
  void aHangingRecordDoesNotHoldBackTheCommitOfTheRecordsBeforeIt() {
    Options options = Options.defaults().ordering(Ordering.PARTITION, true);
    try (LoopHarness h = new LoopHarness(options).start()) {
      Hold hanging = h.handler.hold(P0, 3, 1);
      h.assign(P0);
      h.consumer.send(P0, 0, 6);
      awaitEntered(hanging);
      h.awaitCommitted(P0, 3);
      h.settle();
      assertThat(h.consumer.highestCommitted(P0)).isEqualTo(3);

      hanging.release();
      h.awaitCommitted(P0, 6);
      assertThat(h.handler.started(P0)).containsExactly(0L, 1L, 2L, 3L, 4L, 5L);
    }
  }

  @Test
  void revocationWaitsForInFlightRecordsAndCommitsThemInTheCallback() {
    try (LoopHarness h = new LoopHarness(Options.defaults()).start()) {
      Hold slow = h.handler.hold(P0, 1, 1);
      h.assign(P0, P1);
      h.consumer.send(P0, 0, 4);
      h.consumer.send(P1, 0, 2);
      awaitEntered(slow);
      await(() -> h.handler.finished(P0).size() == 3 && h.handler.finished(P1).size() == 2);
      h.settle();
      assertThat(h.consumer.lastCommitted(P0)).hasValue(1);

      CompletableFuture<Void> revocation = h.consumer.reassign(P1);
      await(() -> "revoked".equals(h.consumer.during()));
      assertThat(revocation).as("the revocation waits for the record in flight").isNotDone();
      slow.release();
      join(revocation);

      List<Commit> commits = h.consumer.commits(P0);
      assertThat(commits.get(commits.size() - 1)).isEqualTo(new Commit(P0, 4, true, "revoked"));
      h.consumer.send(P1, 2, 4);
      h.awaitCommitted(P1, 4);
      h.settle();
      assertThat(h.consumer.commits(P0)).isEqualTo(commits);
      assertThat(h.failures).isEmpty();
    }
  }

  @Test
  void aCompletionAfterTheRevocationTimeoutNeverCommitsForTheOldAssignment() {
    Options options = Options.defaults().revocationTimeout(Duration.ofMillis(200));
    try (LoopHarness h = new LoopHarness(options).start()) {
      Hold oldOne = h.handler.hold(P0, 1, 1);
      Hold oldTwo = h.handler.hold(P0, 2, 1);
      h.assign(P0);
      h.consumer.send(P0, 0, 4);
      awaitEntered(oldOne);
      awaitEntered(oldTwo);
      await(() -> h.handler.finished(P0).size() == 2);
      h.settle();
      assertThat(h.consumer.lastCommitted(P0)).hasValue(1);

      h.assign(); // the revocation gives up on offsets 1 and 2 after its timeout
      assertThat(h.consumer.highestCommitted(P0)).isEqualTo(1);

      // Assigned back: the new assignment polls from the committed offset 1 again.
      Hold fresh = h.handler.hold(P0, 1, 2);
      h.assign(P0);
      h.consumer.send(P0, 1, 4);
      awaitEntered(fresh);
      await(() -> h.handler.finished(P0, 2).size() == 2);
      h.settle();
      assertThat(h.consumer.lastCommitted(P0)).hasValue(1);

      // The old calls end now, one normally and one with a failure: neither commits nor stops.
      oldOne.release();
      oldTwo.fail(new IllegalStateException("late failure of the revoked assignment"));
      h.settle();
      assertThat(h.consumer.highestCommitted(P0))
          .as("offset 1 finished in the old assignment, not in the new one")
          .isEqualTo(1);
      assertThat(h.failures).as("a late failure of a revoked assignment").isEmpty();
      assertThat(h.terminated()).isFalse();

      fresh.release();
      h.awaitCommitted(P0, 4);
      assertThat(h.handler.started(P0)).containsExactlyInAnyOrder(0L, 1L, 2L, 3L, 1L, 2L, 3L);
    }
  }

  @Test
  void aLostPartitionDropsItsInFlightRecordsUncommitted() throws Exception {
    try (LoopHarness h = new LoopHarness(Options.defaults()).start()) {
      Hold slow = h.handler.hold(P0, 1, 1);
      h.assign(P0, P1);
      h.consumer.send(P0, 0, 4);
      h.consumer.send(P1, 0, 2);
      awaitEntered(slow);
      await(() -> h.handler.finished(P0).size() == 3 && h.handler.finished(P1).size() == 2);
      h.settle();
      List<Commit> before = h.consumer.commits(P0);
      assertThat(h.consumer.lastCommitted(P0)).hasValue(1);

      // A lost partition is not waited for (the revocation timeout here is 30 s) nor committed.
      h.consumer.lose(P1).get(10, TimeUnit.SECONDS);
      slow.release();
      h.settle();
      h.consumer.send(P1, 2, 4);
      h.awaitCommitted(P1, 4);
      h.stop(LoopHarness.WAIT);

      assertThat(h.consumer.commits(P0)).as("nothing committed for P0 once lost").isEqualTo(before);
      assertThat(h.failures).isEmpty();
    }
  }

  @Test
  void aPausedPartitionIsPausedAgainAfterAnAssignmentAndResumedWhenItsWorkFinishes() {
    // A partition may be fetched from while it has room for a full poll of 2: 3 in flight pause it.
    Options options = Options.defaults().limits(new FlowLimits(100, 4, 2));
    try (LoopHarness h = new LoopHarness(options).start()) {
      Hold first = h.handler.hold(P0, 0, 1);
      h.assign(P0, P1);
      h.consumer.send(P0, 0, 4);
      h.consumer.send(P1, 0, 2);
      awaitEntered(first);
      await(() -> h.handler.finished(P0).size() == 3 && h.handler.finished(P1).size() == 2);
      await(() -> h.consumer.paused().equals(Set.of(P0)));

      // The rebalance resets the client's pause state of every assigned partition.
      h.assign(P0, P1, P2);
      assertThat(h.consumer.paused())
          .as("paused again in the assignment callback")
          .containsOnly(P0);
      h.settle();
      assertThat(h.consumer.paused()).containsOnly(P0);

      first.release();
      await(() -> h.consumer.paused().isEmpty());
      h.consumer.send(P0, 4, 6);
      h.awaitCommitted(P0, 6);
      assertThat(h.handler.started(P0)).containsExactlyInAnyOrder(0L, 1L, 2L, 3L, 4L, 5L);
    }
  }

  @Test
  void finishedRecordsOfARevokedPartitionAreCommittedSynchronouslyInTheRevocation() {
    Options options = Options.defaults().commitInterval(Duration.ofHours(1));
    try (LoopHarness h = new LoopHarness(options).start()) {
      h.assign(P0, P1);
      h.consumer.send(P0, 0, 3);
      h.consumer.send(P1, 0, 2);
      await(() -> h.handler.finished(P0).size() == 3 && h.handler.finished(P1).size() == 2);
      h.settle();
      assertThat(h.consumer.commits()).as("no commit before the commit interval").isEmpty();

      h.assign(P1);
      assertThat(h.consumer.commits()).containsExactly(new Commit(P0, 3, true, "revoked"));

      h.stop(LoopHarness.WAIT);
      assertThat(h.consumer.commits())
          .containsExactly(new Commit(P0, 3, true, "revoked"), new Commit(P1, 2, true, null));
      assertThat(h.consumer.closed()).isTrue();
    }
  }

  @Test
  void stopWaitsForRecordsInFlightAndCommitsTheFinalOffsets() {
    Options options = Options.defaults().commitInterval(Duration.ofHours(1));
    try (LoopHarness h = new LoopHarness(options).start()) {
      Hold slow = h.handler.hold(P0, 2, 1);
      h.assign(P0);
      h.consumer.send(P0, 0, 5);
      awaitEntered(slow);
      await(() -> h.handler.finished(P0).size() == 4);

      h.requestStop(LoopHarness.WAIT);
      // Draining: every partition is paused so that nothing more is fetched.
      await(() -> h.consumer.paused().contains(P0));
      assertThat(h.terminated()).isFalse();
      slow.release();
      h.awaitTerminated();

      assertThat(h.consumer.commits()).containsExactly(new Commit(P0, 5, true, null));
      assertThat(h.failures).isEmpty();
    }
  }

  @Test
  void stopAbandonsARecordStillRunningAtItsDeadlineAndCommitsUpToIt() {
    try (LoopHarness h = new LoopHarness(Options.defaults()).start()) {
      Hold stuck = h.handler.hold(P0, 2, 1);
      h.assign(P0);
      h.consumer.send(P0, 0, 5);
      awaitEntered(stuck);
      await(() -> h.handler.finished(P0).size() == 4);

      h.stop(Duration.ofMillis(400));
      assertThat(h.consumer.lastCommitted(P0)).hasValue(2);
      assertThat(h.consumer.highestCommitted(P0)).isEqualTo(2);
      assertThat(h.failures).isEmpty();
    }
  }

  @Test
  void aHandlerFailureWithTheStopPolicyStopsTheLoopAndCommitsUpToTheFailedRecord() {
    try (LoopHarness h = new LoopHarness(Options.defaults()).start()) {
      Hold failing = h.handler.hold(P0, 2, 1);
      h.assign(P0);
      h.consumer.send(P0, 0, 6);
      awaitEntered(failing);
      await(() -> h.handler.finished(P0).size() == 5);
      h.settle();

      IllegalStateException boom = new IllegalStateException("boom");
      failing.fail(boom);
      h.awaitTerminated();

      assertThat(h.failures).hasSize(1);
      assertThat(h.failures.get(0)).isInstanceOf(HandlerFailedException.class).hasCause(boom);
      assertThat(h.consumer.lastCommitted(P0)).hasValue(2);
      assertThat(h.consumer.highestCommitted(P0)).isEqualTo(2);
      assertThat(h.handler.started(P0)).containsExactlyInAnyOrder(0L, 1L, 2L, 3L, 4L, 5L);
    }
  }

  @Test
  void whenThePositionGoesBackTheOldInFlightCompletionNeverCommits() {
    try (LoopHarness h = new LoopHarness(Options.defaults()).start()) {
      Hold old = h.handler.hold(P0, 1, 1);
      h.assign(P0);
      h.consumer.send(P0, 0, 3);
      awaitEntered(old);
      await(() -> h.handler.finished(P0).size() == 2);
      h.settle();
      assertThat(h.consumer.lastCommitted(P0)).hasValue(1);

      // An offset reset: the same offsets arrive again, a new history of the partition.
      Hold fresh = h.handler.hold(P0, 1, 2);
      join(
          h.consumer.inPoll(
              () -> {
                h.consumer.seek(P0, 0);
                h.consumer.send(P0, 0, 3);
              }));
      awaitEntered(fresh);
      await(() -> h.handler.finished(P0, 2).size() == 2);
      h.settle();
      assertThat(h.consumer.lastCommitted(P0)).hasValue(1);

      old.release();
      h.settle();
      assertThat(h.consumer.highestCommitted(P0))
          .as("offset 1 of the old history finished, of the new one not")
          .isEqualTo(1);

      fresh.release();
      h.awaitCommitted(P0, 3);
      assertThat(h.handler.started(P0)).containsExactlyInAnyOrder(0L, 1L, 2L, 0L, 1L, 2L);
      assertThat(h.failures).isEmpty();
    }
  }

  @Test
  void aPoisonRecordSkippedByThePolicyIsCommittedButNeverHandled() {
    Options options =
        Options.defaults().policy(failure -> FailurePolicy.Decision.DONE, rejecting("poison"));
    try (LoopHarness h = new LoopHarness(options).start()) {
      h.assign(P0);
      h.consumer.send(P0, 0, "v0");
      h.consumer.send(P0, 1, "poison");
      h.consumer.send(P0, 2, "v2");
      h.awaitCommitted(P0, 3);
      assertThat(h.handler.started(P0)).containsExactlyInAnyOrder(0L, 2L);
      assertThat(h.failures).isEmpty();
    }
  }

  @Test
  void aPoisonRecordWithTheStopPolicyStopsTheLoopBeforeIt() {
    Options options =
        Options.defaults()
            .ordering(Ordering.PARTITION, false)
            .policy(FailurePolicy.STOP, rejecting("poison"));
    try (LoopHarness h = new LoopHarness(options).start()) {
      h.assign(P0);
      h.consumer.send(P0, 0, "v0");
      h.consumer.send(P0, 1, "poison");
      h.consumer.send(P0, 2, "v2");
      h.awaitTerminated();

      assertThat(h.failures).hasSize(1);
      assertThat(h.failures.get(0)).hasCauseInstanceOf(DeserializationFailure.class);
      assertThat(h.consumer.lastCommitted(P0)).hasValue(1);
      assertThat(h.handler.started(P0)).containsExactly(0L);
    }
  }

  @Test
  void aLoopWhoseConsumerCloseThrowsAnErrorStillTerminatesAndReportsIt() {
    try (LoopHarness h = new LoopHarness(Options.defaults()).start()) {
      h.assign(P0);
      h.consumer.send(P0, 0, 2);
      await(() -> h.handler.finished(P0).size() == 2);
      h.consumer.failClose(new AssertionError("close broke"));

      h.requestStop(Duration.ofSeconds(5));

      // Without termination the runner would stay STOPPING forever and close() would hang.
      h.awaitTerminated();
      assertThat(h.failures)
          .singleElement()
          .satisfies(failure -> assertThat(failure).hasMessageContaining("close broke"));
    }
  }

  private static Deserializer<String> rejecting(String poison) {
    return (topic, data) -> {
      String value = new String(data, StandardCharsets.UTF_8);
      if (value.equals(poison)) {
        throw new SerializationException("cannot read " + value);
      }
      return value;
    };
  }
}
