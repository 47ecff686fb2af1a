package dev.kafkasdk.consumer.internal;

import java.util.HashMap;
import java.util.Map;
import java.util.concurrent.atomic.AtomicInteger;
import org.apache.kafka.common.TopicPartition;

/**
 * One assignment of one partition to one consumer. A new instance (with a new epoch) is created
 * every time the partition is assigned, so work polled under an earlier assignment can be
 * recognised and its completion ignored.
 *
 * <p>Fields without a concurrency note are confined to the poll thread.
 */
final class PartitionState<K, V> {
  final TopicPartition partition;
  final long epoch;
  final OffsetTracker tracker = new OffsetTracker();

  /** Handler calls of this partition running right now; incremented and read by workers. */
  final AtomicInteger running = new AtomicInteger();

  /** Set by the poll thread when the partition is revoked or lost; workers then start nothing. */
  volatile boolean revoked;

  /** The single lane for partition ordering, created on first use. */
  SerialLane<K, V> partitionLane;

  /** Lanes for key ordering; lanes without pending work are forgotten once there are many. */
  final Map<Object, SerialLane<K, V>> keyLanes = new HashMap<>();

  /** The number of key lanes above which idle ones are forgotten; poll thread only. */
  int keyLaneSweepAt = Dispatcher.KEY_LANES_KEPT;

  /** The last offset the broker confirmed, or -1. */
  long committed = -1;

  /** The last offset sent in a commit that has not failed, or -1. */
  long sent = -1;

  PartitionState(TopicPartition partition, long epoch) {
    this.partition = partition;
    this.epoch = epoch;
  }

  @Override
  public String toString() {
    return partition + "#" + epoch;
  }
}
