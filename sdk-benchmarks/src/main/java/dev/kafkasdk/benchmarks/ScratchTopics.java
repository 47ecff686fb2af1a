package dev.kafkasdk.benchmarks;

import dev.kafkasdk.test.KafkaCluster;
import java.util.List;
import java.util.Map;
import java.util.concurrent.TimeUnit;
import org.apache.kafka.clients.admin.Admin;

/**
 * A fresh topic per producer trial, deleted right after it: files unlinked before the kernel's
 * dirty-page expiry (30 s here) are never written back to disk. Needs a broker started with {@link
 * #promptDeletion}.
 *
 * <p>Why: in the quiet quick runs of 2026-12-07 every producer variant ran at about 1.2 million
 * records/s for three rounds, then at 0.4-0.6 million for the rest (results-quick.json). Each trial
 * wrote 50 MB to a topic nobody deleted, about 120 MB/s; once the first of them were 30 s old the
 * kernel's write-back ran alongside every later trial on the same two cores. With {@code
 * log.segment.delete.delay.ms=0} ({@link #promptDeletion}) the broker unlinks a deleted topic's
 * files at once instead of a minute later (the default), so their dirty pages are dropped, not
 * written. The topic's own {@code file.delete.delay.ms=0} (also set) is not enough: the broker's
 * log manager schedules its deletion of renamed ({@code -delete}) logs by the broker-wide setting;
 * with only the topic setting, a smoke run kept all 39 deleted topics' files (1.1 GB dirty). With
 * {@link #promptDeletion} the deleter starts 30 s after the broker and from then on keeps the dirty
 * pages under 100 MB.
 */
final class ScratchTopics {
  private ScratchTopics() {}

  /**
   * The benchmark broker's setting for deleted topics: their files go at once rather than after a
   * minute. Nothing else deletes topics, so no other scenario sees a difference.
   */
  static KafkaCluster.Builder promptDeletion(KafkaCluster.Builder broker) {
    return broker.brokerConfig("log.segment.delete.delay.ms", "0");
  }

  /** Creates {@code topic} whose files go as soon as it is {@linkplain #delete deleted}. */
  static void create(KafkaCluster kafka, String topic, int partitions) {
    kafka.createTopic(topic, partitions, 1, Map.of("file.delete.delay.ms", "0"));
  }

  /** Deletes {@code topic}, outside any trial's timing. */
  static void delete(KafkaCluster kafka, String topic) throws Exception {
    try (Admin admin = Admin.create(kafka.clientConfig())) {
      admin.deleteTopics(List.of(topic)).all().get(60, TimeUnit.SECONDS);
    }
  }
}
