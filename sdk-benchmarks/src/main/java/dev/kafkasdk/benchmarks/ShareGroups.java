package dev.kafkasdk.benchmarks;

import dev.kafkasdk.test.KafkaCluster;
import java.util.HashMap;
import java.util.List;
import java.util.Map;
import java.util.concurrent.TimeUnit;
import org.apache.kafka.clients.admin.Admin;
import org.apache.kafka.clients.admin.AlterConfigOp;
import org.apache.kafka.clients.admin.ConfigEntry;
import org.apache.kafka.clients.admin.ListShareGroupOffsetsSpec;
import org.apache.kafka.clients.admin.SharePartitionOffsetInfo;
import org.apache.kafka.clients.consumer.OffsetAndMetadata;
import org.apache.kafka.common.TopicPartition;
import org.apache.kafka.common.config.ConfigResource;

/**
 * Group settings and positions for the share-group scenarios, through the Admin client: a share
 * group's offset reset is a setting of the group, not of its consumers (KIP-932).
 */
final class ShareGroups {
  private ShareGroups() {}

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
  static void readFromEarliest(KafkaCluster kafka, String group) throws Exception {
    try (Admin admin = Admin.create(kafka.clientConfig())) {
      admin
          .incrementalAlterConfigs(
              Map.of(
                  new ConfigResource(ConfigResource.Type.GROUP, group),
                  List.of(
                      new AlterConfigOp(
                          new ConfigEntry("share.auto.offset.reset", "earliest"),
                          AlterConfigOp.OpType.SET))))
          .all()
          .get(60, TimeUnit.SECONDS);
    }
  }

  /** Each partition's share-partition start offset: every record below it is acknowledged. */
  static Map<Integer, Long> startOffsets(KafkaCluster kafka, String group) throws Exception {
    try (Admin admin = Admin.create(kafka.clientConfig())) {
      Map<TopicPartition, SharePartitionOffsetInfo> offsets =
          admin
              .listShareGroupOffsets(Map.of(group, new ListShareGroupOffsetsSpec()))
              .partitionsToOffsetInfo(group)
              .get(60, TimeUnit.SECONDS);
      Map<Integer, Long> positions = new HashMap<>();
      offsets.forEach(
          (tp, info) -> {
            if (info != null) {
              positions.put(tp.partition(), info.startOffset());
            }
          });
      return positions;
    }
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
}
