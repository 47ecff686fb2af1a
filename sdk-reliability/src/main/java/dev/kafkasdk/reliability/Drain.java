package dev.kafkasdk.reliability;

import dev.kafkasdk.reliability.Events.Logged;
import dev.kafkasdk.test.KafkaCluster;
import dev.kafkasdk.test.TestRecords;
import java.time.Duration;
import java.util.List;
import java.util.function.Consumer;
import org.apache.kafka.clients.consumer.ConsumerRecord;
import org.apache.kafka.common.IsolationLevel;
import org.apache.kafka.common.TopicPartition;
import org.apache.kafka.common.serialization.StringDeserializer;

/**
 * The final {@code read_committed} drain: a fresh reader assigns every partition, starts at the
 * beginning and reads to the last stable offset. Reaching the end within the timeout also proves no
 * transaction is left hanging (an open transaction holds the last stable offset back).
 */
public final class Drain {
  private Drain() {}

  /**
   * Drains a topic of encoded {@link Payload}s into the history.
   *
   * @param kafka the cluster
   * @param topic the topic
   * @param timeout how long the drain may take
   * @param sink e.g. {@code history::inputLogged}
   * @return the number of records drained
   */
  public static int topic(
      KafkaCluster kafka, String topic, Duration timeout, Consumer<Logged> sink) {
    return records(kafka, topic, timeout, sink).size();
  }

  /**
   * Drains a topic of encoded {@link Payload}s into the history, and returns the records too, for a
   * test that also reads their headers.
   *
   * @param kafka the cluster
   * @param topic the topic
   * @param timeout how long the drain may take
   * @param sink e.g. {@code history::outputLogged}
   * @return the records drained, in the order read
   */
  public static List<ConsumerRecord<String, String>> records(
      KafkaCluster kafka, String topic, Duration timeout, Consumer<Logged> sink) {
    List<ConsumerRecord<String, String>> records =
        TestRecords.of(kafka)
            .readAll(
                topic,
                IsolationLevel.READ_COMMITTED,
                new StringDeserializer(),
                new StringDeserializer(),
                timeout);
    for (ConsumerRecord<String, String> record : records) {
      sink.accept(
          new Logged(
              new TopicPartition(record.topic(), record.partition()),
              record.offset(),
              Payload.decode(record.value())));
    }
    return records;
  }
}
