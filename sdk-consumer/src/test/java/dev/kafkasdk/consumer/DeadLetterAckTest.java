package dev.kafkasdk.consumer;

import static dev.kafkasdk.consumer.KafkaFixtures.WAIT;
import static org.assertj.core.api.Assertions.assertThat;
import static org.awaitility.Awaitility.await;

import dev.kafkasdk.test.KafkaCluster;
import dev.kafkasdk.test.KafkaTest;
import dev.kafkasdk.test.TestNames;
import dev.kafkasdk.test.TestRecords;
import java.time.Duration;
import java.util.ArrayList;
import java.util.List;
import java.util.Map;
import java.util.Set;
import java.util.concurrent.ConcurrentHashMap;
import java.util.concurrent.atomic.AtomicInteger;
import org.apache.kafka.clients.admin.Admin;
import org.apache.kafka.clients.consumer.ConsumerRecord;
import org.apache.kafka.clients.producer.ProducerRecord;
import org.apache.kafka.common.TopicPartition;
import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.Test;

/**
 * The commit passes a dead-lettered record only once the broker has acknowledged its dead letter:
 * the dead-letter topic needs three in-sync replicas and one of three brokers is down, so the dead
 * letter waits (the idempotent producer retries {@code NOT_ENOUGH_REPLICAS}) until the broker is
 * back.
 */
@KafkaTest(brokers = 3, scope = KafkaTest.Scope.CLASS)
class DeadLetterAckTest {
  private KafkaCluster kafka;

  @AfterEach
  void restartEveryBroker() {
    if (kafka != null) {
      kafka.brokerIds().forEach(kafka::startBroker);
    }
  }

  @Test
  void theCommitWaitsForTheDeadLetterToBeAcknowledged(KafkaCluster kafka, TestNames names)
      throws Exception {
    this.kafka = kafka;
    String topic = names.topic();
    String deadLetters = names.topic("dlt");
    kafka.createTopic(topic, 1, 3);
    kafka.createTopic(deadLetters, 1, 3, Map.of("min.insync.replicas", "3"));
    List<ProducerRecord<String, String>> records = new ArrayList<>();
    for (int i = 0; i < 20; i++) {
      records.add(new ProducerRecord<>(topic, 0, "k" + i, i == 5 ? "poison-5" : "v" + i));
    }
    TestRecords.of(kafka).produce(records);
    int down = List.copyOf(kafka.brokerIds()).get(2);
    kafka.stopBroker(down);

    Set<String> processed = ConcurrentHashMap.newKeySet();
    TopicPartition partition = new TopicPartition(topic, 0);
    try (Admin admin = KafkaFixtures.admin(kafka);
        ConsumerRunner<String, String> runner =
            ConsumerRunner.builder(
                    RetryAndDeadLetterTest.rejecting("nothing"),
                    RetryAndDeadLetterTest.rejecting("poison-"))
                .bootstrapServers(kafka.bootstrapServers())
                .groupId(names.groupId())
                .topics(topic)
                .strategy(Strategy.multiWorker(2, Ordering.PARTITION))
                .commitInterval(Duration.ofMillis(200))
                .onFailure(FailureAction.deadLetter(deadLetters))
                .handler(record -> processed.add(record.value()))
                .build()) {
      runner.start();
      // Commits work (they reach the poison pill) but stop there while its dead letter waits.
      await().atMost(WAIT).until(() -> committed(admin, names.groupId(), partition) == 5L);
      await()
          .during(Duration.ofSeconds(3))
          .atMost(WAIT)
          .until(() -> committed(admin, names.groupId(), partition) == 5L);
      assertThat(processed).as("the partition waits behind the dead letter").doesNotContain("v6");
      assertThat(runner.state()).isEqualTo(ConsumerRunner.State.RUNNING);

      kafka.startBroker(down);
      await().atMost(WAIT).until(() -> committed(admin, names.groupId(), partition) == 20L);
    }
    assertThat(processed).hasSize(19).doesNotContain("poison-5");
    List<ConsumerRecord<byte[], byte[]>> dlt = KafkaFixtures.readDeadLetters(kafka, deadLetters);
    assertThat(dlt).hasSize(1);
    assertThat(RetryAndDeadLetterTest.utf8(dlt.get(0).value())).isEqualTo("poison-5");
    assertThat(RetryAndDeadLetterTest.headers(dlt.get(0).headers()))
        .containsEntry(DeadLetterHeaders.ORIGINAL_OFFSET, "5");
  }

  /**
   * {@code close(timeout)} bounds the whole stop, the dead-letter producer's close included: with a
   * dead letter that cannot be acknowledged, the runner's own {@code closeTimeout} (30 s) must not
   * apply when the caller asked for 2 s. The record stays uncommitted, so it is delivered again.
   */
  @Test
  void closeWithATimeoutHasStoppedWhenItReturnsThoughADeadLetterIsPending(
      KafkaCluster kafka, TestNames names) throws Exception {
    this.kafka = kafka;
    String topic = names.topic();
    String deadLetters = names.topic("dlt");
    kafka.createTopic(topic, 1, 3);
    kafka.createTopic(deadLetters, 1, 3, Map.of("min.insync.replicas", "3"));
    TestRecords.of(kafka).produce(List.of(new ProducerRecord<>(topic, 0, "k", "poison-0")));
    kafka.stopBroker(List.copyOf(kafka.brokerIds()).get(2));
    AtomicInteger calls = new AtomicInteger();
    try (Admin admin = KafkaFixtures.admin(kafka)) {
      ConsumerRunner<String, String> runner =
          ConsumerRunner.builder()
              .bootstrapServers(kafka.bootstrapServers())
              .groupId(names.groupId())
              .topics(topic)
              .closeTimeout(Duration.ofSeconds(30))
              .onFailure(FailureAction.deadLetter(deadLetters))
              .handler(
                  record -> {
                    calls.incrementAndGet();
                    throw new IllegalStateException("cannot process " + record.value());
                  })
              .build();
      try {
        runner.start();
        await().atMost(WAIT).until(() -> calls.get() > 0);
        runner.close(Duration.ofSeconds(2));
        assertThat(runner.state())
            .as("state when close(2 s) returns")
            .isEqualTo(ConsumerRunner.State.STOPPED);
      } finally {
        runner.close();
      }
      assertThat(committed(admin, names.groupId(), new TopicPartition(topic, 0))).isZero();
    }
  }

  private static long committed(Admin admin, String group, TopicPartition partition) {
    return KafkaFixtures.committed(admin, group).getOrDefault(partition, 0L);
  }
}
