package dev.kafkasdk.consumer.internal;

import java.util.List;
import org.apache.kafka.clients.consumer.ConsumerRecord;

/**
 * One handler call's worth of records, bound to the partition assignment that polled them.
 *
 * @param owner the partition state (and so the assignment epoch) the records belong to
 * @param records records of {@code owner}'s partition in offset order
 * @param lane the ordering lane, or null for unordered work
 */
record Work<K, V>(
    PartitionState<K, V> owner, List<ConsumerRecord<K, V>> records, SerialLane<K, V> lane) {

  long firstOffset() {
    return records.get(0).offset();
  }
}
