package dev.kafkasdk.consumer.internal;

import dev.kafkasdk.core.SdkConfigException;
import java.nio.ByteBuffer;
import java.time.Duration;
import java.util.ArrayList;
import java.util.Collection;
import java.util.HashMap;
import java.util.HashSet;
import java.util.List;
import java.util.Map;
import java.util.Set;
import org.apache.kafka.clients.consumer.Consumer;
import org.apache.kafka.clients.consumer.ConsumerConfig;
import org.apache.kafka.clients.consumer.ConsumerRecord;
import org.apache.kafka.clients.consumer.KafkaConsumer;
import org.apache.kafka.common.PartitionInfo;
import org.apache.kafka.common.TopicPartition;
import org.apache.kafka.common.serialization.ByteArrayDeserializer;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;

/**
 * Rebuilds the {@link KeyOrderQueues} of newly assigned main partitions, and forgets those of
 * removed ones. The queues live in memory, so a new owner of main partition p (after a restart or a
 * rebalance) reads partition p of every retry topic from where the group will resume it to its end:
 * every record there is in the chain, and its headers name its main offset and its stage is its
 * topic's. This runs inside the assignment callback, before the first poll returns records of p, so
 * no record of p is decided before its queues are complete.
 *
 * <p>Also checks what the queues rely on: each retry topic has as many partitions as its main
 * topic, and the member owns partition p of each (the RangeAssignor gives it that). Poll thread.
 */
final class KeyOrderRebuild {
  private static final Logger log = LoggerFactory.getLogger(KeyOrderRebuild.class);
  private static final Duration READ_TIMEOUT = Duration.ofSeconds(30);

  private final String name;
  private final RetryChain chain;
  private final RetryTopicPublisher publisher;
  private final Map<String, Object> readerConfig;

  KeyOrderRebuild(
      String name,
      RetryChain chain,
      RetryTopicPublisher publisher,
      Map<String, Object> consumerConfig) {
    this.name = name;
    this.chain = chain;
    this.publisher = publisher;
    Map<String, Object> config = new HashMap<>(consumerConfig);
    // A plain reader with assigned partitions: no group, no commits.
    config.remove(ConsumerConfig.GROUP_ID_CONFIG);
    config.remove(ConsumerConfig.GROUP_INSTANCE_ID_CONFIG);
    config.remove(ConsumerConfig.GROUP_PROTOCOL_CONFIG);
    config.remove(ConsumerConfig.PARTITION_ASSIGNMENT_STRATEGY_CONFIG);
    config.put(ConsumerConfig.ENABLE_AUTO_COMMIT_CONFIG, false);
    config.put(ConsumerConfig.CLIENT_ID_CONFIG, name + "-keyorder");
    this.readerConfig = Map.copyOf(config);
  }

  /**
   * Rebuilds the queues of the main partitions among {@code assigned}.
   *
   * @throws SdkConfigException if a retry topic's partition count differs from its main topic's
   * @throws IllegalStateException if partition p of a retry topic was not assigned with main p
   */
  void assigned(Consumer<byte[], byte[]> consumer, Collection<TopicPartition> assigned) {
    Set<TopicPartition> all = new HashSet<>(assigned);
    List<TopicPartition> mains = new ArrayList<>();
    List<TopicPartition> retries = new ArrayList<>();
    Map<String, Integer> counts = new HashMap<>();
    for (TopicPartition partition : assigned) {
      if (chain.isRetryTopic(partition.topic())) {
        continue;
      }
      mains.add(partition);
      int mainCount = partitionCount(consumer, partition.topic(), counts);
      for (int stage = 1; stage <= chain.stages(); stage++) {
        String retry = chain.retryTopic(partition.topic(), stage);
        int retryCount = partitionCount(consumer, retry, counts);
        if (retryCount != mainCount) {
          throw new SdkConfigException(
              "onFailure(retryTopics.keepKeyOrder())",
              retry
                  + " has "
                  + retryCount
                  + " partitions but "
                  + partition.topic()
                  + " has "
                  + mainCount
                  + "; keeping key order needs the same count (a key's retry records stay in its"
                  + " main partition's number)",
              "create the retry topics with RetryTopicSpecs.forTopic(...), or drop keepKeyOrder()");
        }
        TopicPartition co = new TopicPartition(retry, partition.partition());
        if (!all.contains(co)) {
          throw new IllegalStateException(
              name
                  + ": "
                  + partition
                  + " was assigned without "
                  + co
                  + "; keeping key order needs the RangeAssignor (the runner sets it) and the same"
                  + " subscription on every member of the group");
        }
        retries.add(co);
      }
    }
    if (retries.isEmpty()) {
      return;
    }
    Map<TopicPartition, Long> from = new HashMap<>();
    for (TopicPartition retry : retries) {
      // Where the group resumes: the committed offset, or the reset position.
      from.put(retry, consumer.position(retry, READ_TIMEOUT));
    }
    int read = 0;
    Map<Key, Copy> latest = new HashMap<>();
    try (KafkaConsumer<byte[], byte[]> reader =
        new KafkaConsumer<>(
            readerConfig, new ByteArrayDeserializer(), new ByteArrayDeserializer())) {
      reader.assign(retries);
      from.forEach(reader::seek);
      Map<TopicPartition, Long> ends = reader.endOffsets(retries, READ_TIMEOUT);
      long deadline = System.nanoTime() + READ_TIMEOUT.toNanos();
      synchronized (publisher.queues()) {
        for (TopicPartition main : mains) {
          publisher.queues().drop(main);
        }
        while (!readToEnd(reader, ends)) {
          if (System.nanoTime() > deadline) {
            throw new IllegalStateException(
                name + ": could not read the retry partitions " + retries + " to their end");
          }
          for (ConsumerRecord<byte[], byte[]> record : reader.poll(Duration.ofMillis(200))) {
            if (record.offset()
                >= ends.get(new TopicPartition(record.topic(), record.partition()))) {
              continue;
            }
            RetriedRecord origin = RetriedRecord.of(record, chain);
            if (origin != null && record.key() != null) {
              // After a crash a record may have two copies (sent on, source not committed): the
              // one sent last, due last, is current.
              Copy copy = new Copy(origin.stage(), origin.dueAt());
              latest.merge(
                  new Key(
                      new TopicPartition(origin.topic(), origin.partition()),
                      ByteBuffer.wrap(record.key()),
                      origin.offset()),
                  copy,
                  (a, b) -> a.dueAt() >= b.dueAt() ? a : b);
              read++;
            }
          }
        }
        latest.forEach(
            (key, copy) ->
                publisher
                    .queues()
                    .movedTo(key.main(), key.key().array(), key.offset(), copy.stage()));
      }
    }
    log.info("{}: key order rebuilt for {} from {} record(s) in {}", name, mains, read, retries);
  }

  /** A record in the chain: main partition, key and main offset. */
  private record Key(TopicPartition main, ByteBuffer key, long offset) {}

  /** A copy of a record in a retry topic. */
  private record Copy(int stage, long dueAt) {}

  /** Forgets the queues of removed main partitions. */
  void removed(Collection<TopicPartition> partitions) {
    synchronized (publisher.queues()) {
      for (TopicPartition partition : partitions) {
        if (!chain.isRetryTopic(partition.topic())) {
          publisher.queues().drop(partition);
        }
      }
    }
  }

  private static boolean readToEnd(
      KafkaConsumer<byte[], byte[]> reader, Map<TopicPartition, Long> ends) {
    for (Map.Entry<TopicPartition, Long> end : ends.entrySet()) {
      if (reader.position(end.getKey(), READ_TIMEOUT) < end.getValue()) {
        return false;
      }
    }
    return true;
  }

  private static int partitionCount(
      Consumer<byte[], byte[]> consumer, String topic, Map<String, Integer> counts) {
    return counts.computeIfAbsent(
        topic,
        t -> {
          List<PartitionInfo> infos = consumer.partitionsFor(t, READ_TIMEOUT);
          return infos == null ? 0 : infos.size();
        });
  }
}
