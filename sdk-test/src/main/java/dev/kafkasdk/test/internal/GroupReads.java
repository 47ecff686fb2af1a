package dev.kafkasdk.test.internal;

import dev.kafkasdk.test.KafkaCluster;
import java.util.Collection;
import java.util.Comparator;
import java.util.List;
import java.util.Map;
import java.util.TreeMap;
import java.util.concurrent.ExecutionException;
import org.apache.kafka.clients.admin.Admin;
import org.apache.kafka.clients.admin.AdminClientConfig;
import org.apache.kafka.clients.admin.ListOffsetsResult.ListOffsetsResultInfo;
import org.apache.kafka.clients.admin.OffsetSpec;
import org.apache.kafka.common.KafkaFuture;
import org.apache.kafka.common.TopicPartition;
import org.apache.kafka.common.errors.UnknownTopicOrPartitionException;

/**
 * The Admin reads that the test kit's group views ({@code ConsumerGroupOffsets}, {@code
 * ShareGroups}) share: an Admin client with the kit's timeout, log offsets of partitions, and one
 * way to wait for an answer and name what could not be read.
 */
public final class GroupReads {
  /** How long an Admin call of the views may take, and how long they wait for a config. */
  public static final int ADMIN_TIMEOUT_MS = 30_000;

  /** Partitions by topic, then by number: the order of every table the views print. */
  public static final Comparator<TopicPartition> BY_TOPIC_AND_PARTITION =
      Comparator.comparing(TopicPartition::topic).thenComparingInt(TopicPartition::partition);

  private GroupReads() {}

  /**
   * An Admin client of the cluster whose calls give up after 30 s.
   *
   * @param cluster the cluster
   * @return a new client; the caller closes it
   */
  public static Admin admin(KafkaCluster cluster) {
    Map<String, Object> config = cluster.clientConfig();
    config.put(AdminClientConfig.DEFAULT_API_TIMEOUT_MS_CONFIG, ADMIN_TIMEOUT_MS);
    return Admin.create(config);
  }

  /**
   * The partitions of a topic, sorted by number.
   *
   * @param admin the client
   * @param topic the topic
   * @return its partitions
   * @throws IllegalArgumentException if the topic does not exist
   * @throws IllegalStateException if Kafka did not answer
   */
  public static List<TopicPartition> partitions(Admin admin, String topic) {
    try {
      return get(admin.describeTopics(List.of(topic)).allTopicNames(), topic)
          .get(topic)
          .partitions()
          .stream()
          .map(p -> new TopicPartition(topic, p.partition()))
          .sorted(BY_TOPIC_AND_PARTITION)
          .toList();
    } catch (IllegalStateException e) {
      if (e.getCause() instanceof UnknownTopicOrPartitionException) {
        throw new IllegalArgumentException("topic " + topic + " does not exist", e.getCause());
      }
      throw e;
    }
  }

  /**
   * The log offsets of the partitions for one spec (earliest, latest).
   *
   * @param admin the client
   * @param partitions the partitions
   * @param spec which offset
   * @return the offsets, sorted by topic and partition
   * @throws IllegalStateException if Kafka did not answer
   */
  public static Map<TopicPartition, Long> offsets(
      Admin admin, Collection<TopicPartition> partitions, OffsetSpec spec) {
    Map<TopicPartition, OffsetSpec> request = new TreeMap<>(BY_TOPIC_AND_PARTITION);
    partitions.forEach(p -> request.put(p, spec));
    Map<TopicPartition, ListOffsetsResultInfo> answer =
        get(admin.listOffsets(request).all(), "offsets of " + partitions);
    Map<TopicPartition, Long> result = new TreeMap<>(BY_TOPIC_AND_PARTITION);
    answer.forEach((partition, info) -> result.put(partition, info.offset()));
    return result;
  }

  /**
   * Waits for an Admin answer.
   *
   * @param future the answer
   * @param what what is read, for the message
   * @param <T> the answer's type
   * @return the answer
   * @throws IllegalStateException naming {@code what} if Kafka failed or the thread was interrupted
   *     (the interrupt flag is set again)
   */
  public static <T> T get(KafkaFuture<T> future, String what) {
    try {
      return future.get();
    } catch (ExecutionException e) {
      throw new IllegalStateException("could not read " + what + ": " + e.getCause(), e.getCause());
    } catch (InterruptedException e) {
      Thread.currentThread().interrupt();
      throw new IllegalStateException("interrupted while reading " + what, e);
    }
  }
}
