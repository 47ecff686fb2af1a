package dev.kafkasdk.consumer;

import static dev.kafkasdk.consumer.KafkaFixtures.WAIT;
import static org.assertj.core.api.Assertions.assertThat;
import static org.awaitility.Awaitility.await;

import dev.kafkasdk.test.KafkaCluster;
import dev.kafkasdk.test.KafkaTest;
import dev.kafkasdk.test.TestNames;
import java.util.ArrayList;
import java.util.Collections;
import java.util.HashSet;
import java.util.List;
import java.util.Map;
import java.util.Set;
import java.util.concurrent.ConcurrentHashMap;
import org.apache.kafka.clients.admin.Admin;
import org.apache.kafka.common.TopicPartition;
import org.junit.jupiter.api.Test;

@KafkaTest
class ThreadPerPartitionTest {
  private static final int PARTITIONS = 3;

  @Test
  void oneConsumerThreadPerPartitionProcessesEachPartitionInOrderOnOneThread(
      KafkaCluster kafka, TestNames names) throws Exception {
    kafka.createTopic(names.topic(), PARTITIONS, 1);
    Map<Integer, List<Long>> offsets = new ConcurrentHashMap<>();
    Map<Integer, Set<String>> threads = new ConcurrentHashMap<>();
    try (ConsumerRunner<String, String> runner =
            ConsumerRunner.builder()
                .bootstrapServers(kafka.bootstrapServers())
                .groupId(names.groupId())
                .topics(names.topic())
                .strategy(Strategy.threadPerPartition())
                .handler(
                    record -> {
                      threads
                          .computeIfAbsent(record.partition(), p -> ConcurrentHashMap.newKeySet())
                          .add(Thread.currentThread().getName());
                      offsets
                          .computeIfAbsent(
                              record.partition(),
                              p -> Collections.synchronizedList(new ArrayList<>()))
                          .add(record.offset());
                    })
                .build();
        Admin admin = KafkaFixtures.admin(kafka)) {
      runner.start();
      // The default thread count is the partition count; wait until each consumer owns one.
      await()
          .atMost(WAIT)
          .untilAsserted(
              () ->
                  assertThat(runner.assignmentsByConsumer())
                      .hasSize(PARTITIONS)
                      .allSatisfy(assigned -> assertThat(assigned).hasSize(1)));
      KafkaFixtures.produceKeyed(kafka, names.topic(), 600, 30);
      await().atMost(WAIT).until(() -> offsets.values().stream().mapToInt(List::size).sum() == 600);
      Map<TopicPartition, Long> end = KafkaFixtures.endOffsets(admin, names.topic(), PARTITIONS);
      await()
          .atMost(WAIT)
          .untilAsserted(
              () -> assertThat(KafkaFixtures.committed(admin, names.groupId())).isEqualTo(end));
    }
    offsets.forEach(
        (partition, seen) ->
            assertThat(seen).as("partition %d", partition).isSorted().doesNotHaveDuplicates());
    assertThat(threads).hasSize(PARTITIONS);
    Set<String> allThreads = new HashSet<>();
    threads.forEach(
        (partition, names1) -> {
          assertThat(names1).as("threads of partition %d", partition).hasSize(1);
          allThreads.addAll(names1);
        });
    assertThat(allThreads).as("each partition has its own thread").hasSize(PARTITIONS);
  }

  @Test
  void threadsBeyondThePartitionCountSitIdle(KafkaCluster kafka, TestNames names) throws Exception {
    kafka.createTopic(names.topic(), 2, 1);
    KafkaFixtures.produceKeyed(kafka, names.topic(), 200, 10);
    Set<String> processed = ConcurrentHashMap.newKeySet();
    try (ConsumerRunner<String, String> runner =
        ConsumerRunner.builder()
            .bootstrapServers(kafka.bootstrapServers())
            .groupId(names.groupId())
            .topics(names.topic())
            .strategy(Strategy.threadPerPartition(4))
            .handler(record -> processed.add(record.value()))
            .build()) {
      runner.start();
      await().atMost(WAIT).until(() -> processed.size() == 200);
      await()
          .atMost(WAIT)
          .untilAsserted(
              () -> {
                List<Set<TopicPartition>> assignments = runner.assignmentsByConsumer();
                assertThat(assignments).hasSize(4);
                assertThat(assignments.stream().filter(Set::isEmpty).count()).isEqualTo(2);
              });
    }
  }
}
