package dev.kafkasdk.benchmarks;

import dev.kafkasdk.test.KafkaCluster;
import dev.kafkasdk.test.ShareGroups;
import java.util.HashMap;
import java.util.Map;
import java.util.concurrent.TimeUnit;
import org.apache.kafka.clients.admin.Admin;
import org.apache.kafka.clients.consumer.OffsetAndMetadata;
import org.apache.kafka.common.TopicPartition;

/**
 * Client settings and positions for the share-group scenarios. A share group's offset reset is a
 * setting of the group, not of its consumers (KIP-932); the test kit's {@link ShareGroups} sets it.
 */
final class GroupPositions {
  private GroupPositions() {}

  /**
   * Client settings of a share consumer in {@code group}: the cluster's, the group id, and none of
   * the consumer-group settings a share consumer refuses.
   */
  static Map<String, Object> shareSettings(KafkaCluster kafka, String group) {
    Map<String, Object> config = kafka.clientConfig();
    config.put("group.id", group);
    return config;
  }

  /**
   * Makes a new share group read from the beginning of its topics: must be set before its first
   * member joins (the default, {@code latest}, would skip the preloaded records).
   */
  static void readFromEarliest(KafkaCluster kafka, String group) {
    ShareGroups.of(kafka).configure(group, Map.of("share.auto.offset.reset", "earliest"));
  }

  /** Each partition's share-partition start offset: every record below it is acknowledged. */
  static Map<Integer, Long> shareStartOffsets(KafkaCluster kafka, String group, String topic) {
    Map<Integer, Long> positions = new HashMap<>();
    ShareGroups.of(kafka)
        .startOffsets(group, topic)
        .forEach((tp, offset) -> positions.put(tp.partition(), offset));
    return positions;
  }

  /** Each partition's committed offset of a consumer group. */
  static Map<Integer, Long> committedOffsets(KafkaCluster kafka, String group) throws Exception {
    try (Admin admin = Admin.create(kafka.clientConfig())) {
      Map<TopicPartition, OffsetAndMetadata> offsets =
          admin
              .listConsumerGroupOffsets(group)
              .partitionsToOffsetAndMetadata()
              .get(60, TimeUnit.SECONDS);
      Map<Integer, Long> positions = new HashMap<>();
      offsets.forEach(
          (tp, offset) -> {
            if (offset != null) {
              positions.put(tp.partition(), offset.offset());
            }
          });
      return positions;
    }
  }

  /**
   * Fails unless the group committed every partition of {@code topic} at its end offset: after a
   * trial that handled the whole preloaded topic and committed only processed records, anything
   * lower means the final commit was lost, anything higher a commit past the records.
   */
  static void requireCommittedAtEnd(KafkaCluster kafka, String group, String topic)
      throws Exception {
    requireCommittedAtEnd(
        Workloads.endOffsets(kafka, topic), committedOffsets(kafka, group), group);
  }

  /**
   * As {@link #requireCommittedAtEnd(KafkaCluster, String, String)}, from the figures.
   *
   * @param ends partition i's end offset at index i
   * @param committed the group's committed offset by partition
   * @param what the trial, for the message
   */
  static void requireCommittedAtEnd(long[] ends, Map<Integer, Long> committed, String what) {
    for (int partition = 0; partition < ends.length; partition++) {
      Long offset = committed.get(partition);
      if (offset == null || offset != ends[partition]) {
        throw new IllegalStateException(
            what
                + " committed "
                + offset
                + " on partition "
                + partition
                + ", expected its end offset "
                + ends[partition]);
      }
    }
  }

  /**
   * Fails unless the group's committed offsets add up to {@code handled}: for a trial that read
   * every partition from offset 0 and handled a prefix of the topic, each committed offset is the
   * count of that partition's records it handled, so a lower sum means a lost commit, a higher one
   * a commit past the records.
   *
   * @param committed the group's committed offset by partition
   * @param handled the records the trial handled
   * @param what the trial, for the message
   */
  static void requireCommittedTotal(Map<Integer, Long> committed, long handled, String what) {
    long total = committed.values().stream().mapToLong(Long::longValue).sum();
    if (total != handled) {
      throw new IllegalStateException(
          what + " committed " + total + " records in all (" + committed + "), handled " + handled);
    }
  }
}
