package dev.kafkasdk.consumer.internal;

import java.util.Collection;
import java.util.HashMap;
import java.util.Iterator;
import java.util.List;
import java.util.Map;
import java.util.Set;
import java.util.function.LongSupplier;
import org.apache.kafka.clients.consumer.Consumer;
import org.apache.kafka.clients.consumer.ConsumerRecord;
import org.apache.kafka.common.TopicPartition;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;

/**
 * Keeps records of retry topics from being processed before they are due, without holding a thread:
 * when a poll returns a retry partition's record that is not due yet, the records from it on are
 * dropped from the poll (never registered, so never committed past), the consumer seeks back to it
 * and the partition is held (paused by {@link PauseControl}, a pause source of its own) until its
 * due time. Records of one retry topic are due in offset order (each waits the topic's delay from
 * when it was written), so the head record's due time is the partition's. Poll thread only.
 */
final class RetryDueTimes {
  private static final Logger log = LoggerFactory.getLogger(RetryDueTimes.class);
  private final RetryChain chain;
  private final LongSupplier clock;
  // Held partition -> due time of its head record, epoch ms.
  private final Map<TopicPartition, Long> held = new HashMap<>();

  RetryDueTimes(RetryChain chain, LongSupplier clock) {
    this.chain = chain;
    this.clock = clock;
  }

  /**
   * Returns the polled records of a partition that may be processed now. For a retry partition
   * whose record is not due, returns the records before it, seeks the consumer back to it and holds
   * the partition until it is due.
   */
  List<ConsumerRecord<byte[], byte[]>> due(
      TopicPartition partition,
      List<ConsumerRecord<byte[], byte[]>> polled,
      Consumer<?, ?> consumer) {
    RetryChain.Stage stage = chain.stage(partition.topic());
    if (stage == null) {
      return polled;
    }
    long now = clock.getAsLong();
    for (int i = 0; i < polled.size(); i++) {
      ConsumerRecord<byte[], byte[]> record = polled.get(i);
      long due = RetriedRecord.dueAt(record, stage);
      if (due > now) {
        consumer.seek(partition, record.offset());
        held.put(partition, due);
        log.debug(
            "{}: offset {} is due in {} ms; the partition waits",
            partition,
            record.offset(),
            due - now);
        return polled.subList(0, i);
      }
    }
    return polled;
  }

  /** Whether the partition waits for its head record's due time. */
  boolean holds(TopicPartition partition) {
    return held.containsKey(partition);
  }

  /** Releases the partitions whose due time has come and returns those still held. */
  Set<TopicPartition> held() {
    if (held.isEmpty()) {
      return Set.of();
    }
    long now = clock.getAsLong();
    Iterator<Long> dues = held.values().iterator();
    while (dues.hasNext()) {
      if (dues.next() <= now) {
        dues.remove();
      }
    }
    return held.keySet();
  }

  /** Milliseconds until the next held partition is due: {@code Long.MAX_VALUE} when none. */
  long millisUntilNextDue() {
    long next = Long.MAX_VALUE;
    for (long due : held.values()) {
      next = Math.min(next, due);
    }
    return next == Long.MAX_VALUE ? next : Math.max(0, next - clock.getAsLong());
  }

  /** How many partitions are held. */
  int size() {
    return held.size();
  }

  /** Forgets partitions no longer assigned: their next owner reads their due times again. */
  void forget(Collection<TopicPartition> partitions) {
    partitions.forEach(held::remove);
  }

  void clear() {
    held.clear();
  }
}
