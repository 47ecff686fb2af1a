package dev.kafkasdk.consumer;

import static dev.kafkasdk.consumer.KafkaFixtures.WAIT;
import static org.assertj.core.api.Assertions.assertThat;
import static org.awaitility.Awaitility.await;

import dev.kafkasdk.core.RetryTopicNames;
import dev.kafkasdk.test.KafkaCluster;
import dev.kafkasdk.test.KafkaTest;
import dev.kafkasdk.test.TestNames;
import dev.kafkasdk.test.TestRecords;
import java.time.Duration;
import java.util.ArrayList;
import java.util.HashMap;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.concurrent.ConcurrentHashMap;
import java.util.concurrent.CopyOnWriteArrayList;
import java.util.concurrent.atomic.AtomicInteger;
import org.apache.kafka.clients.admin.Admin;
import org.apache.kafka.clients.producer.ProducerRecord;
import org.apache.kafka.common.TopicPartition;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.params.ParameterizedTest;
import org.junit.jupiter.params.provider.ValueSource;

/**
 * {@link RetryTopics#keepKeyOrder()} against a real broker: a reader of the handler's calls sees
 * each key's records in main-topic offset order although some fail once or twice, at different
 * stages, or for good; keys without failures are not held; after a restart the queues are rebuilt
 * from the retry topics, so a new record of a key with a record in the chain still waits for it.
 */
@KafkaTest
class RetryTopicsKeyOrderTest {
  private static final Duration FIRST = Duration.ofMillis(300);
  private static final Duration SECOND = Duration.ofMillis(600);
  private static final int PARTITIONS = 2;

  /** A handler call as the reader sees it. */
  record Call(String key, int partition, long offset, String value, long at) {}

  /**
   * Keys a..f over two partitions, five records each. How often each value fails before it succeeds
   * (3 = fails in the main topic and both retry topics: dead-lettered).
   */
  private static final Map<String, Integer> FAILURES =
      Map.of("a-0", 1, "a-2", 2, "b-1", 2, "b-3", 1, "c-4", 1, "d-0", 3, "d-1", 1);

  /**
   * Multi-worker with key ordering and thread-per-partition (partition ordering); "off" is the
   * control without the option, where the order must break.
   */
  @ParameterizedTest
  @ValueSource(strings = {"key", "thread-per-partition", "off"})
  void eachKeysRecordsReachTheHandlerInOffsetOrderAcrossTheChain(
      String mode, KafkaCluster kafka, TestNames names) throws Exception {
    String topic = names.topic();
    createChain(kafka, topic, PARTITIONS);
    List<ProducerRecord<String, String>> records = new ArrayList<>();
    for (int i = 0; i < 5; i++) {
      for (String key : List.of("a", "b", "c", "d", "e", "f")) {
        records.add(new ProducerRecord<>(topic, key, key + "-" + i));
      }
    }
    TestRecords.of(kafka).produce(records);

    List<Call> calls = new CopyOnWriteArrayList<>();
    Map<String, AtomicInteger> failed = new ConcurrentHashMap<>();
    AtomicInteger succeeded = new AtomicInteger();
    RetryTopics chain = RetryTopics.delays(FIRST, SECOND);
    try (Admin admin = KafkaFixtures.admin(kafka);
        ConsumerRunner<String, String> runner =
            ConsumerRunner.builder()
                .bootstrapServers(kafka.bootstrapServers())
                .groupId(names.groupId())
                .topics(topic)
                .strategy(strategy(mode))
                .onFailure(
                    FailureAction.retryTopics(mode.equals("off") ? chain : chain.keepKeyOrder()))
                .handler(
                    record -> {
                      calls.add(
                          new Call(
                              record.key(),
                              record.partition(),
                              record.offset(),
                              record.value(),
                              System.currentTimeMillis()));
                      AtomicInteger count =
                          failed.computeIfAbsent(record.value(), v -> new AtomicInteger());
                      if (count.get() < FAILURES.getOrDefault(record.value(), 0)) {
                        count.incrementAndGet();
                        throw new IllegalStateException("scripted failure of " + record.value());
                      }
                      succeeded.incrementAndGet();
                    })
                .build()) {
      runner.start();
      await()
          .atMost(WAIT)
          .untilAsserted(
              () -> {
                // Every record but d-0 (dead-lettered) succeeds; every topic committed to its end.
                assertThat(succeeded).hasValue(records.size() - 1);
                Map<TopicPartition, Long> end = new HashMap<>();
                end.putAll(KafkaFixtures.endOffsets(admin, topic, PARTITIONS));
                for (String retry : chain.retryTopics(topic)) {
                  end.putAll(KafkaFixtures.endOffsets(admin, retry, PARTITIONS));
                }
                assertThat(KafkaFixtures.committed(admin, names.groupId())).isEqualTo(end);
              });
    }
    Map<String, List<Call>> byKey = new LinkedHashMap<>();
    for (Call call : calls) {
      byKey.computeIfAbsent(call.key(), k -> new ArrayList<>()).add(call);
    }
    if (mode.equals("off")) {
      // The control: without the option a failed record's later records of its key pass it.
      assertThat(byKey.values()).anySatisfy(keyCalls -> assertThat(inOrder(keyCalls)).isFalse());
      return;
    }
    for (Map.Entry<String, List<Call>> key : byKey.entrySet()) {
      assertThat(inOrder(key.getValue()))
          .as("calls of key %s: %s", key.getKey(), key.getValue())
          .isTrue();
      // Each record succeeds in exactly one call (d-0 never); calls = its scripted failures + 1.
      for (Call call : key.getValue()) {
        long callsOfValue =
            key.getValue().stream().filter(c -> c.value().equals(call.value())).count();
        assertThat(callsOfValue)
            .as(call.value())
            .isEqualTo(Math.min(3, FAILURES.getOrDefault(call.value(), 0) + 1));
      }
    }
    // Keys without failures were not held: their last call came before the first retry's call.
    long firstRetryCall =
        calls.stream()
            .filter(c -> FAILURES.containsKey(c.value()))
            .skip(1)
            .mapToLong(Call::at)
            .min()
            .orElseThrow();
    long lastUnheld =
        calls.stream()
            .filter(c -> c.key().equals("e") || c.key().equals("f"))
            .mapToLong(Call::at)
            .max()
            .orElseThrow();
    assertThat(lastUnheld).isLessThanOrEqualTo(firstRetryCall + FIRST.toMillis());
    assertThat(KafkaFixtures.readDeadLetters(kafka, RetryTopicNames.deadLetterTopic(topic)))
        .hasSize(1);
  }

  /**
   * A runner stops while a record of key k waits in the second retry topic; a new runner (same
   * group) gets a later record of k before that record is due. The new runner rebuilt k's queue
   * from the retry topics, so the later record follows it instead of passing it.
   */
  @Test
  void aRestartedRunnerRebuildsTheQueuesFromTheRetryTopics(KafkaCluster kafka, TestNames names)
      throws Exception {
    String topic = names.topic();
    Duration longSecond = Duration.ofSeconds(6);
    createChain(kafka, topic, List.of(FIRST, longSecond), 1);
    RetryTopics chain = RetryTopics.delays(FIRST, longSecond).keepKeyOrder();
    List<String> calls = new CopyOnWriteArrayList<>();
    AtomicInteger firstCalls = new AtomicInteger();
    TestRecords.of(kafka).produce(List.of(new ProducerRecord<>(topic, 0, "k", "k-0")));
    try (ConsumerRunner<String, String> first =
        runner(kafka, names, topic, chain)
            .handler(
                record -> {
                  firstCalls.incrementAndGet();
                  // Fails in the main topic and the first retry topic: goes to the second.
                  throw new IllegalStateException("down");
                })
            .build()) {
      first.start();
      await().atMost(WAIT).until(() -> firstCalls.get() == 2);
      try (Admin admin = KafkaFixtures.admin(kafka)) {
        await()
            .atMost(WAIT)
            .untilAsserted(
                () ->
                    assertThat(KafkaFixtures.committed(admin, names.groupId()))
                        .containsEntry(new TopicPartition(topic, 0), 1L)
                        .containsEntry(new TopicPartition(chain.retryTopic(topic, 1), 0), 1L));
      }
    }
    try (ConsumerRunner<String, String> second =
        runner(kafka, names, topic, chain).handler(record -> calls.add(record.value())).build()) {
      second.start();
      await().atMost(WAIT).until(() -> !second.assignment().isEmpty());
      TestRecords.of(kafka).produce(List.of(new ProducerRecord<>(topic, 0, "k", "k-1")));
      await().atMost(WAIT).until(() -> calls.size() == 2);
      assertThat(calls).containsExactly("k-0", "k-1");
    }
  }

  private static ConsumerRunner.Builder<String, String> runner(
      KafkaCluster kafka, TestNames names, String topic, RetryTopics chain) {
    return ConsumerRunner.builder()
        .bootstrapServers(kafka.bootstrapServers())
        .groupId(names.groupId())
        .topics(topic)
        .strategy(Strategy.multiWorker(2, Ordering.KEY))
        .onFailure(FailureAction.retryTopics(chain));
  }

  private static Strategy strategy(String mode) {
    return switch (mode) {
      case "thread-per-partition" -> Strategy.threadPerPartition();
      default -> Strategy.multiWorker(4, Ordering.KEY);
    };
  }

  /** Whether the calls' (partition, offset) never go back: each key lives in one partition. */
  private static boolean inOrder(List<Call> calls) {
    for (int i = 1; i < calls.size(); i++) {
      if (calls.get(i).offset() < calls.get(i - 1).offset()) {
        return false;
      }
    }
    return true;
  }

  private static void createChain(KafkaCluster kafka, String topic, int partitions) {
    createChain(kafka, topic, List.of(FIRST, SECOND), partitions);
  }

  private static void createChain(
      KafkaCluster kafka, String topic, List<Duration> delays, int partitions) {
    kafka.createTopic(topic, partitions, 1);
    for (String retry : RetryTopicNames.retryTopics(topic, delays)) {
      kafka.createTopic(retry, partitions, 1);
    }
    kafka.createTopic(RetryTopicNames.deadLetterTopic(topic), partitions, 1);
  }
}
