package dev.kafkasdk.consumer.internal;

import java.time.Duration;
import java.util.ArrayList;
import java.util.Collection;
import java.util.HashMap;
import java.util.HashSet;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import org.apache.kafka.clients.consumer.Consumer;
import org.apache.kafka.clients.consumer.ConsumerGroupMetadata;
import org.apache.kafka.clients.consumer.ConsumerRecord;
import org.apache.kafka.clients.consumer.OffsetAndMetadata;
import org.apache.kafka.common.TopicPartition;
import org.apache.kafka.common.errors.TimeoutException;

/**
 * Reads partitions of a dead-letter topic from given start positions up to the end offsets they had
 * when the scan began, so a scan terminates however fast dead letters keep arriving. The consumer
 * reads {@code read_committed}, so its end offsets are the last stable offsets: no record of an
 * open transaction is ever below them.
 *
 * <p>Not thread-safe: one scan belongs to one thread, like its consumer.
 */
public final class DeadLetterScan implements AutoCloseable {
  private final Consumer<byte[], byte[]> consumer;
  private final Map<TopicPartition, Long> start;
  private final Map<TopicPartition, Long> end;
  private final Duration stallTimeout;
  private long lastProgress = System.nanoTime();

  /**
   * Assigns the partitions, seeks to the start positions and captures the end offsets.
   *
   * @param consumer a {@code read_committed} consumer without auto-commit; closed with the scan
   * @param start where to begin in each partition to read
   * @param stallTimeout how long polls may return nothing before the scan gives up
   */
  public DeadLetterScan(
      Consumer<byte[], byte[]> consumer, Map<TopicPartition, Long> start, Duration stallTimeout) {
    this.consumer = consumer;
    this.start = new LinkedHashMap<>(start);
    this.stallTimeout = stallTimeout;
    consumer.assign(start.keySet());
    this.end = new HashMap<>(consumer.endOffsets(start.keySet()));
    start.forEach(consumer::seek);
    pauseFinished();
  }

  /**
   * The partitions of a topic, sorted.
   *
   * @param consumer any consumer
   * @param topic the topic
   * @return its partitions; empty if the topic does not exist
   */
  public static List<TopicPartition> partitions(Consumer<?, ?> consumer, String topic) {
    List<TopicPartition> partitions = new ArrayList<>();
    var infos = consumer.partitionsFor(topic);
    if (infos != null) {
      infos.forEach(info -> partitions.add(new TopicPartition(topic, info.partition())));
    }
    partitions.sort((a, b) -> Integer.compare(a.partition(), b.partition()));
    return partitions;
  }

  /**
   * Start positions from the group's committed offsets, the beginning of a partition without one.
   *
   * @param consumer a consumer with the group's {@code group.id}
   * @param partitions the partitions
   * @return the positions
   */
  public static Map<TopicPartition, Long> committedOrBeginning(
      Consumer<?, ?> consumer, Collection<TopicPartition> partitions) {
    Map<TopicPartition, OffsetAndMetadata> committed =
        consumer.committed(new HashSet<>(partitions));
    Map<TopicPartition, Long> beginning = consumer.beginningOffsets(partitions);
    Map<TopicPartition, Long> start = new LinkedHashMap<>();
    for (TopicPartition partition : partitions) {
      OffsetAndMetadata offset = committed.get(partition);
      long first = beginning.getOrDefault(partition, 0L);
      // A committed offset below the log start (retention deleted records) starts at the log start.
      start.put(partition, offset == null ? first : Math.max(first, offset.offset()));
    }
    return start;
  }

  /**
   * The beginning of each partition.
   *
   * @param consumer any consumer
   * @param partitions the partitions
   * @return the positions
   */
  public static Map<TopicPartition, Long> beginning(
      Consumer<?, ?> consumer, Collection<TopicPartition> partitions) {
    return new LinkedHashMap<>(consumer.beginningOffsets(partitions));
  }

  /**
   * Polls once and returns the records below the end offsets, in partition order as polled.
   *
   * @param pollTimeout the poll's timeout
   * @return the records; may be empty
   * @throws TimeoutException if nothing moved for the stall timeout while records remain
   */
  public List<ConsumerRecord<byte[], byte[]>> next(Duration pollTimeout) {
    Map<TopicPartition, Long> before = positions();
    List<ConsumerRecord<byte[], byte[]>> records = new ArrayList<>();
    for (ConsumerRecord<byte[], byte[]> record : consumer.poll(pollTimeout)) {
      TopicPartition partition = new TopicPartition(record.topic(), record.partition());
      if (record.offset() < end.getOrDefault(partition, 0L)) {
        records.add(record);
      }
    }
    pauseFinished();
    if (!records.isEmpty() || !before.equals(positions())) {
      lastProgress = System.nanoTime();
    } else if (!done() && System.nanoTime() - lastProgress > stallTimeout.toNanos()) {
      throw new TimeoutException(
          "No progress reading "
              + end.keySet()
              + " for "
              + stallTimeout
              + "; positions "
              + positions()
              + ", end offsets "
              + end);
    }
    return records;
  }

  /**
   * Tells whether every partition is read up to its end offset.
   *
   * @return true when the scan is complete
   */
  public boolean done() {
    for (Map.Entry<TopicPartition, Long> entry : end.entrySet()) {
      if (consumer.position(entry.getKey()) < entry.getValue()) {
        return false;
      }
    }
    return true;
  }

  /**
   * The next offset to read of each partition, never past its end offset: what a commit records.
   *
   * @return the positions
   */
  public Map<TopicPartition, Long> positions() {
    Map<TopicPartition, Long> positions = new LinkedHashMap<>();
    for (TopicPartition partition : start.keySet()) {
      positions.put(partition, Math.min(consumer.position(partition), end.get(partition)));
    }
    return positions;
  }

  /**
   * The records between the start positions and the end offsets.
   *
   * @return the count
   */
  public long toScan() {
    long total = 0;
    for (Map.Entry<TopicPartition, Long> entry : start.entrySet()) {
      total += Math.max(0, end.get(entry.getKey()) - entry.getValue());
    }
    return total;
  }

  /**
   * The end offsets captured when the scan began.
   *
   * @return the end offsets
   */
  public Map<TopicPartition, Long> endOffsets() {
    return Map.copyOf(end);
  }

  /**
   * The consumer's group metadata, for offsets sent in a transaction.
   *
   * @return the metadata
   */
  public ConsumerGroupMetadata groupMetadata() {
    return consumer.groupMetadata();
  }

  private void pauseFinished() {
    List<TopicPartition> finished = new ArrayList<>();
    for (Map.Entry<TopicPartition, Long> entry : end.entrySet()) {
      if (consumer.position(entry.getKey()) >= entry.getValue()) {
        finished.add(entry.getKey());
      }
    }
    consumer.pause(finished);
  }

  @Override
  public void close() {
    consumer.close();
  }
}
