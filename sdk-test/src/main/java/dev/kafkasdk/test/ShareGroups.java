package dev.kafkasdk.test;

import dev.kafkasdk.test.internal.GroupReads;
import java.time.Duration;
import java.util.ArrayList;
import java.util.Collection;
import java.util.Collections;
import java.util.Comparator;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.Objects;
import java.util.TreeMap;
import java.util.concurrent.atomic.AtomicReference;
import org.apache.kafka.clients.admin.Admin;
import org.apache.kafka.clients.admin.AlterConfigOp;
import org.apache.kafka.clients.admin.Config;
import org.apache.kafka.clients.admin.ConfigEntry;
import org.apache.kafka.clients.admin.ListShareGroupOffsetsSpec;
import org.apache.kafka.clients.admin.OffsetSpec;
import org.apache.kafka.clients.admin.ShareGroupDescription;
import org.apache.kafka.clients.admin.ShareMemberDescription;
import org.apache.kafka.clients.admin.SharePartitionOffsetInfo;
import org.apache.kafka.common.GroupState;
import org.apache.kafka.common.TopicPartition;
import org.apache.kafka.common.config.ConfigResource;
import org.apache.kafka.common.errors.GroupIdNotFoundException;
import org.apache.kafka.common.errors.InvalidConfigurationException;
import org.apache.kafka.common.errors.InvalidRequestException;
import org.apache.kafka.common.errors.RetriableException;
import org.awaitility.Awaitility;
import org.awaitility.core.ConditionTimeoutException;

/**
 * Sets up and inspects share groups (KIP-932) on a {@link KafkaCluster}: the group-level share
 * settings a test needs, the members of a group, and how far the group has acknowledged a topic.
 * The share-group counterpart of {@link ConsumerGroupOffsets}.
 *
 * <pre>{@code
 * ShareGroups shareGroups = ShareGroups.of(kafka);
 * // before the first member joins: read records produced before the group existed, and let an
 * // unacknowledged record come back after 2 s instead of Kafka's default 30 s
 * shareGroups.configure(names.groupId(), Map.of(
 *     "share.auto.offset.reset", "earliest",
 *     "share.record.lock.duration.ms", "2000"));
 * TestRecords.of(kafka).produce(records);
 * runner.start();
 * shareGroups.awaitMembers(names.groupId(), 2, Duration.ofSeconds(30));
 * shareGroups.awaitAcknowledgedToEnd(names.groupId(), names.topic(), Duration.ofSeconds(90));
 * assertThat(shareGroups.lag(names.groupId(), names.topic())).isZero();
 * }</pre>
 *
 * <p>A share group has no committed offset per member: the broker keeps, per partition, a <em>start
 * offset</em> below which every record is acknowledged (accepted, rejected or out of delivery
 * attempts) and the state of the records above it. The group's <em>lag</em> on a partition is what
 * the broker reports: records up to the end offset that are not yet acknowledged, including records
 * a member holds but has not acknowledged. Kafka's embedded and container clusters of this kit
 * allow lock durations down to 1 s ({@code group.share.min.record.lock.duration.ms=1000}; Kafka's
 * default minimum is 15 s); an external cluster keeps its own bounds.
 *
 * <p>Every method reads the current state from the brokers through a short-lived Admin client;
 * instances hold nothing else, are immutable and thread-safe.
 */
public final class ShareGroups {
  private static final Duration POLL = Duration.ofMillis(200);

  private final KafkaCluster cluster;

  private ShareGroups(KafkaCluster cluster) {
    this.cluster = cluster;
  }

  /**
   * Share groups on one cluster.
   *
   * @param cluster the cluster to talk to
   * @return the helper
   */
  public static ShareGroups of(KafkaCluster cluster) {
    return new ShareGroups(Objects.requireNonNull(cluster, "cluster"));
  }

  /**
   * Sets group-level configuration (Admin {@code incrementalAlterConfigs} on the {@code GROUP}
   * resource) and waits until the brokers report the new values. The group need not exist yet;
   * configure it before its first member joins, because {@code share.auto.offset.reset} only
   * decides where a partition starts when the group first reads it. Keys not named stay as they
   * are.
   *
   * <p>Useful keys: {@code share.auto.offset.reset} ({@code latest} by default: records produced
   * before the group first read a partition are never delivered), {@code
   * share.record.lock.duration.ms} (how long a delivered record stays locked to its member before
   * it is redelivered), {@code share.delivery.count.limit} (delivery attempts before the record is
   * archived), {@code share.isolation.level}.
   *
   * @param group the share group id
   * @param configs group config keys and values, at least one
   * @throws IllegalArgumentException if the map is empty or the broker refuses a key or value (for
   *     example a lock duration outside the broker's {@code group.share.min/max.record.lock
   *     .duration.ms}); the message is the broker's
   * @throws IllegalStateException if the brokers do not answer, or do not show the values in time
   */
  public void configure(String group, Map<String, String> configs) {
    Objects.requireNonNull(group, "group");
    Objects.requireNonNull(configs, "configs");
    if (configs.isEmpty()) {
      throw new IllegalArgumentException("configure needs at least one group config");
    }
    ConfigResource resource = new ConfigResource(ConfigResource.Type.GROUP, group);
    List<AlterConfigOp> ops = new ArrayList<>();
    configs.forEach(
        (key, value) ->
            ops.add(
                new AlterConfigOp(
                    new ConfigEntry(Objects.requireNonNull(key), Objects.requireNonNull(value)),
                    AlterConfigOp.OpType.SET)));
    try (Admin admin = GroupReads.admin(cluster)) {
      try {
        GroupReads.get(
            admin.incrementalAlterConfigs(Map.of(resource, ops)).all(), "config of group " + group);
      } catch (IllegalStateException e) {
        if (e.getCause() instanceof InvalidConfigurationException
            || e.getCause() instanceof InvalidRequestException) {
          throw new IllegalArgumentException(
              "the broker refused " + configs + " for group " + group + ": " + e.getCause(),
              e.getCause());
        }
        throw e;
      }
      // The controller has committed the change; brokers apply committed metadata asynchronously,
      // and a member that joins before its broker has it would start with the old values.
      try {
        Awaitility.await("group " + group + " config " + configs)
            .atMost(Duration.ofMillis(GroupReads.ADMIN_TIMEOUT_MS))
            .pollInSameThread()
            .pollDelay(Duration.ZERO)
            .pollInterval(Duration.ofMillis(50))
            .until(() -> config(admin, group).entrySet().containsAll(configs.entrySet()));
      } catch (ConditionTimeoutException e) {
        throw new IllegalStateException(
            "the brokers do not show " + configs + " for group " + group, e);
      }
    }
  }

  /**
   * Returns the group-level configuration set for the group (by {@link #configure} or any other
   * Admin client); broker defaults that apply to it are not included.
   *
   * @param group the share group id
   * @return an unmodifiable map sorted by key, empty if nothing is set
   * @throws IllegalStateException if the brokers do not answer
   */
  public Map<String, String> config(String group) {
    Objects.requireNonNull(group, "group");
    try (Admin admin = GroupReads.admin(cluster)) {
      return Collections.unmodifiableMap(config(admin, group));
    }
  }

  /**
   * Returns the current members of the share group.
   *
   * @param group the share group id
   * @return an unmodifiable list sorted by client id, then member id; empty if the group has no
   *     members or does not exist
   * @throws IllegalArgumentException if the group exists but is not a share group
   * @throws IllegalStateException if the brokers do not answer
   */
  public List<ShareMemberDescription> members(String group) {
    Objects.requireNonNull(group, "group");
    try (Admin admin = GroupReads.admin(cluster)) {
      return members(admin, group);
    }
  }

  /**
   * Returns the state of the share group, as its coordinator reports it.
   *
   * @param group the share group id
   * @return {@code STABLE} or {@code EMPTY} for a known group; {@code DEAD} if it does not exist
   * @throws IllegalArgumentException if the group exists but is not a share group
   * @throws IllegalStateException if the brokers do not answer
   */
  public GroupState state(String group) {
    Objects.requireNonNull(group, "group");
    try (Admin admin = GroupReads.admin(cluster)) {
      ShareGroupDescription description = describe(admin, group);
      return description == null ? GroupState.DEAD : description.groupState();
    }
  }

  /**
   * Waits until the share group has exactly the given number of members.
   *
   * @param group the share group id
   * @param count the number of members to wait for, 0 to wait until every member has left
   * @param timeout how long to wait
   * @throws ConditionTimeoutException if the count differs after the timeout; the message names the
   *     members last seen
   * @throws IllegalStateException if the brokers fail with a non-retriable error
   */
  public void awaitMembers(String group, int count, Duration timeout) {
    Objects.requireNonNull(group, "group");
    Objects.requireNonNull(timeout, "timeout");
    if (count < 0) {
      throw new IllegalArgumentException("count must not be negative, was " + count);
    }
    AtomicReference<List<ShareMemberDescription>> last = new AtomicReference<>();
    try (Admin admin = GroupReads.admin(cluster)) {
      Awaitility.await("share group " + group + " with " + count + " members")
          .atMost(timeout)
          .pollInSameThread()
          .pollDelay(Duration.ZERO)
          .pollInterval(POLL)
          .until(
              () -> {
                try {
                  last.set(members(admin, group));
                } catch (IllegalStateException e) {
                  if (e.getCause() instanceof RetriableException) {
                    return false;
                  }
                  throw e;
                }
                return last.get().size() == count;
              });
    } catch (ConditionTimeoutException e) {
      List<ShareMemberDescription> seen = last.get();
      throw new ConditionTimeoutException(
          "share group "
              + group
              + " does not have "
              + count
              + " members within "
              + timeout
              + (seen == null ? ": the brokers never answered" : "; members " + clientIds(seen)),
          e);
    }
  }

  /**
   * Returns the share group's start offset on every partition of the topic it has started to read:
   * every record below it is acknowledged (or out of delivery attempts). It is the offset the share
   * coordinator has persisted, which is written with each acknowledgement round and can trail the
   * partition leader's own start offset by one round; to wait for progress use {@link #lag} or
   * {@link #awaitAcknowledgedToEnd}, which count acknowledged records above it too.
   *
   * @param group the share group id
   * @param topic the topic
   * @return an unmodifiable map sorted by partition; partitions the group has not read yet (and
   *     every partition of an unknown group) are absent
   * @throws IllegalArgumentException if the topic does not exist
   * @throws IllegalStateException if the brokers do not answer
   */
  public Map<TopicPartition, Long> startOffsets(String group, String topic) {
    Objects.requireNonNull(group, "group");
    Objects.requireNonNull(topic, "topic");
    try (Admin admin = GroupReads.admin(cluster)) {
      Map<TopicPartition, Long> result = new TreeMap<>(GroupReads.BY_TOPIC_AND_PARTITION);
      shareOffsets(admin, group, GroupReads.partitions(admin, topic))
          .forEach((partition, info) -> result.put(partition, info.startOffset()));
      return Collections.unmodifiableMap(result);
    }
  }

  /**
   * Returns, per partition of the topic, how many records the share group has not acknowledged yet:
   * the lag the broker reports (records below the end offset that are not acknowledged, including
   * those delivered to a member and not yet acknowledged). For a partition the group has not read
   * yet it is every record of the partition (end offset minus log start offset), whatever {@code
   * share.auto.offset.reset} will make of them. Where the broker reports no lag, it is the end
   * offset minus the start offset.
   *
   * @param group the share group id
   * @param topic the topic
   * @return an unmodifiable map sorted by partition, with an entry for every partition
   * @throws IllegalArgumentException if the topic does not exist
   * @throws IllegalStateException if the brokers do not answer
   */
  public Map<TopicPartition, Long> lagByPartition(String group, String topic) {
    Objects.requireNonNull(group, "group");
    Objects.requireNonNull(topic, "topic");
    try (Admin admin = GroupReads.admin(cluster)) {
      return progress(admin, group, topic).lag;
    }
  }

  /**
   * Returns the share group's total lag on the topic: the sum of {@link #lagByPartition}.
   *
   * @param group the share group id
   * @param topic the topic
   * @return records not yet acknowledged by the group, 0 when it has acknowledged everything
   * @throws IllegalArgumentException if the topic does not exist
   * @throws IllegalStateException if the brokers do not answer
   */
  public long lag(String group, String topic) {
    return lagByPartition(group, topic).values().stream().mapToLong(Long::longValue).sum();
  }

  /**
   * Waits until the share group's lag on every partition of the topic is 0: every record produced
   * so far is acknowledged. End offsets are read again at every check, so produce everything first.
   *
   * @param group the share group id
   * @param topic the topic
   * @param timeout how long to wait
   * @throws ConditionTimeoutException if records are still unacknowledged after the timeout; the
   *     message shows start offset, end offset and lag of every partition as last seen
   * @throws IllegalArgumentException if the topic does not exist
   * @throws IllegalStateException if the brokers fail with a non-retriable error
   */
  public void awaitAcknowledgedToEnd(String group, String topic, Duration timeout) {
    Objects.requireNonNull(group, "group");
    Objects.requireNonNull(topic, "topic");
    Objects.requireNonNull(timeout, "timeout");
    AtomicReference<Progress> last = new AtomicReference<>();
    try (Admin admin = GroupReads.admin(cluster)) {
      Awaitility.await("share group " + group + " acknowledged to the end of " + topic)
          .atMost(timeout)
          .pollInSameThread()
          .pollDelay(Duration.ZERO)
          .pollInterval(POLL)
          .until(
              () -> {
                try {
                  last.set(progress(admin, group, topic));
                } catch (IllegalStateException e) {
                  if (e.getCause() instanceof RetriableException) {
                    return false; // e.g. the share coordinator is still loading
                  }
                  throw e;
                }
                return last.get().done();
              });
    } catch (ConditionTimeoutException e) {
      Progress seen = last.get();
      throw new ConditionTimeoutException(
          "share group "
              + group
              + " has not acknowledged "
              + topic
              + " to the end within "
              + timeout
              + (seen == null ? ": the brokers never answered" : ": " + seen),
          e);
    }
  }

  private static Map<String, String> config(Admin admin, String group) {
    ConfigResource resource = new ConfigResource(ConfigResource.Type.GROUP, group);
    Config config =
        GroupReads.get(admin.describeConfigs(List.of(resource)).all(), "config of group " + group)
            .get(resource);
    Map<String, String> result = new TreeMap<>();
    if (config != null) {
      for (ConfigEntry entry : config.entries()) {
        if (entry.source() == ConfigEntry.ConfigSource.DYNAMIC_GROUP_CONFIG) {
          result.put(entry.name(), entry.value());
        }
      }
    }
    return result;
  }

  private static ShareGroupDescription describe(Admin admin, String group) {
    try {
      return GroupReads.get(admin.describeShareGroups(List.of(group)).all(), "share group " + group)
          .get(group);
    } catch (IllegalStateException e) {
      if (e.getCause() instanceof GroupIdNotFoundException) {
        if (e.getCause().getMessage() != null
            && e.getCause().getMessage().contains("not a share")) {
          throw new IllegalArgumentException(e.getCause().getMessage(), e.getCause());
        }
        return null;
      }
      throw e;
    }
  }

  private static List<ShareMemberDescription> members(Admin admin, String group) {
    ShareGroupDescription description = describe(admin, group);
    if (description == null) {
      return List.of();
    }
    List<ShareMemberDescription> members = new ArrayList<>(description.members());
    members.sort(
        Comparator.comparing(ShareMemberDescription::clientId)
            .thenComparing(ShareMemberDescription::consumerId));
    return Collections.unmodifiableList(members);
  }

  private static List<String> clientIds(Collection<ShareMemberDescription> members) {
    List<String> ids = new ArrayList<>();
    members.forEach(m -> ids.add(m.clientId() + "/" + m.consumerId()));
    return ids;
  }

  private static Progress progress(Admin admin, String group, String topic) {
    List<TopicPartition> partitions = GroupReads.partitions(admin, topic);
    Map<TopicPartition, Long> end = GroupReads.offsets(admin, partitions, OffsetSpec.latest());
    Map<TopicPartition, SharePartitionOffsetInfo> share = shareOffsets(admin, group, partitions);
    Map<TopicPartition, Long> logStart = null;
    Map<TopicPartition, Long> lag = new TreeMap<>(GroupReads.BY_TOPIC_AND_PARTITION);
    for (Map.Entry<TopicPartition, Long> e : end.entrySet()) {
      SharePartitionOffsetInfo info = share.get(e.getKey());
      long behind;
      if (info == null) {
        if (logStart == null) {
          logStart = GroupReads.offsets(admin, partitions, OffsetSpec.earliest());
        }
        behind = e.getValue() - logStart.get(e.getKey());
      } else {
        behind = info.lag().orElse(e.getValue() - info.startOffset());
      }
      lag.put(e.getKey(), Math.max(0, behind));
    }
    return new Progress(end, share, Collections.unmodifiableMap(lag));
  }

  private static Map<TopicPartition, SharePartitionOffsetInfo> shareOffsets(
      Admin admin, String group, List<TopicPartition> partitions) {
    Map<TopicPartition, SharePartitionOffsetInfo> answer;
    try {
      answer =
          GroupReads.get(
              admin
                  .listShareGroupOffsets(
                      Map.of(group, new ListShareGroupOffsetsSpec().topicPartitions(partitions)))
                  .partitionsToOffsetInfo(group),
              "share group offsets of " + group);
    } catch (IllegalStateException e) {
      if (e.getCause() instanceof GroupIdNotFoundException) {
        return Map.of();
      }
      throw e;
    }
    Map<TopicPartition, SharePartitionOffsetInfo> result = new LinkedHashMap<>();
    // A partition the group has not initialised comes back without offset info (null) or with a
    // negative start offset, depending on the path the answer took.
    answer.forEach(
        (partition, info) -> {
          if (info != null && info.startOffset() >= 0) {
            result.put(partition, info);
          }
        });
    return result;
  }

  /** One reading of a share group on a topic; its text is the table of failure messages. */
  private static final class Progress {
    private final Map<TopicPartition, Long> end;
    private final Map<TopicPartition, SharePartitionOffsetInfo> share;
    private final Map<TopicPartition, Long> lag;

    Progress(
        Map<TopicPartition, Long> end,
        Map<TopicPartition, SharePartitionOffsetInfo> share,
        Map<TopicPartition, Long> lag) {
      this.end = end;
      this.share = share;
      this.lag = lag;
    }

    boolean done() {
      return lag.values().stream().allMatch(l -> l == 0);
    }

    @Override
    public String toString() {
      StringBuilder text = new StringBuilder();
      end.forEach(
          (partition, endOffset) -> {
            SharePartitionOffsetInfo info = share.get(partition);
            text.append(text.length() == 0 ? "" : ", ")
                .append("partition ")
                .append(partition.partition())
                .append(" start ")
                .append(info == null ? "not initialised" : Long.toString(info.startOffset()))
                .append(" of end ")
                .append(endOffset)
                .append(" (lag ")
                .append(lag.get(partition))
                .append(')');
          });
      return text.toString();
    }
  }
}
