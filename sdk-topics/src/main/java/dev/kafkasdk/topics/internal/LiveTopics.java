package dev.kafkasdk.topics.internal;

import dev.kafkasdk.topics.LiveTopic;
import java.util.ArrayList;
import java.util.Comparator;
import java.util.List;
import java.util.Map;
import java.util.OptionalInt;
import java.util.TreeMap;
import org.apache.kafka.clients.admin.Config;
import org.apache.kafka.clients.admin.ConfigEntry;
import org.apache.kafka.clients.admin.TopicDescription;
import org.apache.kafka.common.Node;
import org.apache.kafka.common.TopicPartitionInfo;

/** Turns Admin client descriptions into {@link LiveTopic} snapshots. */
public final class LiveTopics {
  private LiveTopics() {}

  /**
   * Builds a snapshot.
   *
   * @param description the topic description
   * @param config the topic's effective configuration
   * @return the snapshot
   */
  public static LiveTopic from(TopicDescription description, Config config) {
    List<LiveTopic.PartitionState> partitions = new ArrayList<>();
    for (TopicPartitionInfo info : description.partitions()) {
      Node leader = info.leader();
      partitions.add(
          new LiveTopic.PartitionState(
              info.partition(),
              leader == null || leader.isEmpty()
                  ? OptionalInt.empty()
                  : OptionalInt.of(leader.id()),
              info.replicas().stream().map(Node::id).toList(),
              info.isr().stream().map(Node::id).toList()));
    }
    partitions.sort(Comparator.comparingInt(LiveTopic.PartitionState::partition));
    Map<String, String> configs = new TreeMap<>();
    for (ConfigEntry entry : config.entries()) {
      if (entry.value() != null && !entry.isSensitive()) {
        configs.put(entry.name(), entry.value());
      }
    }
    return new LiveTopic(description.name(), partitions, configs);
  }
}
