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
import java.util.HashSet;
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
 * A runner in a child JVM is killed with SIGKILL while failed records wait in the retry topics. A
 * new runner picks them up from the retry topics' committed offsets: every record is processed, no
 * retried record is processed before its due time, nothing is dead-lettered, and every topic of the
 * chain is committed to its end.
 */
@KafkaTest
class RetryTopicsCrashTest {
  private static final int PARTITIONS = 2;
  private static final int RECORDS = 400;
  private static final int FLAKY = RECORDS / 5;

  @Test
  void aRunnerKilledWhileRecordsWaitInRetryTopicsLosesNone(
      KafkaCluster kafka, TestNames names, @TempDir Path dir) throws Exception {
    String topic = names.topic();
    kafka.createTopic(topic, PARTITIONS, 1);
    List<String> retryTopics = RetryTopicNames.retryTopics(topic, RetryChainRunnerMain.DELAYS);
    for (String retry : retryTopics) {
      kafka.createTopic(retry, PARTITIONS, 1);
    }
    kafka.createTopic(RetryTopicNames.deadLetterTopic(topic), 1, 1);
    // Per partition, every fifth offset is flaky: keys spread over the partitions by murmur2.
    List<ProducerRecord<String, String>> records = new ArrayList<>();
    for (int p = 0; p < PARTITIONS; p++) {
      for (int i = 0; i < RECORDS / PARTITIONS; i++) {
        records.add(new ProducerRecord<>(topic, p, "k" + i, "v" + i));
      }
    }
    TestRecords.of(kafka).produce(records);
    Path log = dir.resolve("processed.log");
    Files.createFile(log);

    try (Admin admin = KafkaFixtures.admin(kafka)) {
      Process child =
          KafkaFixtures.startChildJvm(
              dir.resolve("child.out"),
              RetryChainRunnerMain.class,
              kafka.bootstrapServers(),
              topic,
              names.groupId(),
              log.toString());
      try {
        // Kill once every flaky record has moved to the first retry topic and not all are done.
        await()
            .atMost(WAIT)
            .pollInterval(Duration.ofMillis(50))
            .until(
                () ->
                    sum(KafkaFixtures.endOffsets(admin, retryTopics.get(0), PARTITIONS)) >= FLAKY
                        && sum(KafkaFixtures.committed(admin, names.groupId())) > 0);
      } finally {
        child.destroyForcibly(); // SIGKILL: no close, no final commit
        assertThat(child.waitFor(60, TimeUnit.SECONDS)).isTrue();
      }
      Set<Done> beforeCrash = processed(log);
      long flakyBefore = beforeCrash.stream().filter(d -> d.offset() % 5 == 0).count();
      assertThat(flakyBefore).as("the kill landed while retries waited").isLessThan(FLAKY);

      Map<TopicPartition, Long> end = new HashMap<>();
      end.putAll(KafkaFixtures.endOffsets(admin, topic, PARTITIONS));
      try (OutputStream out = new FileOutputStream(log.toFile(), true);
          ConsumerRunner<String, String> runner =
              RetryChainRunnerMain.runner(kafka.bootstrapServers(), topic, names.groupId(), out)
                  .build()) {
        runner.start();
        await()
            .atMost(WAIT)
            .untilAsserted(
                () -> {
                  assertThat(distinct(processed(log))).hasSize(RECORDS);
                  Map<TopicPartition, Long> all = new HashMap<>(end);
                  for (String retry : retryTopics) {
                    all.putAll(KafkaFixtures.endOffsets(admin, retry, PARTITIONS));
                  }
                  assertThat(KafkaFixtures.committed(admin, names.groupId())).isEqualTo(all);
                });
      }
      Set<Done> all = processed(log);
      assertThat(all).as("no retried record before its due time").noneMatch(Done::early);
      assertThat(KafkaFixtures.readDeadLetters(kafka, RetryTopicNames.deadLetterTopic(topic)))
          .isEmpty();
    }
  }

  private static Set<Done> processed(Path log) throws IOException {
    String text = Files.readString(log, StandardCharsets.US_ASCII);
    Set<Done> done = new HashSet<>();
    int start = 0;
    // Only complete lines: the process may die in the middle of one.
    for (int newline; (newline = text.indexOf('\n', start)) >= 0; start = newline + 1) {
      String[] fields = text.substring(start, newline).split(" ");
      done.add(
          new Done(Integer.parseInt(fields[0]), Long.parseLong(fields[1]), fields[2].equals("1")));
    }
    return done;
  }

  private static Set<String> distinct(Set<Done> done) {
    Set<String> records = new HashSet<>();
    for (Done d : done) {
      records.add(d.partition() + "@" + d.offset());
    }
    return records;
  }

  private static long sum(Map<TopicPartition, Long> offsets) {
    return offsets.values().stream().mapToLong(Long::longValue).sum();
  }

  private record Done(int partition, long offset, boolean early) {}
}
