package dev.kafkasdk.reliability;

import dev.kafkasdk.reliability.Events.Logged;
import dev.kafkasdk.test.KafkaCluster;
import java.time.Duration;
import java.util.ArrayList;
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
 * beginning and reads up to the high watermark seen at the start. Reaching the end within the
 * timeout also proves no transaction is left hanging (an open transaction holds the last stable
 * offset back).
 */
public final class Drain {
  private static final Duration POLL = Duration.ofMillis(100);

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
    List<ConsumerRecord<String, String>> records = new ArrayList<>();
    try (KafkaConsumer<String, String> reader = reader(kafka, IsolationLevel.READ_COMMITTED);
        KafkaConsumer<String, String> highWatermarks =
            reader(kafka, IsolationLevel.READ_UNCOMMITTED)) {
      List<TopicPartition> partitions =
          reader.partitionsFor(topic, timeout).stream()
              .map(info -> new TopicPartition(info.topic(), info.partition()))
              .collect(Collectors.toList());
      reader.assign(partitions);
      reader.seekToBeginning(partitions);
      // The high watermark, not the last stable offset: a read_committed reader gets past a
      // transaction's records only once its markers are written, so reaching the high watermark
      // waits for a commit that lands during the drain (or whose markers are half written) instead
      // of stopping before it and reporting its acknowledged writes as lost.
      Map<TopicPartition, Long> end = highWatermarks.endOffsets(partitions, timeout);
      Awaitility.await("end of " + topic)
          .atMost(timeout)
          .pollInSameThread()
          .pollInterval(Duration.ZERO)
          .pollDelay(Duration.ZERO)
          .until(
              () -> {
                reader.poll(POLL).forEach(records::add);
                return end.entrySet().stream()
                    .allMatch(e -> reader.position(e.getKey()) >= e.getValue());
              });
    }
    for (ConsumerRecord<String, String> record : records) {
      sink.accept(
          new Logged(
              new TopicPartition(record.topic(), record.partition()),
              record.offset(),
              Payload.decode(record.value())));
    }
    return records;
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
