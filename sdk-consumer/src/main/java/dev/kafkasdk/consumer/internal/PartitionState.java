package dev.kafkasdk.consumer.internal;

import dev.kafkasdk.consumer.CommittedProgress;
import java.util.List;
import java.util.OptionalLong;
import java.util.Set;
import java.util.concurrent.ConcurrentHashMap;
import java.util.concurrent.atomic.AtomicInteger;
import org.apache.kafka.clients.consumer.ConsumerRecord;
import org.apache.kafka.common.TopicPartition;

/**
 * The progress of one assignment of one partition, and the single owner of the runner's commit
 * invariant: <em>a committed offset never passes a record that is not finished</em> (handled, or
 * taken by the failure policy). Every offset the runner commits comes from {@link #committable()}
 * or {@link #nextAsyncCommit()}, which only move past records that were {@linkplain #register
 * registered} and then {@linkplain #finish finished}, or that the client skipped (transaction
 * markers, compacted gaps) as shown by the {@linkplain #observePosition fetch position}.
 *
 * <p>A new instance, with a new epoch, is created every time the partition is assigned (and when
 * its position moves back), so work polled under an earlier assignment is recognised: once an
 * instance is {@linkplain #retire retired}, {@link #finish} ignores it, so a late completion can
 * never move a commit of a later assignment.
 *
 * <p>Threads: workers call only {@link #isRevoked()}, {@link #enter()}, {@link #leave()}, {@link
 * #runStarted} and {@link #runEnded} (and read the identity); everything else is confined to the
 * poll thread.
 *
 * @param <K> key type
 * @param <V> value type
 */
final class PartitionState<K, V> {
  private final TopicPartition partition;
  private final long epoch;
  private final OffsetTracker tracker = new OffsetTracker();
  private final PartitionLanes<K, V> lanes = new PartitionLanes<>();

  /** Handler calls of this partition running right now; incremented and read by workers. */
  private final AtomicInteger running = new AtomicInteger();

  /** Runs of several records that have started and are not yet reported; see runStarted. */
  private final Set<Work<K, V>> openRuns = ConcurrentHashMap.newKeySet();

  /** Set by the poll thread when the partition is revoked or lost; workers then start nothing. */
  private volatile boolean revoked;

  /** No longer the partition's current assignment: its completions are ignored. */
  private boolean retired;

  /** The last offset the broker confirmed, or -1. */
  private long committed = -1;

  /** The last offset sent in a commit that has not failed, or -1. */
  private long sent = -1;

  /** The {@link #progress()} the last commit sent carried, or null. */
  private String sentProgress;

  /**
   * Creates the state of a new assignment.
   *
   * @param partition the partition
   * @param epoch a number that no earlier assignment of this loop used
   */
  PartitionState(TopicPartition partition, long epoch) {
    this.partition = partition;
    this.epoch = epoch;
  }

  TopicPartition partition() {
    return partition;
  }

  /** The ordering lanes of this assignment. */
  PartitionLanes<K, V> lanes() {
    return lanes;
  }

  // ---------------------------------------------------------------- workers

  /** Whether the partition was revoked or lost: workers start nothing more of it. Any thread. */
  boolean isRevoked() {
    return revoked;
  }

  /**
   * Counts a handler call of this partition as running. A worker calls this before it looks at
   * {@link #isRevoked()}: the poll thread revokes and then waits for {@link #running()} to reach
   * zero, so either it sees the call or the worker sees the revocation.
   */
  void enter() {
    running.incrementAndGet();
  }

  /** The handler call counted by {@link #enter()} is over. */
  void leave() {
    running.decrementAndGet();
  }

  /** Handler calls of this partition running now. Any thread. */
  int running() {
    return running.get();
  }

  /**
   * A run of several records has started: its finished prefix ({@link Work#cursor}) counts before
   * the run ends, so a record that hangs or waits for a retry does not hold back the commit of the
   * records before it in its run. Worker thread.
   */
  void runStarted(Work<K, V> run) {
    openRuns.add(run);
  }

  /** The run is reported; its completion now carries its progress. Worker thread. */
  void runEnded(Work<K, V> run) {
    openRuns.remove(run);
  }

  /** Runs of this partition still in progress. */
  Set<Work<K, V>> openRuns() {
    return openRuns;
  }

  // ---------------------------------------------------------------- poll thread

  /**
   * Whether polled records starting at {@code firstOffset} are not after everything registered: the
   * position moved back (an offset reset or a truncated log), and what is in flight belongs to a
   * history that no longer exists.
   */
  boolean wentBack(long firstOffset) {
    return firstOffset <= tracker.lastDispatched();
  }

  /** The offset of the last registered record, or -1. */
  long lastRegistered() {
    return tracker.lastDispatched();
  }

  /**
   * Registers polled records, in offset order, as unfinished. Must come before the poll's {@link
   * #observePosition}: the position may only move the commit past records that are registered.
   */
  void register(List<? extends ConsumerRecord<?, ?>> polled) {
    for (ConsumerRecord<?, ?> record : polled) {
      tracker.dispatched(record.offset());
    }
  }

  /** The consumer's next fetch offset: with nothing unfinished, the commit may move up to it. */
  void observePosition(long nextOffset) {
    tracker.observePosition(nextOffset);
  }

  /**
   * Marks the work's records before {@code upTo} (its index, exclusive) as finished. Idempotent:
   * each record is marked once however often the same progress is reported. Ignored once this
   * assignment is retired, so work of an old assignment never moves a commit.
   *
   * @param work work created for this assignment
   * @param upTo how many of its records, from the first, are finished
   */
  void finish(Work<K, V> work, int upTo) {
    int from = work.applied;
    if (retired || upTo <= from) {
      return;
    }
    List<ConsumerRecord<K, V>> records = work.records();
    // Units are usually consecutive polled records (a partition's or an unordered share): one call.
    if (!tracker.completedBlock(
        records.get(from).offset(), records.get(upTo - 1).offset(), upTo - from)) {
      for (int i = from; i < upTo; i++) {
        tracker.completed(records.get(i).offset());
      }
    }
    work.applied = upTo;
  }

  /**
   * The offset to commit synchronously: the first record not finished (or the position when all
   * are), if it is past what the broker confirmed. Includes the finished prefix of runs still in
   * progress.
   *
   * @return the offset, or empty if there is nothing new to commit
   */
  OptionalLong committable() {
    for (Work<K, V> run : openRuns) {
      finish(run, run.cursor);
    }
    OptionalLong offset = retired ? OptionalLong.empty() : tracker.committable();
    return offset.isPresent() && offset.getAsLong() > committed ? offset : OptionalLong.empty();
  }

  /**
   * The offset to commit asynchronously, if it is past what was sent and not refused; it counts as
   * sent from now on, so the next interval does not send it again while the answer is pending.
   *
   * @return the offset, or empty if there is nothing new to send
   */
  OptionalLong nextAsyncCommit() {
    OptionalLong offset = committable();
    if (offset.isEmpty() || offset.getAsLong() <= sent) {
      return OptionalLong.empty();
    }
    sent = offset.getAsLong();
    return offset;
  }

  /**
   * The confirmed offset once more, when nothing new is committable but the {@link #progress()}
   * past it differs from what the last commit carried (a record holds the commit back while later
   * ones finish): so that tools reading the group see the work done and in flight now, at most once
   * per commit interval. Empty while a commit is pending or before the first one; re-committing the
   * confirmed offset never moves it.
   *
   * @param progress the current {@link #progress()}
   */
  OptionalLong progressRefresh(String progress) {
    if (retired || committed < 0 || sent != committed || progress.equals(sentProgress)) {
      return OptionalLong.empty();
    }
    return OptionalLong.of(committed);
  }

  /** A commit carrying {@code progress} is being sent. */
  void progressSent(String progress) {
    sentProgress = progress;
  }

  /** The broker accepted a commit of {@code offset}. */
  void commitAccepted(long offset) {
    committed = Math.max(committed, offset);
    sent = Math.max(sent, offset);
  }

  /**
   * The commit's metadata: records at or above the commit point that are finished (held back by an
   * older unfinished one) and unfinished, and the newest registered offset. Call right after {@link
   * #committable()}, which folds in the progress of open runs.
   */
  CommittedProgress progress() {
    int tracked = tracker.tracked();
    int unfinished = tracker.unfinished();
    return new CommittedProgress(tracked - unfinished, unfinished, tracker.lastDispatched());
  }

  /** An asynchronous commit of {@code offset} failed: the next interval sends it again. */
  void commitRefused(long offset) {
    if (sent == offset) {
      sent = committed;
    }
  }

  /** The last offset the broker confirmed, or -1. */
  long committed() {
    return committed;
  }

  /**
   * Registered records at or above the commit point: what would be delivered again after a crash
   * now, and what the in-flight limits bound.
   */
  int tracked() {
    return retired ? 0 : tracker.tracked();
  }

  /** Registered records not yet finished. */
  int unfinished() {
    return retired ? 0 : tracker.unfinished();
  }

  /** Workers start nothing more of this partition. */
  void revoke() {
    revoked = true;
  }

  /**
   * This is no longer the partition's current assignment: workers start nothing more, and
   * completions and progress of its work are ignored from now on.
   */
  void retire() {
    revoked = true;
    retired = true;
  }

  /** Whether {@link #retire()} was called. */
  boolean isRetired() {
    return retired;
  }

  @Override
  public String toString() {
    return partition + "#" + epoch;
  }
}
