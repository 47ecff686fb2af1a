package dev.kafkasdk.consumer.internal;

import java.util.HashMap;
import java.util.Map;

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
  /** The single lane for partition ordering, created on first use. */
  SerialLane<K, V> partitionLane;

  /** Lanes for key ordering; lanes without pending work are forgotten once there are many. */
  final Map<Object, SerialLane<K, V>> keyLanes = new HashMap<>();

  /** The number of key lanes above which idle ones are forgotten. */
  int keyLaneSweepAt = LaneRouter.KEY_LANES_KEPT;
}
