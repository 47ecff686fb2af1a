package dev.kafkasdk.consumer;

import static dev.kafkasdk.consumer.KafkaFixtures.WAIT;
import static org.assertj.core.api.Assertions.assertThat;
import static org.awaitility.Awaitility.await;

import dev.kafkasdk.test.KafkaCluster;
import dev.kafkasdk.test.KafkaTest;
import dev.kafkasdk.test.TestNames;
import java.time.Duration;
import java.util.ArrayList;
import java.util.Collections;
import java.util.List;
import java.util.Map;
import java.util.Set;
import java.util.concurrent.ConcurrentHashMap;
import java.util.concurrent.ThreadLocalRandom;
import org.apache.kafka.clients.admin.Admin;
import org.apache.kafka.common.TopicPartition;
import org.junit.jupiter.params.ParameterizedTest;
import org.junit.jupiter.params.provider.EnumSource;

/**
 * The core invariant, observed from outside through the Admin client while records finish in random
 * order: a committed offset never passes a record that has not finished.
 */
@KafkaTest
class CommitInvariantTest {
  private static final int PARTITIONS = 2;
  private static final int RECORDS = 600;

  @ParameterizedTest
  @EnumSource(
      value = Ordering.class,
      names = {"UNORDERED", "KEY"})
  void committedOffsetsNeverPassAnUnfinishedRecord(
      Ordering ordering, KafkaCluster kafka, TestNames names) throws Exception {
    kafka.createTopic(names.topic(), PARTITIONS, 1);
    KafkaFixtures.produceKeyed(kafka, names.topic(), RECORDS, 40);
    Set<TopicPartitionOffset> finished = ConcurrentHashMap.newKeySet();
    List<String> violations = Collections.synchronizedList(new ArrayList<>());
    int[] observedCommits = new int[1];
    try (Admin admin = KafkaFixtures.admin(kafka);
        ConsumerRunner<String, String> runner =
            ConsumerRunner.builder()
                .bootstrapServers(kafka.bootstrapServers())
                .groupId(names.groupId())
                .topics(names.topic())
                .strategy(Strategy.multiWorker(8, ordering))
                .commitInterval(Duration.ofMillis(50))
                .handler(
                    record -> {
                      // Mostly quick, sometimes slow: slow records hold gaps open across commits.
                      int delay =
                          record.offset() % 53 == 7 ? 150 : ThreadLocalRandom.current().nextInt(8);
                      Thread.sleep(delay);
                      finished.add(new TopicPartitionOffset(record.partition(), record.offset()));
                    })
                .build()) {
      Map<TopicPartition, Long> end = KafkaFixtures.endOffsets(admin, names.topic(), PARTITIONS);
      runner.start();
      await()
          .atMost(WAIT)
          .pollInterval(Duration.ofMillis(20))
          .failFast("a commit passed an unfinished record", () -> !violations.isEmpty())
          .untilAsserted(
              () -> {
                Map<TopicPartition, Long> committed =
                    KafkaFixtures.committed(admin, names.groupId());
                committed.forEach(
                    (partition, offset) -> {
                      observedCommits[0]++;
                      for (long o = 0; o < offset; o++) {
                        if (!finished.contains(
                            new TopicPartitionOffset(partition.partition(), o))) {
                          violations.add(partition + " committed " + offset + " before " + o);
                        }
                      }
                    });
                assertThat(committed).isEqualTo(end);
              });
      assertThat(violations).isEmpty();
      assertThat(finished).hasSize(RECORDS);
      assertThat(observedCommits[0]).as("commits observed while processing").isGreaterThan(4);
    }
  }

  private record TopicPartitionOffset(int partition, long offset) {}
}
