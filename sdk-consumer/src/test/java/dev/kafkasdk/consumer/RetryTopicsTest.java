package dev.kafkasdk.consumer;

import static dev.kafkasdk.consumer.KafkaFixtures.WAIT;
import static org.assertj.core.api.Assertions.assertThat;
import static org.awaitility.Awaitility.await;

import dev.kafkasdk.core.RetryTopicNames;
import dev.kafkasdk.test.KafkaCluster;
import dev.kafkasdk.test.KafkaTest;
import dev.kafkasdk.test.TestNames;
import dev.kafkasdk.test.TestRecords;
import io.github.resilience4j.core.IntervalFunction;
import io.micrometer.core.instrument.simple.SimpleMeterRegistry;
import java.nio.charset.StandardCharsets;
import java.time.Duration;
import java.util.ArrayList;
import java.util.HashMap;
import java.util.List;
import java.util.Map;
import java.util.concurrent.CopyOnWriteArrayList;
import java.util.concurrent.atomic.AtomicInteger;
import java.util.concurrent.atomic.AtomicLong;
import org.apache.kafka.clients.admin.Admin;
import org.apache.kafka.clients.consumer.ConsumerRecord;
import org.apache.kafka.clients.producer.ProducerRecord;
import org.apache.kafka.common.TopicPartition;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.params.ParameterizedTest;
import org.junit.jupiter.params.provider.ValueSource;

/**
 * Retry topics against a real broker: a failed record moves along the chain and is processed again
 * no earlier than each delay, while the records behind it on its partition go on; the handler sees
 * the main topic's record; a record that fails in the last retry topic is dead-lettered once, as
 * the main topic's record; every topic's offsets are committed in the end.
 */
@KafkaTest
class RetryTopicsTest {
  private static final Duration FIRST = Duration.ofMillis(800);
  private static final Duration SECOND = Duration.ofMillis(1600);
  private static final int GOOD = 40;

  /** Both strategies; one partition, so the failing record and the others share it. */
  @ParameterizedTest
  @ValueSource(strings = {"multi-worker", "thread-per-partition"})
  void aFailedRecordIsRetriedAfterEachDelayWithoutHoldingItsPartition(
      String strategy, KafkaCluster kafka, TestNames names) throws Exception {
    String topic = names.topic();
    createChain(kafka, topic, List.of(FIRST, SECOND));
    List<ProducerRecord<String, String>> records = new ArrayList<>();
    records.add(new ProducerRecord<>(topic, 0, "bad", "bad"));
    for (int i = 0; i < GOOD; i++) {
      records.add(new ProducerRecord<>(topic, 0, "k" + (i % 4), "good-" + i));
    }
    TestRecords.of(kafka).produce(records);

    List<Long> badCalls = new CopyOnWriteArrayList<>();
    List<ConsumerRecord<String, String>> badSeen = new CopyOnWriteArrayList<>();
    AtomicInteger good = new AtomicInteger();
    AtomicLong lastGoodAt = new AtomicLong();
    SimpleMeterRegistry registry = new SimpleMeterRegistry();
    try (Admin admin = KafkaFixtures.admin(kafka);
        ConsumerRunner<String, String> runner =
            ConsumerRunner.builder()
                .bootstrapServers(kafka.bootstrapServers())
                .groupId(names.groupId())
                .topics(topic)
                .strategy(
                    strategy.equals("multi-worker")
                        ? Strategy.multiWorker(4, Ordering.PARTITION)
                        : Strategy.threadPerPartition())
                .meterRegistry(registry)
                .onFailure(FailureAction.retryTopics(RetryTopics.delays(FIRST, SECOND)))
                .handler(
                    record -> {
                      if (record.key().equals("bad")) {
                        badCalls.add(System.currentTimeMillis());
                        badSeen.add(record);
                        if (badCalls.size() < 3) {
                          throw new IllegalStateException("not yet: call " + badCalls.size());
                        }
                        return;
                      }
                      good.incrementAndGet();
                      lastGoodAt.set(System.currentTimeMillis());
                    })
                .build()) {
      runner.start();
      Map<TopicPartition, Long> end = new HashMap<>();
      await()
          .atMost(WAIT)
          .untilAsserted(
              () -> {
                assertThat(badCalls).hasSize(3);
                end.putAll(KafkaFixtures.endOffsets(admin, topic, 1));
                end.putAll(KafkaFixtures.endOffsets(admin, retryTopic(topic, FIRST), 1));
                end.putAll(KafkaFixtures.endOffsets(admin, retryTopic(topic, SECOND), 1));
                assertThat(KafkaFixtures.committed(admin, names.groupId())).isEqualTo(end);
              });

      assertThat(good).as("every other record processed once").hasValue(GOOD);
      // The records behind the failed one on its partition did not wait for its retry.
      assertThat(lastGoodAt.get()).isLessThan(badCalls.get(1));
      // Never before the due time; generous upper bounds for a loaded machine.
      long firstWait = badCalls.get(1) - badCalls.get(0);
      long secondWait = badCalls.get(2) - badCalls.get(1);
      assertThat(firstWait).isBetween(FIRST.toMillis(), FIRST.toMillis() + 20_000);
      assertThat(secondWait).isBetween(SECOND.toMillis(), SECOND.toMillis() + 20_000);
      // The handler sees the main topic's record every time; headers tell the retry.
      for (ConsumerRecord<String, String> seen : badSeen) {
        assertThat(seen.topic()).isEqualTo(topic);
        assertThat(seen.partition()).isZero();
        assertThat(seen.offset()).isZero();
      }
      assertThat(header(badSeen.get(0), RetryTopicHeaders.ATTEMPT)).isNull();
      assertThat(header(badSeen.get(1), RetryTopicHeaders.ATTEMPT)).isEqualTo("1");
      assertThat(header(badSeen.get(2), RetryTopicHeaders.ATTEMPT)).isEqualTo("2");
      assertThat(header(badSeen.get(2), DeadLetterHeaders.ATTEMPTS)).isEqualTo("2");
      assertThat(header(badSeen.get(2), DeadLetterHeaders.EXCEPTION_MESSAGE))
          .isEqualTo("not yet: call 2");
      assertThat(header(badSeen.get(2), RetryTopicHeaders.EXCEPTION_STACKTRACE))
          .startsWith("java.lang.IllegalStateException: not yet: call 2");
      assertThat(
              registry
                  .get(ConsumerMeters.RETRY_TOPIC_SENDS)
                  .tag(ConsumerMeters.TAG_RESULT, "success")
                  .counter()
                  .count())
          .isEqualTo(2.0);
      assertThat(KafkaFixtures.readDeadLetters(kafka, RetryTopicNames.deadLetterTopic(topic)))
          .isEmpty();
    }
  }

  /**
   * In-place attempts first (two per stage), then the chain; after failing in the last retry topic
   * the record is dead-lettered once, with the main topic's record as its origin and the handler
   * calls of the whole chain.
   */
  @Test
  void exhaustingTheChainDeadLettersTheRecordOnce(KafkaCluster kafka, TestNames names)
      throws Exception {
    String topic = names.topic();
    Duration first = Duration.ofMillis(200);
    Duration second = Duration.ofMillis(400);
    createChain(kafka, topic, List.of(first, second));
    TestRecords.of(kafka)
        .produce(
            List.of(
                new ProducerRecord<>(topic, 0, "a", "a-0"),
                new ProducerRecord<>(topic, 0, "bad", "bad"),
                new ProducerRecord<>(topic, 0, "a", "a-1")));
    AtomicInteger badCalls = new AtomicInteger();
    List<String> good = new CopyOnWriteArrayList<>();
    SimpleMeterRegistry registry = new SimpleMeterRegistry();
    try (Admin admin = KafkaFixtures.admin(kafka);
        ConsumerRunner<String, String> runner =
            ConsumerRunner.builder()
                .bootstrapServers(kafka.bootstrapServers())
                .groupId(names.groupId())
                .topics(topic)
                .strategy(Strategy.multiWorker(2, Ordering.KEY))
                .meterRegistry(registry)
                .retry(
                    RetryPolicy.builder()
                        .maxAttempts(2)
                        .backoff(IntervalFunction.of(Duration.ofMillis(10)))
                        .build())
                .onFailure(FailureAction.retryTopics(RetryTopics.delays(first, second)))
                .handler(
                    record -> {
                      if (record.key().equals("bad")) {
                        badCalls.incrementAndGet();
                        throw new IllegalArgumentException("always");
                      }
                      good.add(record.value());
                    })
                .build()) {
      runner.start();
      await()
          .atMost(WAIT)
          .until(() -> registry.get(ConsumerMeters.RETRY_CHAIN_EXHAUSTED).counter().count() > 0);
      List<ConsumerRecord<byte[], byte[]>> letters =
          KafkaFixtures.readDeadLetters(kafka, RetryTopicNames.deadLetterTopic(topic));
      assertThat(letters).hasSize(1);
      ConsumerRecord<byte[], byte[]> letter = letters.get(0);
      assertThat(new String(letter.value(), StandardCharsets.UTF_8)).isEqualTo("bad");
      assertThat(header(letter, DeadLetterHeaders.ORIGINAL_TOPIC)).isEqualTo(topic);
      assertThat(header(letter, DeadLetterHeaders.ORIGINAL_PARTITION)).isEqualTo("0");
      assertThat(header(letter, DeadLetterHeaders.ORIGINAL_OFFSET)).isEqualTo("1");
      assertThat(header(letter, DeadLetterHeaders.ATTEMPTS)).isEqualTo("6");
      assertThat(header(letter, DeadLetterHeaders.FAILURE_KIND)).isEqualTo("handler");
      assertThat(header(letter, DeadLetterHeaders.EXCEPTION_CLASS))
          .isEqualTo(IllegalArgumentException.class.getName());
      assertThat(header(letter, RetryTopicHeaders.ATTEMPT)).isEqualTo("2");

      Map<TopicPartition, Long> end = new HashMap<>();
      end.putAll(KafkaFixtures.endOffsets(admin, topic, 1));
      end.putAll(KafkaFixtures.endOffsets(admin, retryTopic(topic, first), 1));
      end.putAll(KafkaFixtures.endOffsets(admin, retryTopic(topic, second), 1));
      await()
          .atMost(WAIT)
          .untilAsserted(
              () -> assertThat(KafkaFixtures.committed(admin, names.groupId())).isEqualTo(end));
      assertThat(badCalls).hasValue(6);
      assertThat(good).containsExactly("a-0", "a-1");
      assertThat(registry.get(ConsumerMeters.RETRY_CHAIN_EXHAUSTED).counter().count())
          .isEqualTo(1.0);
      assertThat(KafkaFixtures.readDeadLetters(kafka, RetryTopicNames.deadLetterTopic(topic)))
          .hasSize(1);
    }
  }

  /**
   * A retry partition paused until its record is due has a lag and a commit that does not move, but
   * it is waiting on purpose: health() must not call it stuck.
   */
  @Test
  void aRetryPartitionWaitingForItsDueTimeIsNotStuck(KafkaCluster kafka, TestNames names)
      throws Exception {
    String topic = names.topic();
    Duration delay = Duration.ofSeconds(4);
    createChain(kafka, topic, List.of(delay));
    TestRecords.of(kafka).produce(List.of(new ProducerRecord<>(topic, 0, "bad", "bad")));
    AtomicInteger calls = new AtomicInteger();
    try (Admin admin = KafkaFixtures.admin(kafka);
        ConsumerRunner<String, String> runner =
            ConsumerRunner.builder()
                .bootstrapServers(kafka.bootstrapServers())
                .groupId(names.groupId())
                .topics(topic)
                .commitInterval(Duration.ofMillis(100))
                .stuckAfter(Duration.ofMillis(500))
                .onFailure(FailureAction.retryTopics(RetryTopics.delays(delay)))
                .handler(
                    record -> {
                      if (calls.incrementAndGet() == 1) {
                        throw new IllegalStateException("first call fails");
                      }
                    })
                .build()) {
      runner.start();
      await()
          .atMost(WAIT)
          .until(
              () ->
                  KafkaFixtures.endOffsets(admin, retryTopic(topic, delay), 1)
                          .values()
                          .iterator()
                          .next()
                      == 1L);
      // Housekeeping judges progress once a second: two judgements while the record waits.
      await()
          .during(Duration.ofMillis(2500))
          .atMost(Duration.ofSeconds(3))
          .untilAsserted(() -> assertThat(runner.health().stuckPartitions()).isEmpty());
      await().atMost(WAIT).until(() -> calls.get() == 2);
    }
  }

  static void createChain(KafkaCluster kafka, String topic, List<Duration> delays) {
    kafka.createTopic(topic, 1, 1);
    for (String retry : RetryTopicNames.retryTopics(topic, delays)) {
      kafka.createTopic(retry, 1, 1);
    }
    kafka.createTopic(RetryTopicNames.deadLetterTopic(topic), 1, 1);
  }

  private static String retryTopic(String topic, Duration delay) {
    return RetryTopicNames.retryTopic(topic, delay);
  }

  private static String header(ConsumerRecord<?, ?> record, String name) {
    var header = record.headers().lastHeader(name);
    return header == null ? null : new String(header.value(), StandardCharsets.UTF_8);
  }
}
