package dev.kafkasdk.consumer.internal;

import java.util.HashMap;
import java.util.List;
import java.util.Map;
import org.apache.kafka.clients.consumer.ConsumerRecord;

/**
 * The ordering lanes of one partition assignment: the single lane for partition ordering, or one
 * lane per key for key ordering. They belong to the assignment, so a reassigned partition starts
 * with fresh lanes and nothing queued under the old assignment can block the new one. Poll thread
 * only.
 *
 * @param <K> key type
 * @param <V> value type
 */
final class PartitionLanes<K, V> {
  /**
   * The single lane for partition ordering, created on first use; under key ordering the lane of
   * the fast path, which runs the partition's records in offset order while no key lane has work.
   */
  SerialLane<K, V> partitionLane;

  /**
   * Work in the key lanes not yet reported back to the poll thread: while it is above zero, records
   * of the partition go to their key lanes. Never above zero while {@link #partitionLane} has
   * pending work (see {@link LaneRouter}).
   */
  int keyedPending;

  /**
   * Records polled while the partition lane had pending work but the handler was no longer cheap:
   * they wait here, in offset order, until that lane is idle and then go to their key lanes,
   * instead of queueing behind it (which could keep a backlogged partition on one lane for good).
   * Null when none wait.
   */
  List<ConsumerRecord<byte[], byte[]>> waiting;

  /** Lanes for key ordering; lanes without pending work are forgotten once there are many. */
  final Map<Object, SerialLane<K, V>> keyLanes = new HashMap<>();

  /** The number of key lanes above which idle ones are forgotten. */
  int keyLaneSweepAt = LaneRouter.KEY_LANES_KEPT;
}
