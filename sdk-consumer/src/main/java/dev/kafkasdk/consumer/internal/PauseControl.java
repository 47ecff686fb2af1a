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
 * Decides which assigned partitions must be paused and makes the consumer agree. Two reasons are
 * kept apart: the SDK's own pauses (back-pressure, stopping, an open circuit or a rate limit, a
 * transaction's backoff, a retry topic's partition waiting for its head record's due time: {@link
 * RetryDueTimes}) and the application's ({@link UserPauses}). A partition is paused while either
 * reason holds, so resuming for one reason never undoes the other. Poll thread only, except {@link
 * #userPaused()}.
 */
final class PauseControl {
  private static final Logger log = LoggerFactory.getLogger(PauseControl.class);

  private final String name;
  private final Consumer<?, ?> consumer;
  private final FlowWindow window;
  private final LoopStats stats;
  private final UserPauses user;
  private final RetryDueTimes dueTimes;
  // Whether some partitions wait for room (not for a retry's due time): the loop then polls
  // briefly.
  private boolean waitingForRoom;
  // What the consumer has paused: the union of both reasons.
  private Set<TopicPartition> paused = new HashSet<>();
  private Set<TopicPartition> pausedBySdk = new HashSet<>();
  private volatile Set<TopicPartition> pausedByUser = Set.of();

  /**
   * Creates the control of one consumer.
   *
   * @param window the in-flight limits of {@link #apply}; null for a loop that only uses {@link
   *     #reconcile}
   */
  PauseControl(
      String name, Consumer<?, ?> consumer, FlowWindow window, LoopStats stats, UserPauses user) {
    this(name, consumer, window, stats, user, null);
  }

  /**
   * Creates the control of one consumer that also holds retry partitions until they are due.
   *
   * @param dueTimes the retry partitions waiting for their due time, or null without retry topics
   */
  PauseControl(
      String name,
      Consumer<?, ?> consumer,
      FlowWindow window,
      LoopStats stats,
      UserPauses user,
      RetryDueTimes dueTimes) {
    this.name = name;
    this.consumer = consumer;
    this.window = window;
    this.stats = stats;
    this.user = user;
    this.dueTimes = dueTimes;
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
    window.refresh();
    Set<TopicPartition> wanted = new HashSet<>();
    if (pauseAll || !window.admits(tracked)) {
      wanted.addAll(states.keySet());
    } else {
      for (PartitionState<?, ?> state : states.values()) {
        if (!window.admitsPartition(state.tracked())) {
          wanted.add(state.partition());
        }
      }
    }
    if (log.isDebugEnabled() && !wanted.equals(pausedBySdk)) {
      log.debug(
          "{}: paused {} (in flight {} of {}, {} per partition)",
          name,
          wanted,
          tracked,
          window.maxInFlight(),
          window.maxInFlightPerPartition());
    }
    waitingForRoom = !wanted.isEmpty();
    if (dueTimes != null) {
      Set<TopicPartition> held = dueTimes.held();
      for (TopicPartition partition : held) {
        if (states.containsKey(partition)) {
          wanted.add(partition);
        }
      }
      stats.retryWaiting.set(held.size());
    }
    reconcile(states.keySet(), wanted, force);
  }

  /** Milliseconds until a retry partition held for its due time is due: MAX_VALUE when none. */
  long millisUntilNextDue() {
    return dueTimes == null ? Long.MAX_VALUE : dueTimes.millisUntilNextDue();
  }

  /**
   * Pauses the SDK's {@code wanted} partitions and the application's, and resumes the rest.
   *
   * @param assigned the consumer's assignment
   * @param wanted the partitions the SDK pauses: a mutable set this control keeps, not a copy
   * @param force also pause and resume partitions whose state did not change, because an assignment
   *     may have reset the client's pause state
   */
  void reconcile(Set<TopicPartition> assigned, Set<TopicPartition> wanted, boolean force) {
    UserPauses.Request request = user.current();
    // Called at every loop step: without an application pause, allocate nothing for it.
    Set<TopicPartition> byUser = Set.of();
    Set<TopicPartition> union = wanted;
    if (!request.none()) {
      byUser = new HashSet<>();
      for (TopicPartition partition : assigned) {
        if (request.holds(partition)) {
          byUser.add(partition);
        }
      }
      union = new HashSet<>(wanted);
      union.addAll(byUser);
    }
    Set<TopicPartition> toPause = new HashSet<>(union);
    Set<TopicPartition> toResume = new HashSet<>(force ? assigned : paused);
    toResume.removeAll(union);
    toResume.retainAll(assigned);
    if (!force) {
      toPause.removeAll(paused);
    }
    if (!toPause.isEmpty()) {
      consumer.pause(toPause);
    }
    if (!toResume.isEmpty()) {
      consumer.resume(toResume);
    }
    if (!byUser.equals(pausedByUser)) {
      log.info("{}: paused by the application: {}", name, byUser.isEmpty() ? "none" : byUser);
      pausedByUser = Set.copyOf(byUser);
    }
    // Without an application pause both are the same set; forget() and clear() treat it alike.
    paused = union;
    pausedBySdk = wanted;
    stats.paused.set(wanted.size());
    stats.userPaused.set(byUser.size());
  }

  /**
   * Whether some partitions are paused by the SDK, waiting for records to finish (not those waiting
   * for a retry's due time, whose wait the loop bounds with {@link #millisUntilNextDue()}).
   */
  boolean any() {
    return dueTimes == null ? !pausedBySdk.isEmpty() : waitingForRoom;
  }

  /** Whether every one of {@code assigned} partitions is paused (and there is at least one). */
  boolean all(int assigned) {
    return assigned > 0 && paused.size() == assigned;
  }

  /** The assigned partitions the application paused, as last applied; any thread. */
  Set<TopicPartition> userPaused() {
    return pausedByUser;
  }

  /** Forgets partitions that are no longer assigned. */
  void forget(Collection<TopicPartition> partitions) {
    if (dueTimes != null) {
      dueTimes.forget(partitions);
      stats.retryWaiting.set(dueTimes.size());
    }
    paused.removeAll(partitions);
    pausedBySdk.removeAll(partitions);
    if (partitions.stream().anyMatch(pausedByUser::contains)) {
      Set<TopicPartition> byUser = new HashSet<>(pausedByUser);
      byUser.removeAll(partitions);
      pausedByUser = Set.copyOf(byUser);
    }
    stats.paused.set(pausedBySdk.size());
    stats.userPaused.set(pausedByUser.size());
  }

  /** Forgets everything (the consumer is closing). */
  void clear() {
    if (dueTimes != null) {
      dueTimes.clear();
      stats.retryWaiting.set(0);
    }
    paused.clear();
    pausedBySdk.clear();
    pausedByUser = Set.of();
    stats.paused.set(0);
    stats.userPaused.set(0);
  }
}
