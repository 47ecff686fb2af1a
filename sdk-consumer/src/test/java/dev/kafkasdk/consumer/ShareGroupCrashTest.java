package dev.kafkasdk.consumer;

import static dev.kafkasdk.consumer.KafkaFixtures.WAIT;
import static org.assertj.core.api.Assertions.assertThat;
import static org.awaitility.Awaitility.await;

import dev.kafkasdk.test.KafkaCluster;
import dev.kafkasdk.test.KafkaTest;
import dev.kafkasdk.test.TestNames;
import dev.kafkasdk.test.TestRecords;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.time.Duration;
import java.util.ArrayList;
import java.util.HashSet;
import java.util.List;
import java.util.Map;
import java.util.Set;
import java.util.concurrent.ConcurrentHashMap;
import org.apache.kafka.clients.producer.ProducerRecord;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

/**
 * A share-group runner killed with SIGKILL while it holds records: after their acquisition lock
 * runs out, Kafka delivers them to another runner of the group (with a higher delivery count), and
 * no record is lost.
 */
@KafkaTest
class ShareGroupCrashTest {
  private static final int RECORDS = 12;

  @Test
  void recordsInFlightInAKilledRunnerGoToAnotherAfterTheLockTimeout(
      KafkaCluster kafka, TestNames names, @TempDir Path dir) throws Exception {
    String topic = names.topic();
    String group = names.groupId();
    kafka.createTopic(topic, 1, 1);
    ShareFixtures.configureGroup(kafka, group, Duration.ofSeconds(2));
    List<ProducerRecord<String, String>> records = new ArrayList<>();
    Set<String> produced = new HashSet<>();
    for (int i = 0; i < RECORDS; i++) {
      records.add(new ProducerRecord<>(topic, "k", "v" + i));
      produced.add("v" + i);
    }
    TestRecords.of(kafka).produce(records);
    Path log = dir.resolve("started.log");
    Files.createFile(log);
    Process child =
        KafkaFixtures.startChildJvm(
            log,
            CrashableShareRunnerMain.class,
            kafka.bootstrapServers(),
            topic,
            group,
            log.toString());
    Set<String> startedInChild;
    try {
      await().atMost(WAIT).until(() -> started(log).size() >= 4);
    } finally {
      child.destroyForcibly(); // SIGKILL: no release, no acknowledgement
      child.waitFor();
    }
    startedInChild = started(log);

    Map<String, Integer> deliveryCounts = new ConcurrentHashMap<>();
    try (ConsumerRunner<String, String> survivor =
        ShareFixtures.runner(kafka, group, topic, Strategy.shareGroup(1, 4))
            .handler(
                record ->
                    deliveryCounts.put(record.value(), (int) record.deliveryCount().orElseThrow()))
            .build()) {
      survivor.start();
      await().atMost(WAIT).until(() -> deliveryCounts.keySet().equals(produced));
      survivor.close(Duration.ofSeconds(10));
      assertThat(survivor.failure()).isEmpty();
    }
    // The killed runner's records came back after their lock ran out: delivered once more.
    for (String value : startedInChild) {
      assertThat(deliveryCounts.get(value)).as(value).isGreaterThanOrEqualTo(2);
    }
  }

  private static Set<String> started(Path log) throws Exception {
    Set<String> values = new HashSet<>();
    for (String line : Files.readString(log, StandardCharsets.US_ASCII).split("\n")) {
      if (line.startsWith("started ")) {
        values.add(line.substring("started ".length()));
      }
    }
    return values;
  }
}
