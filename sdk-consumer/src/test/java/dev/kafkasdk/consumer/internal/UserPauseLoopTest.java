package dev.kafkasdk.consumer.internal;

import static dev.kafkasdk.consumer.internal.LoopHarness.await;
import static dev.kafkasdk.consumer.internal.LoopHarness.awaitEntered;
import static dev.kafkasdk.consumer.internal.LoopHarness.tp;
import static org.assertj.core.api.Assertions.assertThat;

import dev.kafkasdk.consumer.internal.LoopHarness.Options;
import dev.kafkasdk.consumer.internal.ScriptedHandler.Hold;
import java.util.List;
import java.util.Set;
import org.apache.kafka.common.TopicPartition;
import org.junit.jupiter.api.Test;

/**
 * The application's pauses in the poll loop, against Kafka's {@code MockConsumer}: kept apart from
 * back-pressure, applied again after every assignment, and never stopping work already in flight.
 * The mock returns no records of a paused partition, so "not handled while paused" is exact.
 */
class UserPauseLoopTest {
  private static final TopicPartition P0 = tp(0);
  private static final TopicPartition P1 = tp(1);
  private static final TopicPartition P2 = tp(2);

  @Test
  void aUserPauseOutlivesBackPressureAndRebalancesWhileInFlightWorkCommits() {
    // A partition may be fetched from while it has room for a full poll of 2: 3 in flight pause it.
    Options options = Options.defaults().limits(new FlowLimits(100, 4, 2));
    try (LoopHarness h = new LoopHarness(options).start()) {
      Hold first = h.handler.hold(P0, 0, 1);
      h.assign(P0, P1);
      h.consumer.send(P0, 0, 4);
      awaitEntered(first);
      await(() -> h.consumer.paused().equals(Set.of(P0)));
      assertThat(h.userPaused()).as("a back-pressure pause is not the user's").isEmpty();

      h.userPauses.pause(List.of(P0, P1));
      await(() -> h.userPaused().equals(Set.of(P0, P1)));
      assertThat(h.consumer.paused()).containsExactlyInAnyOrder(P0, P1);

      // Back-pressure ends: the in-flight records finish and commit, P0 stays paused for the user.
      first.release();
      h.awaitCommitted(P0, 4);
      h.settle();
      assertThat(h.consumer.paused()).containsExactlyInAnyOrder(P0, P1);

      // The rebalance resets the client's pause state; the loop pauses both again in the callback.
      h.assign(P0, P1, P2);
      assertThat(h.consumer.paused()).containsExactlyInAnyOrder(P0, P1);
      // Revoked and assigned again: still paused.
      h.assign(P2);
      h.assign(P0, P1, P2);
      assertThat(h.consumer.paused()).containsExactlyInAnyOrder(P0, P1);

      h.consumer.send(P0, 4, 6);
      h.consumer.send(P1, 0, 2);
      h.consumer.send(P2, 0, 2);
      h.awaitCommitted(P2, 2);
      h.settle();
      assertThat(h.handler.started(P0)).containsExactlyInAnyOrder(0L, 1L, 2L, 3L);
      assertThat(h.handler.started(P1)).isEmpty();

      h.userPauses.resume(List.of(P1));
      h.awaitCommitted(P1, 2);
      assertThat(h.userPaused()).containsExactly(P0);
      assertThat(h.consumer.paused()).containsExactly(P0);
      assertThat(h.handler.started(P0)).hasSize(4);

      h.userPauses.resumeAll();
      h.awaitCommitted(P0, 6);
      assertThat(h.consumer.paused()).isEmpty();
      assertThat(h.userPaused()).isEmpty();
    }
  }

  @Test
  void pauseAllCoversLaterAssignmentsExceptThePartitionsResumedOneByOne() {
    try (LoopHarness h = new LoopHarness(Options.defaults())) {
      h.userPauses.pauseAll();
      h.start();
      h.assign(P0);
      assertThat(h.consumer.paused()).containsExactly(P0);
      h.assign(P0, P1);
      assertThat(h.consumer.paused()).containsExactlyInAnyOrder(P0, P1);

      h.userPauses.resume(List.of(P0));
      await(() -> h.consumer.paused().equals(Set.of(P1)));
      h.assign(P0, P1, P2);
      assertThat(h.consumer.paused()).containsExactlyInAnyOrder(P1, P2);
      h.consumer.send(P0, 0, 2);
      h.consumer.send(P1, 0, 2);
      h.awaitCommitted(P0, 2);
      h.settle();
      assertThat(h.handler.started(P1)).isEmpty();

      // Pausing P0 again after a pause of all takes it out of the exceptions.
      h.userPauses.pause(List.of(P0));
      await(() -> h.userPaused().equals(Set.of(P0, P1, P2)));

      h.userPauses.resumeAll();
      h.awaitCommitted(P1, 2);
      assertThat(h.consumer.paused()).isEmpty();
    }
  }

  @Test
  void aUserResumeDoesNotUndoBackPressure() {
    Options options = Options.defaults().limits(new FlowLimits(100, 4, 2));
    try (LoopHarness h = new LoopHarness(options).start()) {
      Hold first = h.handler.hold(P0, 0, 1);
      h.assign(P0);
      h.consumer.send(P0, 0, 4);
      awaitEntered(first);
      await(() -> h.consumer.paused().equals(Set.of(P0)));

      h.userPauses.pause(List.of(P0));
      await(() -> h.userPaused().equals(Set.of(P0)));
      h.userPauses.resumeAll();
      await(() -> h.userPaused().isEmpty());
      h.settle();
      assertThat(h.consumer.paused()).as("still held by back-pressure").containsExactly(P0);

      first.release();
      await(() -> h.consumer.paused().isEmpty());
      h.awaitCommitted(P0, 4);
    }
  }
}
