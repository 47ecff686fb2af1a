package dev.kafkasdk.consumer.internal;

import static dev.kafkasdk.consumer.ConsumerMeters.PARTITION_LAG;
import static dev.kafkasdk.consumer.ConsumerMeters.TAG_PARTITION;
import static dev.kafkasdk.consumer.ConsumerMeters.TAG_RUNNER;
import static dev.kafkasdk.consumer.ConsumerMeters.TAG_TOPIC;

import io.micrometer.core.instrument.Gauge;
import io.micrometer.core.instrument.MeterRegistry;
import java.time.Duration;
import java.util.HashMap;
import java.util.HashSet;
import java.util.Map;
import java.util.Set;
import org.apache.kafka.common.TopicPartition;

/**
 * The runner's board of {@link PartitionProgress}, one per assigned partition over all its loops,
 * with one lag gauge per partition: registered when a loop is assigned the partition, removed when
 * the loop gives it up, so the gauges are bounded by the runner's assignment. In
 * thread-per-partition mode a partition can move between two loops of one runner in one rebalance,
 * the new owner's assignment possibly running before the old owner's revocation; each entry
 * therefore remembers its owner, and only the owner removes it. Thread-safe.
 */
final class ProgressBoard implements AutoCloseable {
  private final MeterRegistry registry;
  private final String runner;
  private final Map<TopicPartition, Entry> entries = new HashMap<>();
  private boolean closed;

  private record Entry(Object owner, PartitionProgress progress, Gauge gauge) {}

  ProgressBoard(MeterRegistry registry, String runner) {
    this.registry = registry;
    this.runner = runner;
  }

  /**
   * The loop {@code owner} now owns the partition.
   *
   * @return the progress the owner publishes to
   */
  synchronized PartitionProgress assigned(TopicPartition partition, Object owner) {
    PartitionProgress progress = new PartitionProgress();
    Entry old = entries.get(partition);
    Gauge gauge = old != null ? old.gauge() : null;
    if (gauge == null && !closed) {
      gauge =
          Gauge.builder(PARTITION_LAG, this, board -> board.lag(partition))
              .description("records of the partition not yet processed")
              .strongReference(true)
              .tag(TAG_RUNNER, runner)
              .tag(TAG_TOPIC, partition.topic())
              .tag(TAG_PARTITION, Integer.toString(partition.partition()))
              .register(registry);
    }
    entries.put(partition, new Entry(owner, progress, gauge));
    return progress;
  }

  /** The loop {@code owner} gave the partition up; ignored if another loop owns it now. */
  synchronized void removed(TopicPartition partition, Object owner) {
    Entry entry = entries.get(partition);
    if (entry != null && entry.owner() == owner) {
      entries.remove(partition);
      if (entry.gauge() != null) {
        registry.remove(entry.gauge());
      }
    }
  }

  /** The loop {@code owner} owns nothing any more (it is closing). */
  synchronized void removedAll(Object owner) {
    for (TopicPartition partition : Set.copyOf(entries.keySet())) {
      removed(partition, owner);
    }
  }

  /** The partitions that waited without their commit moving for at least {@code stuckAfter}. */
  synchronized Set<TopicPartition> stuck(Duration stuckAfter) {
    long now = System.nanoTime();
    Set<TopicPartition> stuck = new HashSet<>();
    entries.forEach(
        (partition, entry) -> {
          long since = entry.progress().stalledSince();
          if (since != 0 && now - since >= stuckAfter.toNanos()) {
            stuck.add(partition);
          }
        });
    return stuck;
  }

  private synchronized double lag(TopicPartition partition) {
    Entry entry = entries.get(partition);
    return entry == null ? Double.NaN : entry.progress().lag();
  }

  /** Removes every gauge (the runner stopped). */
  @Override
  public synchronized void close() {
    closed = true;
    for (Entry entry : entries.values()) {
      if (entry.gauge() != null) {
        registry.remove(entry.gauge());
      }
    }
    entries.clear();
  }
}
