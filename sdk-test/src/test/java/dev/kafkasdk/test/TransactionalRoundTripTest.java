package dev.kafkasdk.test;

import static org.assertj.core.api.Assertions.assertThat;

import java.time.Duration;
import java.util.Map;
import org.apache.kafka.clients.consumer.ConsumerRecord;
import org.apache.kafka.clients.producer.KafkaProducer;
import org.apache.kafka.clients.producer.ProducerConfig;
import org.apache.kafka.clients.producer.ProducerRecord;
import org.apache.kafka.common.IsolationLevel;
import org.apache.kafka.common.serialization.StringDeserializer;
import org.apache.kafka.common.serialization.StringSerializer;
import org.junit.jupiter.api.Test;

/** Transactions need the transaction state log, which the kit sizes for a single broker. */
@KafkaTest
class TransactionalRoundTripTest {

  @Test
  void committedTransactionIsVisibleAndAbortedOneIsNot(KafkaCluster kafka, TestNames names)
      throws Exception {
    kafka.createTopic(names.topic(), 1, 1);
    Map<String, Object> config = kafka.clientConfig();
    config.put(ProducerConfig.TRANSACTIONAL_ID_CONFIG, names.transactionalId());
    try (KafkaProducer<String, String> producer =
        new KafkaProducer<>(config, new StringSerializer(), new StringSerializer())) {
      producer.initTransactions();
      producer.beginTransaction();
      producer.send(new ProducerRecord<>(names.topic(), "k", "aborted"));
      producer.flush();
      producer.abortTransaction();
      producer.beginTransaction();
      producer.send(new ProducerRecord<>(names.topic(), "k", "committed"));
      producer.commitTransaction();
    }
    TestRecords records = TestRecords.of(kafka);

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
}
