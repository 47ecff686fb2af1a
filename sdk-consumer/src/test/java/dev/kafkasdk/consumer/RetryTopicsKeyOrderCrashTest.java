package dev.kafkasdk.consumer;

import static dev.kafkasdk.consumer.KafkaFixtures.WAIT;
import static org.assertj.core.api.Assertions.assertThat;
import static org.awaitility.Awaitility.await;

import dev.kafkasdk.core.RetryTopicNames;
import dev.kafkasdk.test.KafkaCluster;
import dev.kafkasdk.test.KafkaTest;
import dev.kafkasdk.test.TestNames;
import dev.kafkasdk.test.TestRecords;
import java.io.FileOutputStream;
import java.io.IOException;
import java.io.OutputStream;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.time.Duration;
import java.util.ArrayList;
import java.util.HashMap;
import java.util.LinkedHashMap;
import java.util.LinkedHashSet;
import java.util.List;
import java.util.Map;
import java.util.Set;
import java.util.concurrent.TimeUnit;
import org.apache.kafka.clients.admin.Admin;
import org.apache.kafka.clients.producer.ProducerRecord;
import org.apache.kafka.common.TopicPartition;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

/**
 * A runner whose retry chain keeps key order, in a child JVM, is killed with SIGKILL while records
 * (failed ones and their followers) wait in the retry topics. A new runner rebuilds the key queues
 * from the retry topics: every record is processed, nothing is dead-lettered, every topic is
 * committed to its end, and each key's records were first processed in offset order, across the
 * crash (a record may be processed again after the crash: at least once).
 */
@KafkaTest
class RetryTopicsKeyOrderCrashTest {
  private static final int PARTITIONS = 2;
  private static final int KEYS_PER_PARTITION = 8;
  private static final int PER_KEY = 10;
  private static final int RECORDS = PARTITIONS * KEYS_PER_PARTITION * PER_KEY;

  @Test
  void aKilledRunnersSuccessorKeepsEachKeysOrder(
      KafkaCluster kafka, TestNames names, @TempDir Path dir) throws Exception {
    String topic = names.topic();
    kafka.createTopic(topic, PARTITIONS, 1);
    List<String> retryTopics = RetryTopicNames.retryTopics(topic, KeyOrderChainRunnerMain.DELAYS);
    for (String retry : retryTopics) {
      kafka.createTopic(retry, PARTITIONS, 1);
    }
    kafka.createTopic(RetryTopicNames.deadLetterTopic(topic), PARTITIONS, 1);
    List<ProducerRecord<String, String>> records = new ArrayList<>();
    for (int i = 0; i < PER_KEY; i++) {
      for (int p = 0; p < PARTITIONS; p++) {
        for (int k = 0; k < KEYS_PER_PARTITION; k++) {
          String key = "p" + p + "k" + k;
          records.add(new ProducerRecord<>(topic, p, key, key + "-" + i));
        }
      }
    }
    TestRecords.of(kafka).produce(records);
    Path log = dir.resolve("processed.log");
    Files.createFile(log);

    try (Admin admin = KafkaFixtures.admin(kafka)) {
      Process child =
          KafkaFixtures.startChildJvm(
              dir.resolve("child.out"),
              KeyOrderChainRunnerMain.class,
              kafka.bootstrapServers(),
              topic,
              names.groupId(),
              log.toString());
      try {
        // Kill once records wait in the second retry topic and some offsets are committed.
        await()
            .atMost(WAIT)
            .pollInterval(Duration.ofMillis(50))
            .until(
                () ->
                    sum(KafkaFixtures.endOffsets(admin, retryTopics.get(1), PARTITIONS)) >= 8
                        && sum(KafkaFixtures.committed(admin, names.groupId())) > 0);
      } finally {
        child.destroyForcibly(); // SIGKILL: no close, no final commit
        assertThat(child.waitFor(60, TimeUnit.SECONDS)).isTrue();
      }
      assertThat(firstSeen(log).values().stream().mapToInt(List::size).sum())
          .as("the kill landed while records waited")
          .isLessThan(RECORDS);

      try (OutputStream out = new FileOutputStream(log.toFile(), true);
          ConsumerRunner<String, String> runner =
              KeyOrderChainRunnerMain.runner(kafka.bootstrapServers(), topic, names.groupId(), out)
                  .build()) {
        runner.start();
        await()
            .atMost(WAIT)
            .untilAsserted(
                () -> {
                  assertThat(firstSeen(log).values().stream().mapToInt(List::size).sum())
                      .isEqualTo(RECORDS);
                  Map<TopicPartition, Long> all = new HashMap<>();
                  all.putAll(KafkaFixtures.endOffsets(admin, topic, PARTITIONS));
                  for (String retry : retryTopics) {
                    all.putAll(KafkaFixtures.endOffsets(admin, retry, PARTITIONS));
                  }
                  assertThat(KafkaFixtures.committed(admin, names.groupId())).isEqualTo(all);
                });
      }
      for (Map.Entry<String, List<Long>> key : firstSeen(log).entrySet()) {
        assertThat(key.getValue()).as("first calls of key %s", key.getKey()).isSorted();
      }
      assertThat(KafkaFixtures.readDeadLetters(kafka, RetryTopicNames.deadLetterTopic(topic)))
          .isEmpty();
    }
  }

  /** Per key, the main offsets in the order of their first successful call. */
  private static Map<String, List<Long>> firstSeen(Path log) throws IOException {
    String text = Files.readString(log, StandardCharsets.US_ASCII);
    Map<String, Set<Long>> seen = new LinkedHashMap<>();
    int start = 0;
    // Only complete lines: the process may die in the middle of one.
    for (int newline; (newline = text.indexOf('\n', start)) >= 0; start = newline + 1) {
      String[] fields = text.substring(start, newline).split(" ");
      seen.computeIfAbsent(fields[0], k -> new LinkedHashSet<>()).add(Long.parseLong(fields[2]));
    }
    Map<String, List<Long>> ordered = new LinkedHashMap<>();
    seen.forEach((key, offsets) -> ordered.put(key, new ArrayList<>(offsets)));
    return ordered;
  }

  private static long sum(Map<TopicPartition, Long> offsets) {
    return offsets.values().stream().mapToLong(Long::longValue).sum();
  }
}
