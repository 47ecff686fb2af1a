package dev.kafkasdk.consumer;

import dev.kafkasdk.test.KafkaCluster;
import dev.kafkasdk.test.ShareGroups;
import java.time.Duration;
import java.util.ArrayList;
import java.util.List;
import java.util.Map;
import org.apache.kafka.clients.consumer.AcknowledgeType;
import org.apache.kafka.clients.consumer.ConsumerRecord;
import org.apache.kafka.clients.consumer.KafkaShareConsumer;
import org.apache.kafka.common.serialization.StringDeserializer;

/** Share-group set-up and checks shared by the share-group runner tests. */
final class ShareFixtures {
  private ShareFixtures() {}

  /**
   * Sets the share group's configuration before its first member joins: read from the earliest
   * offset (Kafka's default is the latest) and the given acquisition lock duration.
   */
  static void configureGroup(KafkaCluster kafka, String group, Duration lock) {
    ShareGroups.of(kafka)
        .configure(
            group,
            Map.of(
                "share.auto.offset.reset",
                "earliest",
                "share.record.lock.duration.ms",
                Long.toString(lock.toMillis())));
  }

  /** A share-group runner builder for the test's topic and group, closing within 2 s. */
  static ConsumerRunner.Builder<String, String> runner(
      KafkaCluster kafka, String group, String topic, Strategy.ShareGroup strategy) {
    return ConsumerRunner.builder()
        .bootstrapServers(kafka.bootstrapServers())
        .groupId(group)
        .topics(topic)
        .strategy(strategy)
        .pollTimeout(Duration.ofMillis(200))
        .closeTimeout(Duration.ofSeconds(5));
  }

  /**
   * What a fresh member of the group receives within {@code window}: every record it gets is
   * released again, so the check takes nothing away from the group.
   */
  static List<String> freshMemberReceives(
      KafkaCluster kafka, String group, String topic, Duration window) {
    List<String> seen = new ArrayList<>();
    Map<String, Object> config =
        Map.of(
            "bootstrap.servers",
            kafka.bootstrapServers(),
            "group.id",
            group,
            "share.acknowledgement.mode",
            "explicit");
    try (KafkaShareConsumer<String, String> consumer =
        new KafkaShareConsumer<>(config, new StringDeserializer(), new StringDeserializer())) {
      consumer.subscribe(List.of(topic));
      long end = System.nanoTime() + window.toNanos();
      while (System.nanoTime() - end < 0) {
        for (ConsumerRecord<String, String> record : consumer.poll(Duration.ofMillis(200))) {
          seen.add(record.value());
          consumer.acknowledge(record, AcknowledgeType.RELEASE);
        }
      }
      consumer.commitSync(Duration.ofSeconds(10));
    }
    return seen;
  }
}
