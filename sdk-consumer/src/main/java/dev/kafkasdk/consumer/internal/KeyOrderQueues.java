package dev.kafkasdk.consumer.internal;

import java.nio.ByteBuffer;
import java.util.HashMap;
import java.util.Map;
import java.util.TreeMap;
import org.apache.kafka.common.TopicPartition;

/**
 * The per-key queues of a retry chain that keeps key order: for each main partition and key, the
 * main-topic offsets of the key's records that are in the chain now, each with the stage it was
 * last sent to. The rules, applied at each decision:
 *
 * <ul>
 *   <li>A main record whose key has an earlier record in the chain {@linkplain Route.Follow
 *       follows} it: it is sent to that record's stage without a handler call and joins the queue.
 *   <li>A retry record is handled only at the head of its key's queue; otherwise it follows its
 *       predecessor to the predecessor's stage. So a record never enters a stage before the record
 *       ahead of it.
 *   <li>A record leaves the queue when it is handled successfully or dead-lettered.
 *   <li>A record that is already in the chain further on (a main record, or one of an earlier
 *       stage, delivered again after a crash) is {@linkplain Route#SKIP skipped}: its copy ahead
 *       counts.
 * </ul>
 *
 * <p>Null keys are not ordered: their records are always handled. Not thread-safe: the caller holds
 * one lock across a decision and the send it leads to, so sends reach each retry partition in
 * decision order.
 */
final class KeyOrderQueues {
  /** What to do with a record. */
  sealed interface Route {
    /** Call the handler. */
    Route HANDLE = new Handle();

    /** Nothing: the record is in the chain further on already. */
    Route SKIP = new Skip();

    /** Call the handler. */
    record Handle() implements Route {}

    /** Nothing to do. */
    record Skip() implements Route {}

    /**
     * Send the record to the retry topic of {@code stage} without a handler call.
     *
     * @param stage 1 for the first retry topic
     */
    record Follow(int stage) implements Route {}
  }

  private final Map<TopicPartition, Map<ByteBuffer, TreeMap<Long, Integer>>> queues =
      new HashMap<>();

  /** Decides for a main record at {@code offset}; a follower joins the queue at once. */
  Route main(TopicPartition main, byte[] key, long offset) {
    TreeMap<Long, Integer> queue = queue(main, key, false);
    if (queue == null) {
      return Route.HANDLE;
    }
    if (queue.containsKey(offset)) {
      return Route.SKIP;
    }
    Map.Entry<Long, Integer> before = queue.lowerEntry(offset);
    if (before == null) {
      // Delivered again after a crash, ahead of every record in the chain: it was handled first.
      return Route.HANDLE;
    }
    queue.put(offset, before.getValue());
    return new Route.Follow(before.getValue());
  }

  /** Decides for a record of the retry topic of {@code stage} standing for main {@code offset}. */
  Route retry(TopicPartition main, byte[] key, long offset, int stage) {
    TreeMap<Long, Integer> queue = queue(main, key, false);
    Integer at = queue == null ? null : queue.get(offset);
    if (at == null) {
      return Route.HANDLE;
    }
    if (at != stage) {
      return Route.SKIP;
    }
    Map.Entry<Long, Integer> before = queue.lowerEntry(offset);
    if (before == null) {
      return Route.HANDLE;
    }
    queue.put(offset, before.getValue());
    return new Route.Follow(before.getValue());
  }

  /**
   * A record failed and is sent to {@code stage}, or a new owner read its current copy there: it
   * joins the queue or moves in it.
   */
  void movedTo(TopicPartition main, byte[] key, long offset, int stage) {
    TreeMap<Long, Integer> queue = queue(main, key, true);
    if (queue != null) {
      queue.put(offset, stage);
    }
  }

  /** A record was handled successfully or dead-lettered: it leaves its queue. */
  void left(TopicPartition main, byte[] key, long offset) {
    Map<ByteBuffer, TreeMap<Long, Integer>> keys = queues.get(main);
    if (keys == null || key == null) {
      return;
    }
    ByteBuffer wrapped = ByteBuffer.wrap(key);
    TreeMap<Long, Integer> queue = keys.get(wrapped);
    if (queue != null) {
      queue.remove(offset);
      if (queue.isEmpty()) {
        keys.remove(wrapped);
      }
    }
  }

  /** Forgets a main partition's queues (revoked or lost). */
  void drop(TopicPartition main) {
    queues.remove(main);
  }

  /** How many records of the main partition are queued. */
  int pending(TopicPartition main) {
    Map<ByteBuffer, TreeMap<Long, Integer>> keys = queues.get(main);
    return keys == null ? 0 : keys.values().stream().mapToInt(Map::size).sum();
  }

  private TreeMap<Long, Integer> queue(TopicPartition main, byte[] key, boolean create) {
    if (key == null) {
      return null;
    }
    if (!create) {
      Map<ByteBuffer, TreeMap<Long, Integer>> keys = queues.get(main);
      TreeMap<Long, Integer> queue = keys == null ? null : keys.get(ByteBuffer.wrap(key));
      return queue == null || queue.isEmpty() ? null : queue;
    }
    return queues
        .computeIfAbsent(main, ignored -> new HashMap<>())
        .computeIfAbsent(ByteBuffer.wrap(key), ignored -> new TreeMap<>());
  }
}
