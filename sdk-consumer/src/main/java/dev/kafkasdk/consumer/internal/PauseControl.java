package dev.kafkasdk.consumer.internal;

import java.util.Collection;
import java.util.HashSet;
import java.util.Map;
import java.util.Set;
import org.apache.kafka.clients.consumer.Consumer;
import org.apache.kafka.common.TopicPartition;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;

/**
 * Decides which assigned partitions must be paused for back-pressure (or for stopping) and makes
 * the consumer agree. Poll thread only.
 */
final class PauseControl {
  private static final Logger log = LoggerFactory.getLogger(PauseControl.class);

  private final String name;
  private final Consumer<?, ?> consumer;
  private final FlowLimits limits;
  private final LoopStats stats;
  private Set<TopicPartition> paused = new HashSet<>();

  PauseControl(String name, Consumer<?, ?> consumer, FlowLimits limits, LoopStats stats) {
    this.name = name;
    this.consumer = consumer;
    this.limits = limits;
    this.stats = stats;
  }

  /**
   * Pauses what must not be fetched from and resumes the rest.
   *
   * @param states the assigned partitions; must equal the consumer's assignment
   * @param tracked records in flight over all of them
   * @param pauseAll pause every partition (the loop is stopping)
   * @param force also pause and resume partitions whose state did not change, because an assignment
   *     may have reset the client's pause state
   */
  void apply(
      Map<TopicPartition, ? extends PartitionState<?, ?>> states,
      int tracked,
      boolean pauseAll,
      boolean force) {
    Set<TopicPartition> wanted = new HashSet<>();
    if (pauseAll || !limits.admits(tracked)) {
      wanted.addAll(states.keySet());
    } else {
      for (PartitionState<?, ?> state : states.values()) {
        if (!limits.admitsPartition(state.tracked())) {
          wanted.add(state.partition());
        }
      }
    }
    Set<TopicPartition> toPause = new HashSet<>(wanted);
    Set<TopicPartition> toResume = new HashSet<>(force ? states.keySet() : paused);
    toResume.removeAll(wanted);
    toResume.retainAll(states.keySet());
    if (!force) {
      toPause.removeAll(paused);
    }
    if (!toPause.isEmpty()) {
      consumer.pause(toPause);
    }
    if (!toResume.isEmpty()) {
      consumer.resume(toResume);
    }
    if (log.isDebugEnabled() && !wanted.equals(paused)) {
      log.debug(
          "{}: paused {} (in flight {} of {}, {} per partition)",
          name,
          wanted,
          tracked,
          limits.maxInFlight(),
          limits.maxInFlightPerPartition());
    }
    paused = wanted;
    stats.paused.set(wanted.size());
  }

  /** Whether some partitions are paused. */
  boolean any() {
    return !paused.isEmpty();
  }

  /** Whether every one of {@code assigned} partitions is paused (and there is at least one). */
  boolean all(int assigned) {
    return assigned > 0 && paused.size() == assigned;
  }

  /** Forgets partitions that are no longer assigned. */
  void forget(Collection<TopicPartition> partitions) {
    paused.removeAll(partitions);
    stats.paused.set(paused.size());
  }

  /** Forgets everything (the consumer is closing). */
  void clear() {
    paused.clear();
    stats.paused.set(0);
  }
}
