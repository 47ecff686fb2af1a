package dev.kafkasdk.consumer.internal;

import java.nio.charset.StandardCharsets;
import java.time.Duration;
import java.util.ArrayList;
import java.util.Collection;
import java.util.List;
import java.util.Map;
import java.util.OptionalLong;
import java.util.concurrent.CompletableFuture;
import java.util.concurrent.CopyOnWriteArrayList;
import java.util.concurrent.TimeUnit;
import org.apache.kafka.clients.consumer.ConsumerRebalanceListener;
import org.apache.kafka.clients.consumer.ConsumerRecord;
import org.apache.kafka.clients.consumer.ConsumerRecords;
import org.apache.kafka.clients.consumer.MockConsumer;
import org.apache.kafka.clients.consumer.OffsetAndMetadata;
import org.apache.kafka.common.TopicPartition;

/**
 * Kafka's {@link MockConsumer} made to behave a little more like a group member for the poll loop:
 *
 * <ul>
 *   <li>rebalances run on the poll thread, inside {@code poll()} ({@link #inPoll}), as the real
 *       client runs its callbacks;
 *   <li>partitions can be lost ({@link #lose}): the listener gets {@code onPartitionsLost} instead
 *       of {@code onPartitionsRevoked};
 *   <li>an assignment resets the pause state of every assigned partition, as an eager rebalance
 *       does (every partition is revoked and assigned again), so the loop must pause again;
 *   <li>{@code poll(timeout)} waits up to its timeout while nothing new happened, instead of
 *       spinning, so a test does not burn a core that the workers need;
 *   <li>every commit is logged with the callback it was made in, also after {@code close()}.
 * </ul>
 *
 * <p>Not a general replacement of {@code MockConsumer}: only what the loop uses.
 */
final class GroupConsumer extends MockConsumer<byte[], byte[]> {
  /** One commit: what, how, and in which rebalance callback (null outside callbacks). */
  record Commit(TopicPartition partition, long offset, boolean sync, String during) {}

  private final List<Commit> commits = new CopyOnWriteArrayList<>();
  private final Object signal = new Object();
  private long activity; // guarded by signal
  private long seenActivity; // poll thread only, guarded by signal
  private volatile String during;
  private boolean losing; // poll thread only
  private boolean syncing; // poll thread only
  private volatile Error closeError;

  GroupConsumer() {
    super("earliest");
  }

  // ------------------------------------------------------------------ driving the consumer

  /** Makes {@code close} throw {@code error} (after closing), as a client bug or an OOM would. */
  void failClose(Error error) {
    closeError = error;
  }

  @Override
  public synchronized void close(org.apache.kafka.clients.consumer.CloseOptions option) {
    super.close(option);
    if (closeError != null) {
      throw closeError;
    }
  }

  /** Runs the task on the poll thread inside its next {@code poll()}; completes when it ran. */
  CompletableFuture<Void> inPoll(Runnable task) {
    CompletableFuture<Void> done = new CompletableFuture<>();
    schedulePollTask(
        () -> {
          try {
            task.run();
            done.complete(null);
          } catch (Throwable e) {
            done.completeExceptionally(e);
          }
        });
    wake();
    return done;
  }

  /** A rebalance to {@code assignment}: removed partitions are revoked, new ones assigned. */
  CompletableFuture<Void> reassign(TopicPartition... assignment) {
    return inPoll(() -> rebalance(List.of(assignment)));
  }

  /** A rebalance to {@code remaining} in which the removed partitions are lost, not revoked. */
  CompletableFuture<Void> lose(TopicPartition... remaining) {
    return inPoll(
        () -> {
          losing = true;
          try {
            rebalance(List.of(remaining));
          } finally {
            losing = false;
          }
        });
  }

  /** Appends records with the given offsets and values {@code "v<offset>"}. */
  void send(TopicPartition partition, long fromOffset, long toOffsetExclusive) {
    // All at once: poll() holds the same lock, so it never sees part of the range. A poll between
    // the appends made how a partition's records split into polls (and so when back-pressure
    // paused it) depend on timing.
    synchronized (this) {
      for (long offset = fromOffset; offset < toOffsetExclusive; offset++) {
        send(partition, offset, "v" + offset);
      }
    }
  }

  void send(TopicPartition partition, long offset, String value) {
    addRecord(
        new ConsumerRecord<>(
            partition.topic(),
            partition.partition(),
            offset,
            ("k" + offset).getBytes(StandardCharsets.UTF_8),
            value.getBytes(StandardCharsets.UTF_8)));
  }

  // ------------------------------------------------------------------ what was committed

  /** Every commit so far, oldest first. */
  List<Commit> commits() {
    return List.copyOf(commits);
  }

  List<Commit> commits(TopicPartition partition) {
    List<Commit> of = new ArrayList<>();
    for (Commit commit : commits) {
      if (commit.partition().equals(partition)) {
        of.add(commit);
      }
    }
    return of;
  }

  /** The last committed offset of the partition; also readable after the loop closed us. */
  OptionalLong lastCommitted(TopicPartition partition) {
    List<Commit> of = commits(partition);
    return of.isEmpty() ? OptionalLong.empty() : OptionalLong.of(of.get(of.size() - 1).offset());
  }

  /** The highest offset ever committed for the partition, or -1. */
  long highestCommitted(TopicPartition partition) {
    return commits(partition).stream().mapToLong(Commit::offset).max().orElse(-1);
  }

  // ------------------------------------------------------------------ overrides

  @Override
  public void subscribe(Collection<String> topics, ConsumerRebalanceListener listener) {
    super.subscribe(topics, new ClientListener(listener));
  }

  @Override
  public ConsumerRecords<byte[], byte[]> poll(Duration timeout) {
    synchronized (signal) {
      long deadline = System.nanoTime() + timeout.toNanos();
      for (long left = timeout.toNanos(); activity == seenActivity && left > 0; ) {
        try {
          TimeUnit.NANOSECONDS.timedWait(signal, left);
        } catch (InterruptedException e) {
          Thread.currentThread().interrupt();
          break;
        }
        left = deadline - System.nanoTime();
      }
      seenActivity = activity;
    }
    return super.poll(timeout);
  }

  @Override
  public synchronized void addRecord(ConsumerRecord<byte[], byte[]> record) {
    super.addRecord(record);
    wake();
  }

  @Override
  public synchronized void resume(Collection<TopicPartition> partitions) {
    super.resume(partitions);
    wake();
  }

  @Override
  public synchronized void commitAsync(
      Map<TopicPartition, OffsetAndMetadata> offsets,
      org.apache.kafka.clients.consumer.OffsetCommitCallback callback) {
    if (!syncing) {
      log(offsets, false);
    }
    super.commitAsync(offsets, callback);
  }

  @Override
  public void commitSync(Map<TopicPartition, OffsetAndMetadata> offsets, Duration timeout) {
    log(offsets, true);
    syncing = true;
    try {
      super.commitSync(offsets, timeout);
    } finally {
      syncing = false;
    }
  }

  @Override
  public synchronized void commitSync(Map<TopicPartition, OffsetAndMetadata> offsets) {
    boolean outer = !syncing;
    if (outer) {
      log(offsets, true);
    }
    syncing = true;
    try {
      super.commitSync(offsets);
    } finally {
      syncing = !outer;
    }
  }

  private void log(Map<TopicPartition, OffsetAndMetadata> offsets, boolean sync) {
    offsets.forEach(
        (partition, offset) -> commits.add(new Commit(partition, offset.offset(), sync, during)));
  }

  /** The rebalance callback running now on the poll thread, or null. */
  String during() {
    return during;
  }

  private void wake() {
    synchronized (signal) {
      activity++;
      signal.notifyAll();
    }
  }

  /** The client side of a rebalance: pause reset, lost instead of revoked, callback tracking. */
  private final class ClientListener implements ConsumerRebalanceListener {
    private final ConsumerRebalanceListener loop;

    ClientListener(ConsumerRebalanceListener loop) {
      this.loop = loop;
    }

    @Override
    public void onPartitionsRevoked(Collection<TopicPartition> partitions) {
      if (losing) {
        onPartitionsLost(partitions);
        return;
      }
      during = "revoked";
      try {
        loop.onPartitionsRevoked(partitions);
      } finally {
        during = null;
      }
    }

    @Override
    public void onPartitionsLost(Collection<TopicPartition> partitions) {
      during = "lost";
      try {
        loop.onPartitionsLost(partitions);
      } finally {
        during = null;
      }
    }

    @Override
    public void onPartitionsAssigned(Collection<TopicPartition> partitions) {
      resume(assignment());
      during = "assigned";
      try {
        loop.onPartitionsAssigned(partitions);
      } finally {
        during = null;
      }
    }
  }
}
