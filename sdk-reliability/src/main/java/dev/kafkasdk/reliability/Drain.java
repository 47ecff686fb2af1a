package dev.kafkasdk.reliability;

import dev.kafkasdk.reliability.Events.Logged;
import dev.kafkasdk.test.KafkaCluster;
import dev.kafkasdk.test.TestRecords;
import java.time.Duration;
import java.util.List;
import java.util.Map;
import java.util.function.Consumer;
import java.util.stream.Collectors;
import org.apache.kafka.clients.consumer.ConsumerConfig;
import org.apache.kafka.clients.consumer.ConsumerRecord;
import org.apache.kafka.clients.consumer.KafkaConsumer;
import org.apache.kafka.common.IsolationLevel;
import org.apache.kafka.common.TopicPartition;
import org.apache.kafka.common.serialization.StringDeserializer;
import org.awaitility.Awaitility;

/**
 * The final {@code read_committed} drain: a fresh reader assigns every partition, starts at the
 * beginning and reads to the last stable offset, once no transaction is open in the topic. Reaching
 * the end within the timeout also proves no transaction is left hanging (an open transaction holds
 * the last stable offset back).
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
    awaitNoOpenTransaction(kafka, topic, timeout);
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

  /**
   * Waits until every partition's last stable offset has reached its high watermark. A drain that
   * reads to a last stable offset taken earlier stops before a transaction that commits while it
   * runs (or reads part of one whose markers are half written) and reports its acknowledged writes
   * as lost.
   */
  private static void awaitNoOpenTransaction(KafkaCluster kafka, String topic, Duration timeout) {
    try (KafkaConsumer<String, String> committed = reader(kafka, IsolationLevel.READ_COMMITTED);
        KafkaConsumer<String, String> all = reader(kafka, IsolationLevel.READ_UNCOMMITTED)) {
      List<TopicPartition> partitions =
          all.partitionsFor(topic, timeout).stream()
              .map(info -> new TopicPartition(info.topic(), info.partition()))
              .collect(Collectors.toList());
      Awaitility.await("no open transaction in " + topic)
          .atMost(timeout)
          .pollInSameThread()
          .pollInterval(Duration.ofMillis(50))
          .until(
              () ->
                  committed
                      .endOffsets(partitions, timeout)
                      .equals(all.endOffsets(partitions, timeout)));
    }
  }

  private static KafkaConsumer<String, String> reader(
      KafkaCluster kafka, IsolationLevel isolation) {
    Map<String, Object> config = kafka.clientConfig();
    config.put(ConsumerConfig.ENABLE_AUTO_COMMIT_CONFIG, false);
    config.put(ConsumerConfig.ALLOW_AUTO_CREATE_TOPICS_CONFIG, false);
    config.put(ConsumerConfig.AUTO_OFFSET_RESET_CONFIG, "earliest");
    config.put(ConsumerConfig.ISOLATION_LEVEL_CONFIG, isolation.toString());
    return new KafkaConsumer<>(config, new StringDeserializer(), new StringDeserializer());
  }
}
