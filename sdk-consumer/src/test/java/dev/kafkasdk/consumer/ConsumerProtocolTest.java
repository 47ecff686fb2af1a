package dev.kafkasdk.consumer;

import static dev.kafkasdk.consumer.KafkaFixtures.WAIT;
import static org.assertj.core.api.Assertions.assertThat;
import static org.awaitility.Awaitility.await;

import dev.kafkasdk.test.KafkaCluster;
import dev.kafkasdk.test.KafkaTest;
import dev.kafkasdk.test.TestNames;
import java.util.Map;
import java.util.Set;
import java.util.concurrent.ConcurrentHashMap;
import org.apache.kafka.clients.admin.Admin;
import org.apache.kafka.common.TopicPartition;
import org.junit.jupiter.api.Test;

/** The KIP-848 group protocol ({@code group.protocol=consumer}) with both strategies. */
@KafkaTest
class ConsumerProtocolTest {

  @Test
  void threadPerPartitionSharesPartitionsAndCommitsEverything(KafkaCluster kafka, TestNames names)
      throws Exception {
    kafka.createTopic(names.topic(), 4, 1);
    Map<String, String> threadByValue = new ConcurrentHashMap<>();
    try (Admin admin = KafkaFixtures.admin(kafka);
        ConsumerRunner<String, String> runner =
            ConsumerRunner.builder()
                .bootstrapServers(kafka.bootstrapServers())
                .groupId(names.groupId())
                .topics(names.topic())
                .property("group.protocol", "consumer")
                .strategy(Strategy.threadPerPartition(2))
                .handler(
                    record -> threadByValue.put(record.value(), Thread.currentThread().getName()))
                .build()) {
      runner.start();
      await()
          .atMost(WAIT)
          .untilAsserted(
              () ->
                  assertThat(runner.assignmentsByConsumer())
                      .allSatisfy(assigned -> assertThat(assigned).hasSize(2)));
      KafkaFixtures.produceKeyed(kafka, names.topic(), 400, 40);
      await().atMost(WAIT).until(() -> threadByValue.size() == 400);
      Map<TopicPartition, Long> end = KafkaFixtures.endOffsets(admin, names.topic(), 4);
      await()
          .atMost(WAIT)
          .untilAsserted(
              () -> assertThat(KafkaFixtures.committed(admin, names.groupId())).isEqualTo(end));
      assertThat(Set.copyOf(threadByValue.values())).hasSize(2);
    }
  }

  @Test
  void multiWorkerProcessesEverythingInKeyOrder(KafkaCluster kafka, TestNames names)
      throws Exception {
    kafka.createTopic(names.topic(), 3, 1);
    KafkaFixtures.produceKeyed(kafka, names.topic(), 300, 15);
    Map<String, Integer> lastSeq = new ConcurrentHashMap<>();
    Set<String> outOfOrder = ConcurrentHashMap.newKeySet();
    Set<String> processed = ConcurrentHashMap.newKeySet();
    try (Admin admin = KafkaFixtures.admin(kafka);
        ConsumerRunner<String, String> runner =
            ConsumerRunner.builder()
                .bootstrapServers(kafka.bootstrapServers())
                .groupId(names.groupId())
                .topics(names.topic())
                .property("group.protocol", "consumer")
                .strategy(Strategy.multiWorker(8, Ordering.KEY))
                .handler(
                    record -> {
                      int seq =
                          Integer.parseInt(
                              record.value().substring(record.value().indexOf(':') + 1));
                      Integer previous = lastSeq.put(record.key(), seq);
                      if (previous != null && previous >= seq) {
                        outOfOrder.add(record.value());
                      }
                      processed.add(record.value());
                    })
                .build()) {
      runner.start();
      await().atMost(WAIT).until(() -> processed.size() == 300);
      Map<TopicPartition, Long> end = KafkaFixtures.endOffsets(admin, names.topic(), 3);
      await()
          .atMost(WAIT)
          .untilAsserted(
              () -> assertThat(KafkaFixtures.committed(admin, names.groupId())).isEqualTo(end));
      assertThat(outOfOrder).isEmpty();
    }
  }
}
