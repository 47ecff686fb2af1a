package dev.kafkasdk.consumer;

import static dev.kafkasdk.consumer.KafkaFixtures.WAIT;
import static org.assertj.core.api.Assertions.assertThat;
import static org.awaitility.Awaitility.await;

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
import java.util.Set;
import java.util.concurrent.ConcurrentHashMap;
import java.util.concurrent.CopyOnWriteArrayList;
import java.util.concurrent.CountDownLatch;
import java.util.concurrent.TimeUnit;
import java.util.concurrent.atomic.AtomicBoolean;
import java.util.concurrent.atomic.AtomicInteger;
import org.apache.kafka.clients.admin.Admin;
import org.apache.kafka.clients.consumer.ConsumerRecord;
import org.apache.kafka.clients.producer.ProducerRecord;
import org.apache.kafka.common.TopicPartition;
import org.apache.kafka.common.header.Header;
import org.apache.kafka.common.serialization.Deserializer;
import org.apache.kafka.common.serialization.StringDeserializer;
import org.junit.jupiter.api.Test;

/**
 * Retries, dead letters, poison pills and the stop policy against a real broker: a failing record
 * never blocks the others, is retried a bounded number of times without endangering the group
 * membership, and is committed past only once it is dead-lettered and the dead letter is
 * acknowledged.
 */
@KafkaTest
class RetryAndDeadLetterTest {
  private static final int PARTITIONS = 3;
  private static final int GOOD = 240;

  /**
   * Key {@code bad} always fails. The member's {@code max.poll.interval.ms} (3 s) is shorter than
   * the retries of one bad record take, so a runner that waited for retries in the poll thread
   * would be evicted.
   */
  @Test
  void aRecordThatAlwaysFailsIsRetriedThenDeadLetteredWhileOtherKeysGoOn(
      KafkaCluster kafka, TestNames names) throws Exception {
    String topic = names.topic();
    String deadLetters = topic + ".DLT";
    kafka.createTopic(topic, PARTITIONS, 1);
    kafka.createTopic(deadLetters, 1, 1);
    List<ProducerRecord<String, String>> records = new ArrayList<>();
    int[] seq = new int[6];
    for (int i = 0; i < GOOD; i++) {
      int key = i % 6;
      records.add(new ProducerRecord<>(topic, "k" + key, "k" + key + ":" + seq[key]++));
      if (i % 80 == 40) {
        records.add(new ProducerRecord<>(topic, "bad", "bad-" + i));
      }
    }
    TestRecords.of(kafka).produce(records);

    Map<String, List<Integer>> good = new ConcurrentHashMap<>();
    AtomicInteger goodCount = new AtomicInteger();
    Map<String, AtomicInteger> badAttempts = new ConcurrentHashMap<>();
    CountDownLatch allGood = new CountDownLatch(GOOD);
    AtomicBoolean othersWentOn = new AtomicBoolean();
    SimpleMeterRegistry registry = new SimpleMeterRegistry();
    try (Admin admin = KafkaFixtures.admin(kafka);
        ConsumerRunner<String, String> runner =
            ConsumerRunner.builder()
                .bootstrapServers(kafka.bootstrapServers())
                .groupId(names.groupId())
                .topics(topic)
                .property("max.poll.interval.ms", 3000)
                .strategy(Strategy.multiWorker(4, Ordering.KEY))
                .meterRegistry(registry)
                .retry(
                    RetryPolicy.builder()
                        .maxAttempts(3)
                        .backoff(IntervalFunction.of(Duration.ofMillis(1600)))
                        .build())
                .onFailure(FailureAction.deadLetter())
                .handler(
                    record -> {
                      if (record.key().equals("bad")) {
                        int attempt =
                            badAttempts
                                .computeIfAbsent(record.value(), v -> new AtomicInteger())
                                .incrementAndGet();
                        if (attempt == 3 && record.value().equals("bad-40")) {
                          // The first bad record has waited through two retries; every other key
                          // must have been able to finish meanwhile.
                          othersWentOn.set(allGood.await(60, TimeUnit.SECONDS));
                        }
                        throw new IllegalStateException("cannot process " + record.value());
                      }
                      String[] parts = record.value().split(":");
                      good.computeIfAbsent(parts[0], k -> new CopyOnWriteArrayList<>())
                          .add(Integer.parseInt(parts[1]));
                      goodCount.incrementAndGet();
                      allGood.countDown();
                    })
                .build()) {
      runner.start();
      Map<TopicPartition, Long> end = KafkaFixtures.endOffsets(admin, topic, PARTITIONS);
      await()
          .atMost(WAIT)
          .untilAsserted(
              () -> assertThat(KafkaFixtures.committed(admin, names.groupId())).isEqualTo(end));

      assertThat(othersWentOn).as("other keys processed while the bad key waited").isTrue();
      assertThat(goodCount).hasValue(GOOD);
      good.values().forEach(seqs -> assertThat(seqs).as("per-key order").isSorted());
      assertThat(badAttempts).hasSize(3);
      badAttempts.values().forEach(n -> assertThat(n).as("bounded retries").hasValue(3));

      List<ConsumerRecord<byte[], byte[]>> dlt = KafkaFixtures.readDeadLetters(kafka, deadLetters);
      assertThat(dlt).hasSize(3);
      for (ConsumerRecord<byte[], byte[]> letter : dlt) {
        String value = new String(letter.value(), StandardCharsets.UTF_8);
        assertThat(new String(letter.key(), StandardCharsets.UTF_8)).isEqualTo("bad");
        Map<String, String> headers = headers(letter.headers());
        assertThat(headers)
            .containsEntry(DeadLetterHeaders.ORIGINAL_TOPIC, topic)
            .containsEntry(DeadLetterHeaders.ATTEMPTS, "3")
            .containsEntry(DeadLetterHeaders.EXCEPTION_CLASS, IllegalStateException.class.getName())
            .containsEntry(DeadLetterHeaders.EXCEPTION_MESSAGE, "cannot process " + value)
            .containsEntry(DeadLetterHeaders.FAILURE_KIND, "handler")
            .containsKeys(
                DeadLetterHeaders.ORIGINAL_PARTITION,
                DeadLetterHeaders.ORIGINAL_OFFSET,
                DeadLetterHeaders.ORIGINAL_TIMESTAMP);
        // The header names the original record: read it back and compare.
        int partition = Integer.parseInt(headers.get(DeadLetterHeaders.ORIGINAL_PARTITION));
        long offset = Long.parseLong(headers.get(DeadLetterHeaders.ORIGINAL_OFFSET));
        ConsumerRecord<String, String> original = find(kafka, topic, partition, offset);
        assertThat(original.value()).isEqualTo(value);
        assertThat(headers.get(DeadLetterHeaders.ORIGINAL_TIMESTAMP))
            .isEqualTo(Long.toString(original.timestamp()));
      }
      assertThat(count(registry, ConsumerMeters.DEAD_LETTERS, "success")).isEqualTo(3);
      assertThat(registry.get(ConsumerMeters.RETRIES).counter().count()).isEqualTo(6);
      assertThat(count(registry, ConsumerMeters.REBALANCE_PARTITIONS, "revoked"))
          .as("never evicted")
          .isZero();
      assertThat(count(registry, ConsumerMeters.REBALANCE_PARTITIONS, "lost")).isZero();
      assertThat(runner.state()).isEqualTo(ConsumerRunner.State.RUNNING);
    }
  }

  /**
   * Two values and one key that the deserializers reject sit between valid records. They are
   * dead-lettered as their original bytes, without retries, and everything else is processed.
   * ({@link DeadLetterAckTest} shows that the commit waits for the dead letter's acknowledgement.)
   */
  @Test
  void undeserializableRecordsAreDeadLetteredAsRawBytesAndTheOthersProcessed(
      KafkaCluster kafka, TestNames names) throws Exception {
    String topic = names.topic();
    String deadLetters = names.topic("poison");
    kafka.createTopic(topic, 1, 1);
    kafka.createTopic(deadLetters, 1, 1);
    List<ProducerRecord<String, String>> records = new ArrayList<>();
    for (int i = 0; i < 20; i++) {
      String key = i == 15 ? "badkey" : "k" + i;
      String value = i == 5 || i == 12 ? "poison-" + i : "v" + i;
      records.add(new ProducerRecord<>(topic, 0, key, value));
    }
    TestRecords.of(kafka).produce(records);
    Set<String> processed = ConcurrentHashMap.newKeySet();
    TopicPartition partition = new TopicPartition(topic, 0);
    try (Admin admin = KafkaFixtures.admin(kafka);
        ConsumerRunner<String, String> runner =
            ConsumerRunner.builder(rejecting("badkey"), rejecting("poison-"))
                .bootstrapServers(kafka.bootstrapServers())
                .groupId(names.groupId())
                .topics(topic)
                .strategy(Strategy.multiWorker(2, Ordering.PARTITION))
                .retry(RetryPolicy.builder().maxAttempts(5).build())
                .onFailure(FailureAction.deadLetter(deadLetters))
                .handler(record -> processed.add(record.value()))
                .build()) {
      runner.start();
      await()
          .atMost(WAIT)
          .until(
              () ->
                  KafkaFixtures.committed(admin, names.groupId()).getOrDefault(partition, 0L)
                      == 20L);
      assertThat(runner.state()).isEqualTo(ConsumerRunner.State.RUNNING);
    }
    Set<String> expected = ConcurrentHashMap.newKeySet();
    for (int i = 0; i < 20; i++) {
      if (i != 5 && i != 12 && i != 15) {
        expected.add("v" + i);
      }
    }
    assertThat(processed).isEqualTo(expected);

    List<ConsumerRecord<byte[], byte[]>> dlt = KafkaFixtures.readDeadLetters(kafka, deadLetters);
    assertThat(dlt).hasSize(3);
    Map<Long, ConsumerRecord<byte[], byte[]>> byOffset = new HashMap<>();
    for (ConsumerRecord<byte[], byte[]> letter : dlt) {
      Map<String, String> headers = headers(letter.headers());
      assertThat(headers).containsEntry(DeadLetterHeaders.ATTEMPTS, "0");
      // The deserializer's own exception, not the runner's wrapper around it.
      assertThat(headers.get(DeadLetterHeaders.EXCEPTION_CLASS))
          .isEqualTo(IllegalArgumentException.class.getName());
      assertThat(headers.get(DeadLetterHeaders.EXCEPTION_MESSAGE)).startsWith("unreadable: ");
      byOffset.put(Long.parseLong(headers.get(DeadLetterHeaders.ORIGINAL_OFFSET)), letter);
    }
    assertThat(byOffset).containsOnlyKeys(5L, 12L, 15L);
    assertThat(utf8(byOffset.get(5L).value())).isEqualTo("poison-5");
    assertThat(utf8(byOffset.get(5L).key())).isEqualTo("k5");
    assertThat(utf8(byOffset.get(12L).value())).isEqualTo("poison-12");
    assertThat(utf8(byOffset.get(15L).key())).isEqualTo("badkey");
    assertThat(utf8(byOffset.get(15L).value())).isEqualTo("v15");
    assertThat(headers(byOffset.get(5L).headers()))
        .containsEntry(DeadLetterHeaders.FAILURE_KIND, "value-deserialization");
    assertThat(headers(byOffset.get(15L).headers()))
        .containsEntry(DeadLetterHeaders.FAILURE_KIND, "key-deserialization")
        .containsEntry(DeadLetterHeaders.EXCEPTION_MESSAGE, "unreadable: badkey");
  }

  /**
   * With the default action (stop), a record that fails every retry stops the runner; the commit
   * stays exactly before it and a restarted runner starts with it.
   */
  @Test
  void theStopPolicyCommitsNothingPastTheFailedRecordAndARestartRedeliversIt(
      KafkaCluster kafka, TestNames names) throws Exception {
    kafka.createTopic(names.topic(), 1, 1);
    KafkaFixtures.produceToPartition(kafka, names.topic(), 0, 30);
    TopicPartition partition = new TopicPartition(names.topic(), 0);
    AtomicInteger attempts = new AtomicInteger();
    try (Admin admin = KafkaFixtures.admin(kafka)) {
      try (ConsumerRunner<String, String> runner =
          ConsumerRunner.builder()
              .bootstrapServers(kafka.bootstrapServers())
              .groupId(names.groupId())
              .topics(names.topic())
              .strategy(Strategy.multiWorker(4, Ordering.PARTITION))
              .retry(
                  RetryPolicy.builder()
                      .maxAttempts(3)
                      .backoff(IntervalFunction.of(Duration.ofMillis(100)))
                      .build())
              .handler(
                  record -> {
                    if (record.offset() == 7) {
                      attempts.incrementAndGet();
                      throw new IllegalStateException("always fails");
                    }
                  })
              .build()) {
        runner.start();
        assertThat(runner.awaitTermination(WAIT)).isTrue();
        assertThat(runner.state()).isEqualTo(ConsumerRunner.State.FAILED);
        assertThat(runner.failure())
            .get()
            .isInstanceOfSatisfying(
                HandlerFailedException.class, e -> assertThat(e.offset()).isEqualTo(7));
      }
      assertThat(attempts).hasValue(3);
      assertThat(KafkaFixtures.committed(admin, names.groupId())).containsEntry(partition, 7L);

      List<Long> redelivered = new CopyOnWriteArrayList<>();
      try (ConsumerRunner<String, String> restarted =
          ConsumerRunner.builder()
              .bootstrapServers(kafka.bootstrapServers())
              .groupId(names.groupId())
              .topics(names.topic())
              .handler(record -> redelivered.add(record.offset()))
              .build()) {
        restarted.start();
        await().atMost(WAIT).until(() -> redelivered.size() >= 23);
      }
      assertThat(redelivered.get(0)).isEqualTo(7L);
      assertThat(redelivered).hasSize(23);
    }
  }

  static Deserializer<String> rejecting(String prefix) {
    StringDeserializer strings = new StringDeserializer();
    return (topic, data) -> {
      String text = strings.deserialize(topic, data);
      if (text != null && text.startsWith(prefix)) {
        throw new IllegalArgumentException("unreadable: " + text);
      }
      return text;
    };
  }

  private static ConsumerRecord<String, String> find(
      KafkaCluster kafka, String topic, int partition, long offset) {
    return TestRecords.of(kafka).readCommitted(topic, WAIT).stream()
        .filter(r -> r.partition() == partition && r.offset() == offset)
        .findFirst()
        .orElseThrow();
  }

  static Map<String, String> headers(Iterable<Header> headers) {
    Map<String, String> map = new HashMap<>();
    for (Header header : headers) {
      map.put(header.key(), utf8(header.value()));
    }
    return map;
  }

  static String utf8(byte[] bytes) {
    return new String(bytes, StandardCharsets.UTF_8);
  }

  private static double count(SimpleMeterRegistry registry, String name, String tagValue) {
    return registry.find(name).counters().stream()
        .filter(c -> c.getId().getTags().stream().anyMatch(t -> t.getValue().equals(tagValue)))
        .mapToDouble(c -> c.count())
        .sum();
  }
}
