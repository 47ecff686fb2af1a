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
import java.util.HashMap;
import java.util.List;
import java.util.Map;
import java.util.Set;
import java.util.concurrent.ConcurrentHashMap;
import java.util.stream.Collectors;
import org.apache.kafka.clients.admin.Admin;
import org.apache.kafka.clients.consumer.ConsumerRecord;
import org.apache.kafka.clients.producer.KafkaProducer;
import org.apache.kafka.clients.producer.ProducerConfig;
import org.apache.kafka.clients.producer.ProducerRecord;
import org.apache.kafka.common.IsolationLevel;
import org.apache.kafka.common.TopicPartition;
import org.apache.kafka.common.serialization.StringDeserializer;
import org.apache.kafka.common.serialization.StringSerializer;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.params.ParameterizedTest;
import org.junit.jupiter.params.provider.ValueSource;

/**
 * Offsets that are never polled (transaction markers, aborted records, compacted records) must not
 * hold the commit back: after everything is processed the committed offset is the end of the log.
 * The log cleaner runs every half second on this cluster so compaction happens within the test.
 */
@KafkaTest(brokerConfig = {"log.cleaner.backoff.ms=500"})
class OffsetGapsTest {

  @ParameterizedTest
  @ValueSource(strings = {"classic", "consumer"})
  void transactionMarkersAndAbortedRecordsDoNotStallTheCommit(
      String protocol, KafkaCluster kafka, TestNames names) throws Exception {
    kafka.createTopic(names.topic(), 2, 1);
    Map<String, Object> config = kafka.clientConfig();
    config.put(ProducerConfig.TRANSACTIONAL_ID_CONFIG, names.transactionalId());
    List<String> expected = new ArrayList<>();
    try (KafkaProducer<String, String> producer =
        new KafkaProducer<>(config, new StringSerializer(), new StringSerializer())) {
      producer.initTransactions();
      for (int tx = 0; tx < 6; tx++) {
        producer.beginTransaction();
        for (int i = 0; i < 5; i++) {
          String value = "tx" + tx + "-" + i;
          producer.send(new ProducerRecord<>(names.topic(), i % 2, "k" + i, value));
          if (tx % 3 != 1) {
            expected.add(value);
          }
        }
        if (tx % 3 == 1) {
          producer.abortTransaction();
        } else {
          producer.commitTransaction();
        }
      }
    }
    Set<String> processed = ConcurrentHashMap.newKeySet();
    try (Admin admin = KafkaFixtures.admin(kafka);
        ConsumerRunner<String, String> runner =
            ConsumerRunner.builder()
                .bootstrapServers(kafka.bootstrapServers())
                .groupId(names.groupId())
                .topics(names.topic())
                .property("group.protocol", protocol)
                .strategy(Strategy.multiWorker(4, Ordering.UNORDERED))
                .commitInterval(Duration.ofMillis(200))
                .handler(record -> processed.add(record.value()))
                .build()) {
      runner.start();
      Map<TopicPartition, Long> end = KafkaFixtures.endOffsets(admin, names.topic(), 2);
      // The log ends with a commit marker, which no poll returns: committing "last record + 1"
      // would leave every partition one short of the end forever.
      await()
          .atMost(WAIT)
          .untilAsserted(
              () -> assertThat(KafkaFixtures.committed(admin, names.groupId())).isEqualTo(end));
      assertThat(processed).containsExactlyInAnyOrderElementsOf(expected);
    }
  }

  @Test
  void compactedTopicsDoNotStallTheCommit(KafkaCluster kafka, TestNames names) throws Exception {
    kafka.createTopic(
        names.topic(),
        1,
        1,
        Map.of(
            "cleanup.policy", "compact",
            "segment.ms", "100",
            "min.cleanable.dirty.ratio", "0.01",
            "delete.retention.ms", "100"));
    TestRecords records = TestRecords.of(kafka);
    for (int round = 0; round < 5; round++) {
      List<ProducerRecord<String, String>> batch = new ArrayList<>();
      for (int key = 0; key < 10; key++) {
        batch.add(new ProducerRecord<>(names.topic(), "k" + key, "k" + key + "-v" + round));
      }
      records.produce(batch);
    }
    // Keep appending (which rolls segments) until the cleaner has removed overwritten records.
    await()
        .atMost(WAIT)
        .pollInterval(Duration.ofMillis(500))
        .until(
            () -> {
              records.produce(names.topic(), "tick", "tick");
              List<ConsumerRecord<String, String>> log = readAll(kafka, names.topic());
              long last = log.get(log.size() - 1).offset();
              return log.size() < last + 1
                  && log.stream().noneMatch(r -> r.value().equals("k0-v0"));
            });
    List<ConsumerRecord<String, String>> before = readAll(kafka, names.topic());
    Map<String, String> latest = new HashMap<>();
    for (ConsumerRecord<String, String> record : before) {
      latest.put(record.key(), record.value());
    }
    Set<String> processed = ConcurrentHashMap.newKeySet();
    try (Admin admin = KafkaFixtures.admin(kafka);
        ConsumerRunner<String, String> runner =
            ConsumerRunner.builder()
                .bootstrapServers(kafka.bootstrapServers())
                .groupId(names.groupId())
                .topics(names.topic())
                .strategy(Strategy.multiWorker(4, Ordering.KEY))
                .commitInterval(Duration.ofMillis(200))
                .handler(record -> processed.add(record.value()))
                .build()) {
      runner.start();
      Map<TopicPartition, Long> end = KafkaFixtures.endOffsets(admin, names.topic(), 1);
      await()
          .atMost(WAIT)
          .untilAsserted(
              () -> assertThat(KafkaFixtures.committed(admin, names.groupId())).isEqualTo(end));
      // Compaction may go on while we read, but only ever removes records.
      Set<String> after =
          readAll(kafka, names.topic()).stream()
              .map(ConsumerRecord::value)
              .collect(Collectors.toSet());
      assertThat(processed).containsAll(after);
      assertThat(processed).containsAll(latest.values());
      assertThat(before.stream().map(ConsumerRecord::value).collect(Collectors.toSet()))
          .containsAll(processed);
    }
  }

  private static List<ConsumerRecord<String, String>> readAll(KafkaCluster kafka, String topic) {
    return TestRecords.of(kafka)
        .readAll(
            topic,
            IsolationLevel.READ_UNCOMMITTED,
            new StringDeserializer(),
            new StringDeserializer(),
            Duration.ofSeconds(30));
  }
}
