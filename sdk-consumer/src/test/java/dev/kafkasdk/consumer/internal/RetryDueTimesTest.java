package dev.kafkasdk.consumer.internal;

import static org.assertj.core.api.Assertions.assertThat;

import dev.kafkasdk.consumer.RetryTopicHeaders;
import dev.kafkasdk.consumer.RetryTopics;
import java.nio.charset.StandardCharsets;
import java.time.Duration;
import java.util.List;
import java.util.Map;
import java.util.Optional;
import java.util.Set;
import java.util.concurrent.atomic.AtomicLong;
import org.apache.kafka.clients.consumer.ConsumerRecord;
import org.apache.kafka.clients.consumer.MockConsumer;
import org.apache.kafka.common.TopicPartition;
import org.apache.kafka.common.header.internals.RecordHeaders;
import org.apache.kafka.common.record.TimestampType;
import org.junit.jupiter.api.Test;

/**
 * The retry-delay pause without a broker: a retry partition's records that are not due are given
 * back (seek) and the partition is paused until the head is due; that pause and the application's
 * never lift each other.
 */
class RetryDueTimesTest {
  private static final RetryChain CHAIN =
      RetryChain.of(
          RetryTopics.delays(Duration.ofSeconds(1), Duration.ofSeconds(10)), List.of("orders"));
  private static final TopicPartition MAIN = new TopicPartition("orders", 0);
  private static final TopicPartition RETRY = new TopicPartition("orders.retry-1s", 0);

  private final AtomicLong now = new AtomicLong(1_000_000);
  private final RetryDueTimes dueTimes = new RetryDueTimes(CHAIN, now::get);
  private final MockConsumer<byte[], byte[]> consumer = new MockConsumer<>("earliest");
  private final UserPauses user = new UserPauses();
  private final PauseControl pauses = fixedLimitPauses();
  private final Assignments<byte[], byte[]> assignments = new Assignments<>();

  /** Limits that may not grow: the window never moves. Uses the fields declared above. */
  private PauseControl fixedLimitPauses() {
    LoopStats stats = new LoopStats();
    FlowWindow window = new FlowWindow(new FlowLimits(100, 100, 10), () -> 0, stats);
    return new PauseControl("test", consumer, window, stats, user, dueTimes);
  }

  RetryDueTimesTest() {
    consumer.assign(List.of(MAIN, RETRY));
    consumer.updateBeginningOffsets(Map.of(MAIN, 0L, RETRY, 0L));
    consumer.seek(RETRY, 5);
    assignments.assign(MAIN);
    assignments.assign(RETRY);
  }

  @Test
  void recordsFromTheFirstNotDueOneAreGivenBackAndThePartitionWaitsForIt() {
    List<ConsumerRecord<byte[], byte[]>> polled =
        List.of(
            record(RETRY, 5, now.get() - 1),
            record(RETRY, 6, now.get() + 300),
            record(RETRY, 7, now.get() + 200));
    List<ConsumerRecord<byte[], byte[]>> due = dueTimes.due(RETRY, polled, consumer);

    assertThat(due).extracting(ConsumerRecord::offset).containsExactly(5L);
    assertThat(consumer.position(RETRY)).isEqualTo(6);
    apply();
    assertThat(consumer.paused()).containsExactly(RETRY);
    assertThat(pauses.millisUntilNextDue()).isEqualTo(300);
    assertThat(pauses.any()).as("not a wait for room: the loop need not poll briefly").isFalse();

    now.addAndGet(299);
    apply();
    assertThat(consumer.paused()).containsExactly(RETRY);
    now.addAndGet(1);
    apply();
    assertThat(consumer.paused()).isEmpty();
    assertThat(dueTimes.due(RETRY, polled.subList(1, 3), consumer)).hasSize(2);
  }

  @Test
  void mainTopicRecordsAreNeverHeld() {
    List<ConsumerRecord<byte[], byte[]>> polled = List.of(record(MAIN, 0, now.get() + 10_000));
    assertThat(dueTimes.due(MAIN, polled, consumer)).isEqualTo(polled);
    assertThat(dueTimes.holds(MAIN)).isFalse();
  }

  @Test
  void theRetryPauseAndTheApplicationsPauseNeverLiftEachOther() {
    dueTimes.due(RETRY, List.of(record(RETRY, 5, now.get() + 100)), consumer);
    user.pause(List.of(RETRY));
    apply();
    assertThat(consumer.paused()).containsExactly(RETRY);

    // Due: the application's pause still holds.
    now.addAndGet(100);
    apply();
    assertThat(consumer.paused()).containsExactly(RETRY);

    // Held again, then the application resumes: the retry pause still holds.
    dueTimes.due(RETRY, List.of(record(RETRY, 5, now.get() + 100)), consumer);
    user.resume(List.of(RETRY));
    apply();
    assertThat(consumer.paused()).containsExactly(RETRY);
    now.addAndGet(100);
    apply();
    assertThat(consumer.paused()).isEmpty();
  }

  @Test
  void aRevokedPartitionIsForgotten() {
    dueTimes.due(RETRY, List.of(record(RETRY, 5, now.get() + 100)), consumer);
    pauses.forget(Set.of(RETRY));
    assertThat(dueTimes.holds(RETRY)).isFalse();
    assertThat(pauses.millisUntilNextDue()).isEqualTo(Long.MAX_VALUE);
  }

  private void apply() {
    pauses.apply(assignments.byPartition(), 0, false, false);
  }

  private static ConsumerRecord<byte[], byte[]> record(
      TopicPartition partition, long offset, long dueAt) {
    RecordHeaders headers = new RecordHeaders();
    headers.add(RetryTopicHeaders.DUE_AT, Long.toString(dueAt).getBytes(StandardCharsets.UTF_8));
    return new ConsumerRecord<>(
        partition.topic(),
        partition.partition(),
        offset,
        0L,
        TimestampType.CREATE_TIME,
        0,
        0,
        new byte[0],
        new byte[0],
        headers,
        Optional.empty());
  }
}
