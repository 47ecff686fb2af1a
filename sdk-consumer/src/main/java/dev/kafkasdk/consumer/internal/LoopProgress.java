package dev.kafkasdk.consumer.internal;

import java.time.Duration;
import java.util.Collection;
import java.util.HashMap;
import java.util.Map;
import java.util.OptionalLong;
import java.util.Set;
import org.apache.kafka.clients.consumer.Consumer;
import org.apache.kafka.common.TopicPartition;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;

/**
 * One loop's view of the runner's {@link ProgressBoard}: the {@link PartitionProgress} of each
 * partition it owns, and how it measures their fetch lag. Poll thread only.
 *
 * <p>A paused partition is not fetched from, so the client's {@code currentLag} keeps the end
 * offset of the last fetch before the pause; for the partitions the application paused, which may
 * stay paused for long, {@link #fetchLag} asks the broker for the end offsets instead ({@code
 * endOffsets}, at most once per call, with a short timeout).
 */
final class LoopProgress {
  private static final Logger log = LoggerFactory.getLogger(LoopProgress.class);

  private final String name;
  private final ProgressBoard board;
  private final Map<TopicPartition, PartitionProgress> owned = new HashMap<>();

  LoopProgress(String name, ProgressBoard board) {
    this.name = name;
    this.board = board;
  }

  /** The loop now owns the partitions. */
  void assigned(Collection<TopicPartition> partitions) {
    for (TopicPartition partition : partitions) {
      owned.put(partition, board.assigned(partition, this));
    }
  }

  /** The loop gave the partitions up. */
  void removed(Collection<TopicPartition> partitions) {
    for (TopicPartition partition : partitions) {
      if (owned.remove(partition) != null) {
        board.removed(partition, this);
      }
    }
  }

  /** The loop owns nothing any more. */
  void clear() {
    owned.clear();
    board.removedAll(this);
  }

  /** The progress of an owned partition, or null. */
  PartitionProgress get(TopicPartition partition) {
    return owned.get(partition);
  }

  /**
   * The fetch lag of each partition (end offset minus position), where known.
   *
   * @param consumer the loop's consumer
   * @param assigned the partitions the loop owns
   * @param userPaused the partitions paused by the application, whose end offsets are asked for
   * @param timeout how long asking may take
   * @return the lag by partition; a partition whose lag is unknown is absent
   */
  Map<TopicPartition, Long> fetchLag(
      Consumer<?, ?> consumer,
      Collection<TopicPartition> assigned,
      Set<TopicPartition> userPaused,
      Duration timeout) {
    Map<TopicPartition, Long> lag = new HashMap<>();
    for (TopicPartition partition : assigned) {
      if (!userPaused.contains(partition)) {
        OptionalLong known = consumer.currentLag(partition);
        if (known.isPresent()) {
          lag.put(partition, known.getAsLong());
        }
      }
    }
    if (!userPaused.isEmpty()) {
      try {
        Map<TopicPartition, Long> ends = consumer.endOffsets(userPaused, timeout);
        for (Map.Entry<TopicPartition, Long> end : ends.entrySet()) {
          long position = consumer.position(end.getKey(), timeout);
          lag.put(end.getKey(), Math.max(0, end.getValue() - position));
        }
      } catch (RuntimeException e) {
        // Only the gauge goes stale until the next try; consuming is not affected.
        log.debug("{}: end offsets of paused {} unknown: {}", name, userPaused, e.toString());
      }
    }
    return lag;
  }
}
