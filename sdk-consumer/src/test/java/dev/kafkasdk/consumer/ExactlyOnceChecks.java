package dev.kafkasdk.consumer;

import static dev.kafkasdk.consumer.KafkaFixtures.WAIT;
import static org.assertj.core.api.Assertions.assertThat;
import static org.awaitility.Awaitility.await;

import dev.kafkasdk.test.KafkaCluster;
import dev.kafkasdk.test.TestRecords;
import java.util.ArrayList;
import java.util.List;
import java.util.Map;
import org.apache.kafka.clients.admin.Admin;
import org.apache.kafka.clients.consumer.ConsumerRecord;
import org.apache.kafka.common.TopicPartition;

/** What the exactly-once copier tests of one input partition wait for and compare. */
final class ExactlyOnceChecks {
  private ExactlyOnceChecks() {}

  /**
   * Waits until the group has committed every input partition to its end; fails at once if the
   * copier fails.
   */
  static void awaitEverythingCommitted(
      Admin admin, String group, String in, int partitions, ConsumerRunner<?, ?> copier) {
    Map<TopicPartition, Long> end = KafkaFixtures.endOffsets(admin, in, partitions);
    await()
        .atMost(WAIT)
        .failFast("the copier failed", () -> assertThat(copier.failure()).isEmpty())
        .untilAsserted(() -> assertThat(KafkaFixtures.committed(admin, group)).isEqualTo(end));
  }

  /** The values a read_committed reader of the topic sees, in order. */
  static List<String> committedValues(KafkaCluster kafka, String topic) {
    List<String> values = new ArrayList<>();
    for (ConsumerRecord<String, String> record : TestRecords.of(kafka).readCommitted(topic, WAIT)) {
      values.add(record.value());
    }
    return values;
  }

  /**
   * The first {@code count} values {@link KafkaFixtures#produceToPartition} wrote to partition 0.
   */
  static List<String> partitionZeroValues(int count) {
    List<String> expected = new ArrayList<>();
    for (int i = 0; i < count; i++) {
      expected.add("p0-" + i);
    }
    return expected;
  }
}
