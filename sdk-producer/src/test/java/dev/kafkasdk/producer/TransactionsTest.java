package dev.kafkasdk.producer;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;
import static org.assertj.core.api.Assertions.catchThrowableOfType;

import dev.kafkasdk.test.KafkaCluster;
import dev.kafkasdk.test.KafkaTest;
import dev.kafkasdk.test.TestNames;
import dev.kafkasdk.test.TestRecords;
import io.micrometer.core.instrument.MeterRegistry;
import io.micrometer.core.instrument.simple.SimpleMeterRegistry;
import java.time.Duration;
import java.util.ArrayList;
import java.util.HashMap;
import java.util.List;
import java.util.Map;
import java.util.Set;
import java.util.concurrent.ConcurrentHashMap;
import java.util.concurrent.ExecutorService;
import java.util.concurrent.Executors;
import java.util.concurrent.Future;
import java.util.concurrent.TimeUnit;
import org.apache.kafka.clients.consumer.ConsumerConfig;
import org.apache.kafka.clients.consumer.ConsumerRecord;
import org.apache.kafka.clients.consumer.KafkaConsumer;
import org.apache.kafka.clients.consumer.OffsetAndMetadata;
import org.apache.kafka.clients.producer.ProducerRecord;
import org.apache.kafka.common.IsolationLevel;
import org.apache.kafka.common.TopicPartition;
import org.apache.kafka.common.serialization.StringDeserializer;
import org.apache.kafka.common.serialization.StringSerializer;
import org.awaitility.Awaitility;
import org.junit.jupiter.api.Test;

/** The transactional preset against a real broker. */
@KafkaTest
class TransactionsTest {
  private static final Duration WAIT = Duration.ofSeconds(60);

  @Test
  void abortedTransactionsAreInvisibleToReadCommittedAndVisibleToReadUncommitted(
      KafkaCluster kafka, TestNames names) {
    kafka.createTopic(names.topic(), 2, 1);
    IllegalStateException own = new IllegalStateException("business rule violated");
    try (TransactionalProducer<String, String> producer = builder(kafka, names).build()) {
      assertThatThrownBy(
              () ->
                  producer.inTransaction(
                      tx -> {
                        tx.send(names.topic(), "a", "aborted-1");
                        tx.send(names.topic(), "b", "aborted-2");
                        tx.send(names.topic(), "a", "aborted-3").join();
                        throw own;
                      }))
          .as("the body's own exception reaches the caller unchanged, after the abort")
          .isSameAs(own);
      TransactionResult committed =
          producer.inTransaction(
              tx -> {
                tx.send(names.topic(), "a", "committed-1");
                tx.send(names.topic(), "b", "committed-2");
              });
      assertThat(committed.attempts()).isEqualTo(1);
      assertThat(committed.records()).hasSize(2);
    }

    TestRecords records = TestRecords.of(kafka);
    assertThat(records.readCommitted(names.topic(), WAIT))
        .extracting(ConsumerRecord::value)
        .containsExactlyInAnyOrder("committed-1", "committed-2");
    assertThat(readUncommitted(records, names.topic()))
        .extracting(ConsumerRecord::value)
        .containsExactlyInAnyOrder(
            "aborted-1", "aborted-2", "aborted-3", "committed-1", "committed-2");
  }

  @Test
  void anAbortableFailureAbortsAndRunsTheWholeBodyAgain(KafkaCluster kafka, TestNames names) {
    kafka.createTopic(names.topic(), 1, 1);
    MeterRegistry registry = new SimpleMeterRegistry();
    try (TransactionalProducer<String, String> producer =
        builder(kafka, names).property("max.block.ms", 3_000).meterRegistry(registry).build()) {
      // Initializes the producer first, so the short max.block.ms only affects the missing
      // partition below.
      producer.inTransaction(tx -> tx.send(names.topic(), "k", "warm-up"));
      TransactionResult result =
          producer.inTransaction(
              tx -> {
                tx.send(names.topic(), "k", "attempt-" + tx.attempt());
                if (tx.attempt() == 1) {
                  // Partition 5 does not exist: the send times out, which inside a transaction
                  // is abortable (KAFKA-18579: never re-send it alone).
                  tx.send(new ProducerRecord<>(names.topic(), 5, "k", "never"));
                }
              });

      assertThat(result.attempts()).isEqualTo(2);
      assertThat(transactions(registry, "aborted")).isEqualTo(1);
      assertThat(transactions(registry, "committed")).isEqualTo(2);
    }
    TestRecords records = TestRecords.of(kafka);
    assertThat(records.readCommitted(names.topic(), WAIT))
        .extracting(ConsumerRecord::value)
        .containsExactly("warm-up", "attempt-2");
    assertThat(readUncommitted(records, names.topic()))
        .extracting(ConsumerRecord::value)
        .containsExactly("warm-up", "attempt-1", "attempt-2");
  }

  @Test
  void aSecondProducerWithTheSameIdFencesTheFirstWhichFailsFatallyWithoutAbort(
      KafkaCluster kafka, TestNames names) {
    kafka.createTopic(names.topic(), 1, 1);
    MeterRegistry registryA = new SimpleMeterRegistry();
    MeterRegistry registryB = new SimpleMeterRegistry();
    try (TransactionalProducer<String, String> first =
            builder(kafka, names).clientId("first").meterRegistry(registryA).build();
        TransactionalProducer<String, String> second =
            builder(kafka, names).clientId("second").meterRegistry(registryB).build()) {
      assertThat(first.transactionalId()).isEqualTo(second.transactionalId());
      first.inTransaction(tx -> tx.send(names.topic(), "k", "first-1"));
      second.inTransaction(tx -> tx.send(names.topic(), "k", "second-1"));

      TransactionFailedException fenced =
          catchThrowableOfType(
              TransactionFailedException.class,
              () -> first.inTransaction(tx -> tx.send(names.topic(), "k", "zombie")));

      assertThat(fenced.category()).isEqualTo(ErrorCategory.PRODUCER_FATAL);
      assertThat(fenced.transactionalId()).isEqualTo(first.transactionalId());
      assertThat(transactions(registryA, "aborted"))
          .as("a fenced producer must not abort")
          .isZero();
      assertThat(transactions(registryA, "failed")).isEqualTo(1);
      assertThat(registryA.get(ProducerMeters.RECREATED).counter().count()).isEqualTo(1);

      // The fenced producer was closed, but not re-initialized on its own: the new owner goes on.
      second.inTransaction(tx -> tx.send(names.topic(), "k", "second-2"));
    }
    assertThat(TestRecords.of(kafka).readCommitted(names.topic(), WAIT))
        .extracting(ConsumerRecord::value)
        .containsExactly("first-1", "second-1", "second-2");
  }

  @Test
  void consumeTransformProduceCommitsOffsetsAtomicallyWithTheOutput(
      KafkaCluster kafka, TestNames names) {
    String input = names.topic("in");
    String output = names.topic("out");
    kafka.createTopic(input, 2, 1);
    kafka.createTopic(output, 2, 1);
    TestRecords records = TestRecords.of(kafka);
    for (int i = 0; i < 6; i++) {
      records.produce(input, "key-" + i, "value-" + i);
    }

    try (KafkaConsumer<String, String> consumer = consumer(kafka, names.groupId());
        TransactionalProducer<String, String> producer = builder(kafka, names).build()) {
      consumer.subscribe(List.of(input));
      List<ConsumerRecord<String, String>> batch = new ArrayList<>();
      Awaitility.await("input records")
          .atMost(WAIT)
          .pollInSameThread()
          .pollInterval(Duration.ZERO)
          .until(
              () -> {
                consumer.poll(Duration.ofMillis(200)).forEach(batch::add);
                return batch.size() >= 6;
              });

      producer.inTransaction(
          tx -> {
            Map<TopicPartition, OffsetAndMetadata> next = new HashMap<>();
            for (ConsumerRecord<String, String> in : batch) {
              tx.send(output, in.key(), in.value().toUpperCase(java.util.Locale.ROOT));
              next.put(
                  new TopicPartition(in.topic(), in.partition()),
                  new OffsetAndMetadata(in.offset() + 1));
            }
            tx.sendOffsets(next, consumer.groupMetadata());
          });

      Map<TopicPartition, OffsetAndMetadata> committed =
          consumer.committed(
              Set.of(new TopicPartition(input, 0), new TopicPartition(input, 1)), WAIT);
      long total =
          committed.values().stream().filter(o -> o != null).mapToLong(o -> o.offset()).sum();
      assertThat(total).as("offsets committed by the transaction").isEqualTo(6);
    }
    assertThat(records.readCommitted(output, WAIT))
        .extracting(ConsumerRecord::value)
        .containsExactlyInAnyOrder(
            "VALUE-0", "VALUE-1", "VALUE-2", "VALUE-3", "VALUE-4", "VALUE-5");
  }

  @Test
  void aPoolRunsConcurrentTransactionsOnAtMostItsSizeOfIds(KafkaCluster kafka, TestNames names)
      throws Exception {
    kafka.createTopic(names.topic(), 3, 1);
    Set<String> idsUsed = ConcurrentHashMap.newKeySet();
    ExecutorService workers = Executors.newFixedThreadPool(4);
    try (TransactionalProducerPool<String, String> pool = builder(kafka, names).buildPool(2)) {
      List<Future<TransactionResult>> results = new ArrayList<>();
      for (int t = 0; t < 12; t++) {
        int n = t;
        results.add(
            workers.submit(
                () ->
                    pool.inTransaction(
                        tx -> {
                          idsUsed.add(tx.transactionalId());
                          tx.send(names.topic(), "k" + n, "tx-" + n + "-a");
                          tx.send(names.topic(), "k" + n, "tx-" + n + "-b");
                        })));
      }
      for (Future<TransactionResult> result : results) {
        assertThat(result.get(2, TimeUnit.MINUTES).records()).hasSize(2);
      }
      assertThat(pool.size()).isEqualTo(2);
    } finally {
      workers.shutdownNow();
    }
    assertThat(idsUsed)
        .isNotEmpty()
        .isSubsetOf(names.transactionalId() + "-0", names.transactionalId() + "-1");
    assertThat(TestRecords.of(kafka).readCommitted(names.topic(), WAIT)).hasSize(24);
  }

  @Test
  void aPoolReplacesProducersOlderThanTheMaxAge(KafkaCluster kafka, TestNames names) {
    kafka.createTopic(names.topic(), 1, 1);
    MeterRegistry registry = new SimpleMeterRegistry();
    try (TransactionalProducerPool<String, String> pool =
        builder(kafka, names).meterRegistry(registry).maxAge(Duration.ofNanos(1)).buildPool(1)) {
      for (int i = 0; i < 3; i++) {
        int n = i;
        pool.inTransaction(tx -> tx.send(names.topic(), "k", "v" + n));
      }
    }
    assertThat(
            registry
                .get(ProducerMeters.RECREATED)
                .tag(ProducerMeters.TAG_REASON, "max-age")
                .counter()
                .count())
        .isEqualTo(2);
    assertThat(TestRecords.of(kafka).readCommitted(names.topic(), WAIT))
        .extracting(ConsumerRecord::value)
        .containsExactly("v0", "v1", "v2");
  }

  @Test
  void useAfterCloseFailsClearlyAndCloseIsIdempotent(KafkaCluster kafka, TestNames names) {
    kafka.createTopic(names.topic(), 1, 1);
    TransactionalProducer<String, String> producer = builder(kafka, names).build();
    TransactionalProducerPool<String, String> pool = builder(kafka, names).buildPool(2);
    producer.close();
    producer.close();
    pool.close();
    pool.close();
    assertThatThrownBy(() -> producer.inTransaction(tx -> tx.send(names.topic(), "k", "v")))
        .isInstanceOf(IllegalStateException.class)
        .hasMessageContaining("is closed");
    assertThatThrownBy(() -> pool.inTransaction(tx -> tx.send(names.topic(), "k", "v")))
        .isInstanceOf(IllegalStateException.class)
        .hasMessageContaining("is closed");
  }

  private static TransactionalProducer.Builder<String, String> builder(
      KafkaCluster kafka, TestNames names) {
    return ReliableProducer.builder(new StringSerializer(), new StringSerializer())
        .bootstrapServers(kafka.bootstrapServers())
        .transactional(names.transactionalId());
  }

  private static long transactions(MeterRegistry registry, String outcome) {
    return registry
        .get(ProducerMeters.TRANSACTION)
        .tag(ProducerMeters.TAG_OUTCOME, outcome)
        .timer()
        .count();
  }

  private static List<ConsumerRecord<String, String>> readUncommitted(
      TestRecords records, String topic) {
    return records.readAll(
        topic,
        IsolationLevel.READ_UNCOMMITTED,
        new StringDeserializer(),
        new StringDeserializer(),
        WAIT);
  }

  private static KafkaConsumer<String, String> consumer(KafkaCluster kafka, String group) {
    Map<String, Object> config = kafka.clientConfig();
    config.put(ConsumerConfig.GROUP_ID_CONFIG, group);
    config.put(ConsumerConfig.ENABLE_AUTO_COMMIT_CONFIG, false);
    config.put(ConsumerConfig.AUTO_OFFSET_RESET_CONFIG, "earliest");
    config.put(ConsumerConfig.ISOLATION_LEVEL_CONFIG, "read_committed");
    return new KafkaConsumer<>(config, new StringDeserializer(), new StringDeserializer());
  }
}
