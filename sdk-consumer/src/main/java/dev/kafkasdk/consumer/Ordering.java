package dev.kafkasdk.consumer;

/**
 * How a {@link Strategy#multiWorker(int, Ordering) multi-worker} runner may reorder processing.
 * Whatever the mode, offsets are committed only past records that are finished, so reordering never
 * loses a record.
 */
public enum Ordering {
  /**
   * One record per partition at a time, in offset order: the same guarantee as a plain consumer
   * loop, with different partitions processed in parallel.
   */
  PARTITION,

  /**
   * Records with the same key are processed one at a time in offset order; different keys run in
   * parallel, even within one partition. Records with a null key are processed one at a time in
   * offset order per partition (they form one lane per partition). Keys are compared by their
   * serialized bytes as read from Kafka, so keys that serialize alike share a lane.
   */
  KEY,

  /**
   * No ordering: any record may run at any time, for maximum parallelism. Suits independent events
   * such as metrics or sensor readings.
   */
  UNORDERED
}
