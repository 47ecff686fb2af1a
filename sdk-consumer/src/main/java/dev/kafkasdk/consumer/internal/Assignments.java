package dev.kafkasdk.consumer.internal;

import java.util.ArrayList;
import java.util.Collection;
import java.util.HashMap;
import java.util.List;
import java.util.Map;
import java.util.Set;
import org.apache.kafka.common.TopicPartition;

/**
 * The partitions a poll loop owns right now, each with the {@link PartitionState} of its current
 * assignment. Creates a state (with a new epoch) on every assignment and retires the old one, so a
 * state is current exactly while it is in this map. Poll thread only, except {@link #snapshot()}.
 *
 * @param <K> key type
 * @param <V> value type
 */
final class Assignments<K, V> {
  private final Map<TopicPartition, PartitionState<K, V>> states = new HashMap<>();
  private long epochs;
  private volatile Set<TopicPartition> snapshot = Set.of();

  /**
   * Starts a new assignment of the partition; a state it replaces is retired.
   *
   * @return the new state
   */
  PartitionState<K, V> assign(TopicPartition partition) {
    PartitionState<K, V> state = new PartitionState<>(partition, ++epochs);
    PartitionState<K, V> old = states.put(partition, state);
    if (old != null) {
      old.retire();
    }
    snapshot = Set.copyOf(states.keySet());
    return state;
  }

  /** The current state of the partition, or null if it is not assigned. */
  PartitionState<K, V> get(TopicPartition partition) {
    return states.get(partition);
  }

  /** The current states. The view must not be kept across a rebalance. */
  Collection<PartitionState<K, V>> all() {
    return states.values();
  }

  /** The current states by partition. */
  Map<TopicPartition, PartitionState<K, V>> byPartition() {
    return states;
  }

  /** The number of partitions assigned. */
  int size() {
    return states.size();
  }

  /**
   * Tells workers to start nothing more of these partitions; they stay assigned until {@link
   * #remove}, so completions that arrive meanwhile still count.
   *
   * @return the states of those partitions that are assigned
   */
  List<PartitionState<K, V>> revoke(Collection<TopicPartition> partitions) {
    List<PartitionState<K, V>> revoked = new ArrayList<>();
    for (TopicPartition partition : partitions) {
      PartitionState<K, V> state = states.get(partition);
      if (state != null) {
        state.revoke();
        revoked.add(state);
      }
    }
    return revoked;
  }

  /** Removes and retires the states that are still current. */
  void remove(List<PartitionState<K, V>> removed) {
    for (PartitionState<K, V> state : removed) {
      if (states.get(state.partition()) == state) {
        states.remove(state.partition());
        state.retire();
      }
    }
    snapshot = Set.copyOf(states.keySet());
  }

  /** Retires every state: nothing is assigned any more. */
  void clear() {
    for (PartitionState<K, V> state : states.values()) {
      state.retire();
    }
    states.clear();
    snapshot = Set.of();
  }

  /** Records in flight over all assigned partitions (see {@link PartitionState#tracked()}). */
  int tracked() {
    int tracked = 0;
    for (PartitionState<K, V> state : states.values()) {
      tracked += state.tracked();
    }
    return tracked;
  }

  /** The assigned partitions, readable from any thread. */
  Set<TopicPartition> snapshot() {
    return snapshot;
  }

  /** Handler calls running now for any of the states. */
  static int running(List<? extends PartitionState<?, ?>> states) {
    int running = 0;
    for (PartitionState<?, ?> state : states) {
      running += state.running();
    }
    return running;
  }
}
