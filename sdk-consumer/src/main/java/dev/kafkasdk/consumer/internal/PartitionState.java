package dev.kafkasdk.consumer.internal;

import java.util.Set;
import java.util.concurrent.ConcurrentHashMap;
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
  private final AtomicInteger running = new AtomicInteger();

  /** Set by the poll thread when the partition is revoked or lost; workers then start nothing. */
  private volatile boolean revoked;

  /** Runs of several records that have started and are not yet reported; see runStarted. */
  private final Set<Work<K, V>> openRuns = ConcurrentHashMap.newKeySet();

  private final PartitionLanes<K, V> lanes = new PartitionLanes<>();

  /** The last offset the broker confirmed, or -1. */
  long committed = -1;

  /** The last offset sent in a commit that has not failed, or -1. */
  long sent = -1;

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

  /** Handler calls of this partition running now. */
  int running() {
    return running.get();
  }

  /**
   * A run of several records has started: its finished prefix ({@link Work#cursor}) counts before
   * the run ends, so a record that hangs or waits for a retry does not hold back the records before
   * it. Worker thread.
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

  /** Workers start nothing more of this partition. Poll thread. */
  void revoke() {
    revoked = true;
  }

  @Override
  public String toString() {
    return partition + "#" + epoch;
  }
}
