package dev.kafkasdk.test;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import java.time.Duration;
import java.util.Map;
import org.apache.kafka.clients.consumer.ConsumerRecord;
import org.apache.kafka.clients.producer.KafkaProducer;
import org.apache.kafka.clients.producer.ProducerConfig;
import org.apache.kafka.clients.producer.ProducerRecord;
import org.apache.kafka.common.IsolationLevel;
import org.apache.kafka.common.serialization.StringDeserializer;
import org.apache.kafka.common.serialization.StringSerializer;
import org.awaitility.core.ConditionTimeoutException;
import org.junit.jupiter.api.Test;

/** Transactions need the transaction state log, which the kit sizes for a single broker. */
@KafkaTest
class TransactionalRoundTripTest {

  @Test
  void committedTransactionIsVisibleAndAbortedOneIsNot(KafkaCluster kafka, TestNames names)
      throws Exception {
    kafka.createTopic(names.topic(), 1, 1);
    try (KafkaProducer<String, String> producer = transactionalProducer(kafka, names)) {
      producer.beginTransaction();
      producer.send(new ProducerRecord<>(names.topic(), "k", "aborted"));
      producer.flush();
      producer.abortTransaction();
      producer.beginTransaction();
      producer.send(new ProducerRecord<>(names.topic(), "k", "committed"));
      producer.commitTransaction();
    }
    TestRecords records = TestRecords.of(kafka);
    records.awaitNoPendingTransactions(names.topic(), Duration.ofSeconds(60));

    assertThat(records.readCommitted(names.topic(), Duration.ofSeconds(60)))
        .extracting(ConsumerRecord::value)
        .containsExactly("committed");
    assertThat(
            records.readAll(
                names.topic(),
                IsolationLevel.READ_UNCOMMITTED,
                new StringDeserializer(),
                new StringDeserializer(),
                Duration.ofSeconds(60)))
        .extracting(ConsumerRecord::value)
        .containsExactly("aborted", "committed");
  }

  @Test
  void awaitNoPendingTransactionsWaitsWhileATransactionIsOpenAndReturnsOnceItCommits(
      KafkaCluster kafka, TestNames names) throws Exception {
    kafka.createTopic(names.topic(), 3, 1);
    TestRecords records = TestRecords.of(kafka);
    records.produce(names.topic(), "k0", "before");
    try (KafkaProducer<String, String> producer = transactionalProducer(kafka, names)) {
      producer.beginTransaction();
      for (int i = 0; i < 30; i++) {
        producer.send(new ProducerRecord<>(names.topic(), "k" + i, "tx-" + i));
      }
      producer.flush();

      // Open: every write is on the brokers, none is stable.
      assertThatThrownBy(
              () -> records.awaitNoPendingTransactions(names.topic(), Duration.ofSeconds(2)))
          .isInstanceOf(ConditionTimeoutException.class)
          .hasMessageContaining(names.topic());

      producer.commitTransaction();
    }
    records.awaitNoPendingTransactions(names.topic(), Duration.ofSeconds(60));
    // No wait of its own: the read starts at once, so it sees the transaction only because the
    // markers are written.
    assertThat(records.readCommitted(names.topic(), Duration.ofSeconds(60)))
        .extracting(ConsumerRecord::value)
        .hasSize(31)
        .contains("before", "tx-0", "tx-29");
  }

  @Test
  void awaitNoPendingTransactionsNamesATopicThatDoesNotExist(KafkaCluster kafka, TestNames names) {
    assertThatThrownBy(
            () ->
                TestRecords.of(kafka)
                    .awaitNoPendingTransactions(names.topic(), Duration.ofSeconds(30)))
        .isInstanceOf(IllegalStateException.class)
        .hasMessageContaining(names.topic());
  }

  /** A transactional producer, its transactions initialised. */
  private static KafkaProducer<String, String> transactionalProducer(
      KafkaCluster kafka, TestNames names) {
    Map<String, Object> config = kafka.clientConfig();
    config.put(ProducerConfig.TRANSACTIONAL_ID_CONFIG, names.transactionalId());
    KafkaProducer<String, String> producer =
        new KafkaProducer<>(config, new StringSerializer(), new StringSerializer());
    producer.initTransactions();
    return producer;
  }
}
