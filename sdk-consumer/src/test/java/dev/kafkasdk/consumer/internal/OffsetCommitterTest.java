package dev.kafkasdk.consumer.internal;

import static org.assertj.core.api.Assertions.assertThat;

import io.micrometer.core.instrument.simple.SimpleMeterRegistry;
import java.io.ByteArrayOutputStream;
import java.io.PrintStream;
import java.nio.charset.StandardCharsets;
import java.util.ArrayList;
import java.util.List;
import java.util.Map;
import org.apache.kafka.clients.consumer.ConsumerRecord;
import org.apache.kafka.clients.consumer.MockConsumer;
import org.apache.kafka.clients.consumer.OffsetAndMetadata;
import org.apache.kafka.clients.consumer.OffsetCommitCallback;
import org.apache.kafka.common.TopicPartition;
import org.apache.kafka.common.errors.RebalanceInProgressException;
import org.junit.jupiter.api.Test;

/**
 * What the committer logs when commits are refused. The promise here is about the log itself: a
 * rebalance is a normal event, so the refusals it causes are reported once, at INFO, briefly.
 */
class OffsetCommitterTest {
  private static final String NAME = "committer-test-runner";

  @Test
  void commitsRefusedDuringARebalanceAreLoggedOnceAtInfoWithoutTheOffsets() {
    RefusingConsumer consumer = new RefusingConsumer();
    OffsetCommitter committer =
        new OffsetCommitter(
            NAME, consumer, new RunnerMetrics(new SimpleMeterRegistry(), NAME, List.of()));
    List<PartitionState<String, String>> states = new ArrayList<>();
    for (int p = 0; p < 30; p++) {
      PartitionState<String, String> state =
          new PartitionState<>(new TopicPartition("orders-with-a-long-topic-name", p), p);
      finish(state, 0, 100);
      states.add(state);
    }

    List<String> firstRebalance =
        logged(
            () -> {
              for (int i = 0; i < 5; i++) {
                committer.commitAsync(states);
              }
            });
    assertThat(consumer.refused).isEqualTo(5);
    assertThat(firstRebalance).hasSize(1);
    assertThat(firstRebalance.get(0))
        .contains(" INFO ")
        .contains(NAME)
        .contains("30 partition")
        .doesNotContain("OffsetAndMetadata")
        .hasSizeLessThan(300);

    consumer.refusing = false;
    List<String> accepted = logged(() -> committer.commitAsync(states));
    assertThat(accepted).isEmpty();
    assertThat(states).allSatisfy(state -> assertThat(state.committed()).isEqualTo(100));

    for (PartitionState<String, String> state : states) {
      finish(state, 100, 101);
    }
    consumer.refusing = true;
    List<String> secondRebalance =
        logged(
            () -> {
              for (int i = 0; i < 3; i++) {
                committer.commitAsync(states);
              }
            });
    assertThat(secondRebalance).as("the next rebalance is reported again, once").hasSize(1);
    assertThat(secondRebalance.get(0)).contains(" INFO ").doesNotContain(" WARN ");
  }

  /** Lines the committer logged for this runner while the action ran (slf4j-simple: stderr). */
  private static List<String> logged(Runnable action) {
    PrintStream original = System.err;
    ByteArrayOutputStream captured = new ByteArrayOutputStream();
    System.setErr(new PrintStream(captured, true, StandardCharsets.UTF_8));
    try {
      action.run();
    } finally {
      System.setErr(original);
    }
    List<String> lines = new ArrayList<>();
    for (String line : captured.toString(StandardCharsets.UTF_8).split("\\R")) {
      if (line.contains(OffsetCommitter.class.getName()) && line.contains(NAME)) {
        lines.add(line);
      }
    }
    return lines;
  }

  /** Answers every asynchronous commit at once, refused as during a rebalance or accepted. */
  private static final class RefusingConsumer extends MockConsumer<byte[], byte[]> {
    boolean refusing = true;
    int refused;

    RefusingConsumer() {
      super("earliest");
    }

    @Override
    public synchronized void commitAsync(
        Map<TopicPartition, OffsetAndMetadata> offsets, OffsetCommitCallback callback) {
      if (refusing) {
        refused++;
        callback.onComplete(
            offsets,
            new RebalanceInProgressException(
                "Offset commit cannot be completed since the consumer is undergoing a rebalance"));
      } else {
        callback.onComplete(offsets, null);
      }
    }
  }

  /** Registers and finishes the records at offsets {@code from} (inclusive) to {@code to}. */
  private static void finish(PartitionState<String, String> state, long from, long to) {
    List<ConsumerRecord<String, String>> records = new ArrayList<>();
    List<ConsumerRecord<byte[], byte[]>> raw = new ArrayList<>();
    for (long offset = from; offset < to; offset++) {
      TopicPartition partition = state.partition();
      records.add(new ConsumerRecord<>(partition.topic(), partition.partition(), offset, "k", "v"));
      raw.add(new ConsumerRecord<>(partition.topic(), partition.partition(), offset, null, null));
    }
    state.register(raw);
    state.finish(new Work<>(state, records, raw, null, true), records.size());
  }
}
