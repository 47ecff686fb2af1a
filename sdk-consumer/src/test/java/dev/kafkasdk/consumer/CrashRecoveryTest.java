package dev.kafkasdk.consumer;

import static dev.kafkasdk.consumer.KafkaFixtures.WAIT;
import static org.assertj.core.api.Assertions.assertThat;
import static org.awaitility.Awaitility.await;

import dev.kafkasdk.test.KafkaCluster;
import dev.kafkasdk.test.KafkaTest;
import dev.kafkasdk.test.TestNames;
import java.io.IOException;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.HashSet;
import java.util.Map;
import java.util.Set;
import java.util.concurrent.ConcurrentHashMap;
import java.util.concurrent.TimeUnit;
import org.apache.kafka.clients.admin.Admin;
import org.apache.kafka.common.TopicPartition;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

/**
 * A runner in a child JVM is killed with SIGKILL (no close, no final commit) while records are in
 * flight. Everything it committed had been processed, and a new runner loses nothing and starts
 * each partition exactly at the last committed offset.
 */
@KafkaTest
class CrashRecoveryTest {
  private static final int PARTITIONS = 3;
  private static final int RECORDS = 3000;

  @Test
  void aKilledRunnerLosesNothingAndTheNextRedeliversOnlyFromTheLastCommit(
      KafkaCluster kafka, TestNames names, @TempDir Path dir) throws Exception {
    kafka.createTopic(names.topic(), PARTITIONS, 1);
    KafkaFixtures.produceKeyed(kafka, names.topic(), RECORDS, 50);
    Path log = dir.resolve("processed.log");
    Files.createFile(log);

    try (Admin admin = KafkaFixtures.admin(kafka)) {
      Process child =
          KafkaFixtures.startChildJvm(
              dir.resolve("child.out"),
              CrashableRunnerMain.class,
              kafka.bootstrapServers(),
              names.topic(),
              names.groupId(),
              log.toString());
      try {
        await()
            .atMost(WAIT)
            .until(
                () ->
                    processed(log).size() >= 1000
                        && sum(KafkaFixtures.committed(admin, names.groupId())) >= 500);
      } finally {
        child.destroyForcibly(); // SIGKILL: no close, no final commit
        assertThat(child.waitFor(60, TimeUnit.SECONDS)).isTrue();
      }

      Map<TopicPartition, Long> atCrash = KafkaFixtures.committed(admin, names.groupId());
      Set<Record> beforeCrash = processed(log);
      Map<TopicPartition, Long> end = KafkaFixtures.endOffsets(admin, names.topic(), PARTITIONS);
      assertThat(sum(atCrash)).as("the kill landed mid-stream").isLessThan(RECORDS);
      // Commit after processing: everything below a committed offset had been processed.
      atCrash.forEach(
          (partition, committed) -> {
            for (long offset = 0; offset < committed; offset++) {
              assertThat(beforeCrash).contains(new Record(partition.partition(), offset));
            }
          });

      Set<Record> afterCrash = ConcurrentHashMap.newKeySet();
      try (ConsumerRunner<String, String> runner =
          ConsumerRunner.builder()
              .bootstrapServers(kafka.bootstrapServers())
              .groupId(names.groupId())
              .topics(names.topic())
              .strategy(Strategy.multiWorker(8, Ordering.UNORDERED))
              .handler(record -> afterCrash.add(new Record(record.partition(), record.offset())))
              .build()) {
        runner.start();
        await()
            .atMost(WAIT)
            .untilAsserted(
                () -> assertThat(KafkaFixtures.committed(admin, names.groupId())).isEqualTo(end));
      }

      for (int p = 0; p < PARTITIONS; p++) {
        TopicPartition partition = new TopicPartition(names.topic(), p);
        long committed = atCrash.getOrDefault(partition, 0L);
        Set<Long> redelivered = offsets(afterCrash, p);
        // Exactly the records from the last commit to the end, each once: nothing earlier.
        Set<Long> expected = new HashSet<>();
        for (long offset = committed; offset < end.get(partition); offset++) {
          expected.add(offset);
        }
        assertThat(redelivered).as("redelivered on %s", partition).isEqualTo(expected);
      }
      Set<Record> all = new HashSet<>(beforeCrash);
      all.addAll(afterCrash);
      assertThat(all).as("nothing lost").hasSize(RECORDS);
    }
  }

  private static Set<Record> processed(Path log) throws IOException {
    String text = Files.readString(log, StandardCharsets.US_ASCII);
    Set<Record> records = new HashSet<>();
    int start = 0;
    // Only complete lines: the process may die in the middle of one.
    for (int newline; (newline = text.indexOf('\n', start)) >= 0; start = newline + 1) {
      String[] fields = text.substring(start, newline).split(" ");
      records.add(new Record(Integer.parseInt(fields[0]), Long.parseLong(fields[1])));
    }
    return records;
  }

  private static Set<Long> offsets(Set<Record> records, int partition) {
    Set<Long> offsets = new HashSet<>();
    for (Record record : records) {
      if (record.partition() == partition) {
        offsets.add(record.offset());
      }
    }
    return offsets;
  }

  private static long sum(Map<TopicPartition, Long> offsets) {
    return offsets.values().stream().mapToLong(Long::longValue).sum();
  }

  private record Record(int partition, long offset) {}
}
