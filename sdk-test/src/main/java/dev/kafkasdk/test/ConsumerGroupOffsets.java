package dev.kafkasdk.test;

import dev.kafkasdk.test.internal.GroupReads;
import java.time.Duration;
import java.util.Collections;
import java.util.Map;
import java.util.Objects;
import java.util.TreeMap;
import java.util.concurrent.atomic.AtomicReference;
import org.apache.kafka.clients.admin.Admin;
import org.apache.kafka.clients.admin.OffsetSpec;
import org.apache.kafka.clients.consumer.OffsetAndMetadata;
import org.apache.kafka.common.TopicPartition;
import org.apache.kafka.common.errors.RetriableException;
import org.awaitility.Awaitility;
import org.awaitility.core.ConditionTimeoutException;

/**
 * Reads what a consumer group has committed on a {@link KafkaCluster}, how far the topic goes and
 * the difference, and waits, with Awaitility, until a group has committed everything. This is the
 * check nearly every test of a consumer needs: a runner has finished a topic once its group's
 * committed offset equals the end offset of every partition.
 *
 * <pre>{@code
 * ConsumerGroupOffsets offsets = ConsumerGroupOffsets.of(kafka);
 * TestRecords.of(kafka).produce(records);
 * runner.start();
 * offsets.awaitCommittedToEnd(names.groupId(), names.topic(), Duration.ofSeconds(90));
 * assertThat(offsets.lag(names.groupId(), names.topic())).isZero();
 * }</pre>
 *
 * <p>The end offset of a partition is its high watermark: the offset the next record will get, the
 * offset a group commits after it has processed the last record. A transaction that is still open
 * keeps a {@code read_committed} group below it, so finish transactions before waiting. Every
 * method reads the current state from the brokers through a short-lived Admin client; instances
 * hold nothing else, are immutable and thread-safe.
 */
public final class ConsumerGroupOffsets {
  private static final Duration POLL = Duration.ofMillis(200);

  private final KafkaCluster cluster;

  private ConsumerGroupOffsets(KafkaCluster cluster) {
    this.cluster = cluster;
  }

  /**
   * Offsets of groups and topics on one cluster.
   *
   * @param cluster the cluster to read from
   * @return the reader
   */
  public static ConsumerGroupOffsets of(KafkaCluster cluster) {
    return new ConsumerGroupOffsets(Objects.requireNonNull(cluster, "cluster"));
  }

  /**
   * Returns the offsets the group has committed, on every topic it has committed to.
   *
   * @param group the consumer group id
   * @return an unmodifiable map, sorted by topic and partition, of the committed offset (the next
   *     offset the group will read) per partition; partitions without a commit are absent, and an
   *     unknown group gives an empty map
   * @throws IllegalStateException if the brokers do not answer
   */
  public Map<TopicPartition, Long> committed(String group) {
    Objects.requireNonNull(group, "group");
    try (Admin admin = GroupReads.admin(cluster)) {
      return Collections.unmodifiableMap(committed(admin, group));
    }
  }

  /**
   * Returns the end offset (high watermark) of every partition of the topic.
   *
   * @param topic the topic
   * @return an unmodifiable map, sorted by partition, with an entry for every partition
   * @throws IllegalArgumentException if the topic does not exist
   * @throws IllegalStateException if the brokers do not answer
   */
  public Map<TopicPartition, Long> endOffsets(String topic) {
    Objects.requireNonNull(topic, "topic");
    try (Admin admin = GroupReads.admin(cluster)) {
      return Collections.unmodifiableMap(offsets(admin, topic, OffsetSpec.latest()));
    }
  }

  /**
   * Returns, per partition of the topic, how many records the group has not committed yet: the end
   * offset minus the committed offset, or minus the log start offset where the group has committed
   * nothing.
   *
   * @param group the consumer group id
   * @param topic the topic
   * @return an unmodifiable map, sorted by partition, with an entry for every partition
   * @throws IllegalArgumentException if the topic does not exist
   * @throws IllegalStateException if the brokers do not answer
   */
  public Map<TopicPartition, Long> lagByPartition(String group, String topic) {
    return progress(group, topic).lag;
  }

  /**
   * Returns the group's total lag on the topic: the sum of {@link #lagByPartition(String, String)}.
   *
   * @param group the consumer group id
   * @param topic the topic
   * @return records not yet committed by the group, 0 when it has committed everything
   * @throws IllegalArgumentException if the topic does not exist
   * @throws IllegalStateException if the brokers do not answer
   */
  public long lag(String group, String topic) {
    return lagByPartition(group, topic).values().stream().mapToLong(Long::longValue).sum();
  }

  /**
   * Waits until the group has committed the end offset of every partition of the topic. End offsets
   * are read again at every check, so produce everything first; a partition without records needs
   * no commit.
   *
   * @param group the consumer group id
   * @param topic the topic
   * @param timeout how long to wait
   * @throws ConditionTimeoutException if the group is still behind after the timeout; the message
   *     shows committed and end offset of every partition as last seen
   * @throws IllegalArgumentException if the topic does not exist
   * @throws IllegalStateException if the brokers fail with a non-retriable error
   */
  public void awaitCommittedToEnd(String group, String topic, Duration timeout) {
    Objects.requireNonNull(timeout, "timeout");
    AtomicReference<Progress> last = new AtomicReference<>();
    try (Admin admin = GroupReads.admin(cluster)) {
      Awaitility.await("group " + group + " committed to the end of " + topic)
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
                    return false; // e.g. the group coordinator is still loading
                  }
                  throw e;
                }
                return last.get().done();
              });
    } catch (ConditionTimeoutException e) {
      Progress seen = last.get();
      throw new ConditionTimeoutException(
          "group "
              + group
              + " has not committed to the end of "
              + topic
              + " within "
              + timeout
              + (seen == null ? ": the brokers never answered" : ": " + seen),
          e);
    }
  }

  private Progress progress(String group, String topic) {
    Objects.requireNonNull(group, "group");
    Objects.requireNonNull(topic, "topic");
    try (Admin admin = GroupReads.admin(cluster)) {
      return progress(admin, group, topic);
    }
  }

  private static Progress progress(Admin admin, String group, String topic) {
    Map<TopicPartition, Long> end = offsets(admin, topic, OffsetSpec.latest());
    Map<TopicPartition, Long> committed = committed(admin, group);
    Map<TopicPartition, Long> start = null;
    Map<TopicPartition, Long> lag = new TreeMap<>(GroupReads.BY_TOPIC_AND_PARTITION);
    for (Map.Entry<TopicPartition, Long> e : end.entrySet()) {
      Long from = committed.get(e.getKey());
      if (from == null) {
        if (start == null) {
          start = offsets(admin, topic, OffsetSpec.earliest());
        }
        from = start.get(e.getKey());
      }
      lag.put(e.getKey(), Math.max(0, e.getValue() - from));
    }
    return new Progress(end, committed, Collections.unmodifiableMap(lag));
  }

  private static Map<TopicPartition, Long> committed(Admin admin, String group) {
    Map<TopicPartition, OffsetAndMetadata> offsets =
        GroupReads.get(
            admin.listConsumerGroupOffsets(group).partitionsToOffsetAndMetadata(),
            "group " + group);
    Map<TopicPartition, Long> result = new TreeMap<>(GroupReads.BY_TOPIC_AND_PARTITION);
    offsets.forEach(
        (partition, offset) -> {
          if (offset != null) {
            result.put(partition, offset.offset());
          }
        });
    return result;
  }

  private static Map<TopicPartition, Long> offsets(Admin admin, String topic, OffsetSpec spec) {
    return GroupReads.offsets(admin, GroupReads.partitions(admin, topic), spec);
  }

  /** One reading of a group on a topic; its text is the per-partition table of failure messages. */
  private static final class Progress {
    private final Map<TopicPartition, Long> end;
    private final Map<TopicPartition, Long> committed;
    private final Map<TopicPartition, Long> lag;

    Progress(
        Map<TopicPartition, Long> end,
        Map<TopicPartition, Long> committed,
        Map<TopicPartition, Long> lag) {
      this.end = end;
      this.committed = committed;
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
            Long at = committed.get(partition);
            text.append(text.length() == 0 ? "" : ", ")
                .append("partition ")
                .append(partition.partition())
                .append(" committed ")
                .append(at == null ? "nothing" : at.toString())
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
