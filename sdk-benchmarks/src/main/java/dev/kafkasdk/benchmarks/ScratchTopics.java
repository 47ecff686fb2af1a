package dev.kafkasdk.benchmarks;

import dev.kafkasdk.test.KafkaCluster;
import java.util.List;
import java.util.Map;
import java.util.concurrent.TimeUnit;
import org.apache.kafka.clients.admin.Admin;

/**
 * A fresh topic per producer trial, deleted right after it: files unlinked before the kernel's
 * dirty-page expiry (30 s here) are never written back to disk.
 *
 * <p>Why: in the quiet quick runs of 2026-12-07 every producer variant ran at about 1.2 million
 * records/s for three rounds, then at 0.4-0.6 million for the rest (results-quick.json). Each trial
 * wrote 50 MB to a topic nobody deleted, about 120 MB/s; once the first of them were 30 s old the
 * kernel's write-back ran alongside every later trial on the same two cores. With {@code
 * file.delete.delay.ms=0} the broker unlinks a deleted topic's files at once instead of a minute
 * later (the default), so their dirty pages are dropped, not written.
 */
final class ScratchTopics {
  private ScratchTopics() {}

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
