package dev.kafkasdk.compat;

import static org.assertj.core.api.Assertions.assertThat;
import static org.awaitility.Awaitility.await;

import dev.kafkasdk.consumer.ConsumerRunner;
import dev.kafkasdk.consumer.RetryPolicy;
import dev.kafkasdk.consumer.Strategy;
import dev.kafkasdk.producer.ErrorCategory;
import dev.kafkasdk.producer.ReliableProducer;
import dev.kafkasdk.test.Backend;
import dev.kafkasdk.test.ConsumerGroupOffsets;
import dev.kafkasdk.test.KafkaCluster;
import dev.kafkasdk.test.TestRecords;
import dev.kafkasdk.topics.TopicAdmin;
import dev.kafkasdk.topics.TopicReport;
import dev.kafkasdk.topics.TopicSpec;
import java.io.InputStream;
import java.nio.file.Files;
import java.nio.file.Path;
import java.time.Duration;
import java.util.ArrayList;
import java.util.HashSet;
import java.util.List;
import java.util.Properties;
import java.util.Set;
import java.util.concurrent.CompletableFuture;
import java.util.concurrent.ConcurrentHashMap;
import java.util.regex.Matcher;
import java.util.regex.Pattern;
import org.apache.kafka.clients.consumer.ConsumerRecord;
import org.apache.kafka.clients.producer.KafkaProducer;
import org.apache.kafka.clients.producer.ProducerRecord;
import org.apache.kafka.clients.producer.RecordMetadata;
import org.apache.kafka.common.errors.UnsupportedVersionException;
import org.apache.kafka.common.serialization.StringSerializer;
import org.junit.jupiter.api.AfterAll;
import org.junit.jupiter.api.BeforeAll;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.TestInstance;
import org.junit.jupiter.api.io.TempDir;

/**
 * The SDK's client (kafka-clients of the SDK's Kafka version) against the oldest broker that
 * docs/compatibility.md claims, a ZooKeeper-mode Kafka 2.5 broker in child JVMs ({@link
 * OldBroker}): an idempotent producer's records all arrive once, a runner commits after processing
 * up to the end, and an exactly-once copier whose transactions partly abort (KIP-447 fencing with
 * the consumer's group metadata, which needs a 2.5 broker) writes every record exactly once.
 */
@TestInstance(TestInstance.Lifecycle.PER_CLASS)
class OldestBrokerTest {
  private static final Duration WAIT = Duration.ofSeconds(60);
  private static final int PARTITIONS = 3;
  private static final int RECORDS = 300;

  private OldBroker broker;
  private KafkaCluster kafka;

  @BeforeAll
  void startBroker(@TempDir Path dir) throws Exception {
    broker = OldBroker.start(dir);
    System.setProperty(KafkaCluster.BOOTSTRAP_PROPERTY, broker.bootstrapServers());
    kafka = KafkaCluster.builder().backend(Backend.EXTERNAL).start();
  }

  @AfterAll
  void stopBroker() throws Exception {
    System.clearProperty(KafkaCluster.BOOTSTRAP_PROPERTY);
    if (kafka != null) {
      kafka.close();
    }
    if (broker != null) {
      broker.close();
    }
  }

  @Test
  void theBrokerIsTheOldReleaseAndTheClientTheSdksOwn() throws Exception {
    String classPath = Files.readString(Path.of(System.getProperty(OldBroker.CLASSPATH_PROPERTY)));
    Matcher jar = Pattern.compile("kafka_2\\.13-([0-9.]+)\\.jar").matcher(classPath);
    assertThat(jar.find()).as("kafka_2.13 on the broker's class path").isTrue();
    assertThat(broker.output()).contains("Kafka version: " + jar.group(1));
    assertThat(jar.group(1)).startsWith("2.5.");
    Properties client = new Properties();
    try (InputStream in =
        KafkaProducer.class.getResourceAsStream("/kafka/kafka-version.properties")) {
      client.load(in);
    }
    assertThat(client.getProperty("version")).as("the client's kafka-clients").startsWith("4.");
  }

  @Test
  void anIdempotentProducerWritesEveryRecordOnce() throws Exception {
    String topic = "idempotent";
    kafka.createTopic(topic, PARTITIONS, 1);
    try (ReliableProducer<String, String> producer =
        ReliableProducer.builder(new StringSerializer(), new StringSerializer())
            .bootstrapServers(kafka.bootstrapServers())
            .build()) {
      List<CompletableFuture<RecordMetadata>> sent = new ArrayList<>();
      for (int i = 0; i < RECORDS; i++) {
        sent.add(producer.send(topic, "k" + (i % 17), "v" + i));
      }
      CompletableFuture.allOf(sent.toArray(CompletableFuture[]::new)).get();
    }

    assertThat(values(TestRecords.of(kafka).readCommitted(topic, WAIT)))
        .hasSize(RECORDS)
        .containsExactlyInAnyOrderElementsOf(expected("v", RECORDS));
  }

  @Test
  void aRunnerCommitsWhatItProcessedUpToTheEnd() throws Exception {
    String topic = "runner-in";
    String group = "runner";
    kafka.createTopic(topic, PARTITIONS, 1);
    produce(topic, RECORDS);
    Set<String> handled = ConcurrentHashMap.newKeySet();
    try (ConsumerRunner<String, String> runner =
        ConsumerRunner.builder()
            .bootstrapServers(kafka.bootstrapServers())
            .groupId(group)
            .topics(topic)
            .handler(record -> handled.add(record.value()))
            .build()) {
      runner.start();
      ConsumerGroupOffsets.of(kafka).awaitCommittedToEnd(group, topic, WAIT);
      assertThat(handled).containsExactlyInAnyOrderElementsOf(expected("r", RECORDS));
    }
  }

  @Test
  void anExactlyOnceCopierWithAbortedTransactionsCopiesEveryRecordOnce() throws Exception {
    String in = "copy-in";
    String out = "copy-out";
    String group = "copier";
    kafka.createTopic(in, PARTITIONS, 1);
    kafka.createTopic(out, PARTITIONS, 1);
    produce(in, RECORDS);
    Set<String> failedOnce = ConcurrentHashMap.newKeySet();
    try (ConsumerRunner<String, String> copier =
        ConsumerRunner.builder()
            .bootstrapServers(kafka.bootstrapServers())
            .groupId(group)
            .topics(in)
            .property("max.poll.records", 8)
            .strategy(Strategy.threadPerPartition())
            .retry(RetryPolicy.builder().maxAttempts(5).build())
            .exactlyOnce(
                ReliableProducer.builder(new StringSerializer(), new StringSerializer())
                    .bootstrapServers(kafka.bootstrapServers()),
                "copier-tx",
                (record, output) -> {
                  // The first call of every tenth record fails: the batch's transaction commits
                  // the records before it, and the record heads the next transaction.
                  if (record.offset() % 10 == 9
                      && failedOnce.add(record.partition() + "@" + record.offset())) {
                    throw new IllegalStateException("fail the first call of this record");
                  }
                  output.send(out, record.key(), record.value());
                })
            .build()) {
      copier.start();
      ConsumerGroupOffsets.of(kafka).awaitCommittedToEnd(group, in, WAIT);
    }
    assertThat(failedOnce).as("some transactions ended early").isNotEmpty();

    assertThat(values(TestRecords.of(kafka).readCommitted(out, WAIT)))
        .as("read_committed: every input record once, nothing twice")
        .hasSize(RECORDS)
        .containsExactlyInAnyOrderElementsOf(expected("r", RECORDS));
  }

  @Test
  void topicAdminCreatesComparesAndAlignsATopic() {
    TopicSpec spec =
        TopicSpec.eventStream("admin")
            .partitions(3)
            .replicationFactor(1)
            .minInsyncReplicas(1)
            .retention(Duration.ofDays(1))
            .build();
    try (TopicAdmin topics =
        TopicAdmin.builder().clientConfig(kafka.clientConfig()).timeout(WAIT).build()) {
      TopicReport created = topics.apply(spec);
      assertThat(created.outcome()).isEqualTo(TopicReport.Outcome.CREATED);
      assertThat(created.live().orElseThrow().partitionCount()).isEqualTo(3);
      assertThat(topics.apply(spec).outcome()).isEqualTo(TopicReport.Outcome.MATCHES);

      TopicSpec shorter =
          TopicSpec.eventStream("admin")
              .partitions(3)
              .replicationFactor(1)
              .minInsyncReplicas(1)
              .retention(Duration.ofHours(1))
              .build();
      assertThat(topics.verify(shorter).difference("retention.ms")).isPresent();
      topics.alignConfigs(shorter);
      assertThat(topics.describe("admin").orElseThrow().configs())
          .containsEntry("retention.ms", "3600000");
    }
  }

  @Test
  void theConsumerGroupProtocolFailsTheRunnerAsConfiguration() throws Exception {
    String topic = "kip848";
    kafka.createTopic(topic, 1, 1);
    try (ConsumerRunner<String, String> runner =
        ConsumerRunner.builder()
            .bootstrapServers(kafka.bootstrapServers())
            .groupId("kip848")
            .topics(topic)
            .property("group.protocol", "consumer")
            .handler(record -> {})
            .build()) {
      runner.start();
      // KIP-848's ConsumerGroupHeartbeat needs a 4.0 broker: the runner stops, saying why.
      await().atMost(WAIT).until(() -> runner.state() == ConsumerRunner.State.FAILED);
      Throwable failure = runner.failure().orElseThrow();
      assertThat(failure).hasRootCauseInstanceOf(UnsupportedVersionException.class);
      assertThat(ErrorCategory.of(failure)).isEqualTo(ErrorCategory.CONFIGURATION);
    }
  }

  private void produce(String topic, int count) {
    List<ProducerRecord<String, String>> records = new ArrayList<>();
    for (int i = 0; i < count; i++) {
      records.add(new ProducerRecord<>(topic, "k" + (i % 17), "r" + i));
    }
    TestRecords.of(kafka).produce(records);
  }

  private static List<String> values(List<ConsumerRecord<String, String>> records) {
    return records.stream().map(ConsumerRecord::value).toList();
  }

  private static Set<String> expected(String prefix, int count) {
    Set<String> values = new HashSet<>();
    for (int i = 0; i < count; i++) {
      values.add(prefix + i);
    }
    return values;
  }
}
