package dev.kafkasdk.consumer.internal;

import java.util.Collection;
import java.util.HashSet;
import java.util.Objects;
import java.util.Set;
import org.apache.kafka.common.TopicPartition;

/**
 * The pauses the application asked for through {@code ConsumerRunner.pause}/{@code resume}, for the
 * whole runner. They are kept apart from the pauses the SDK makes itself (back-pressure, an open
 * circuit, a rate limit, a transaction's backoff), so neither undoes the other, and they are kept
 * by partition, not by assignment, so a partition that is revoked and assigned again is paused
 * again. Any thread may change them; each poll loop reads {@link #current()} on its own thread and
 * makes its consumer agree (KafkaConsumer is single-threaded).
 */
public final class UserPauses {
  private final Object lock = new Object();
  private volatile Request current = Request.NONE;

  /**
   * What is paused: every partition except {@code except} when {@code all}, else {@code only}.
   *
   * @param all pause every partition, current and future
   * @param only the partitions paused when not {@code all}
   * @param except the partitions resumed one by one after a pause of all
   */
  record Request(boolean all, Set<TopicPartition> only, Set<TopicPartition> except) {
    static final Request NONE = new Request(false, Set.of(), Set.of());

    /** Whether the application wants the partition paused. */
    boolean holds(TopicPartition partition) {
      return all ? !except.contains(partition) : only.contains(partition);
    }

    /** Whether nothing is paused. */
    boolean none() {
      return !all && only.isEmpty();
    }
  }

  /** Pauses every partition, now assigned or assigned later, until {@link #resumeAll()}. */
  public void pauseAll() {
    synchronized (lock) {
      current = new Request(true, Set.of(), Set.of());
    }
  }

  /**
   * Pauses the given partitions (whether assigned now or later).
   *
   * @param partitions the partitions
   */
  public void pause(Collection<TopicPartition> partitions) {
    Set<TopicPartition> given = copy(partitions);
    synchronized (lock) {
      Request was = current;
      if (was.all()) {
        Set<TopicPartition> except = new HashSet<>(was.except());
        except.removeAll(given);
        current = new Request(true, Set.of(), Set.copyOf(except));
      } else {
        Set<TopicPartition> only = new HashSet<>(was.only());
        only.addAll(given);
        current = new Request(false, Set.copyOf(only), Set.of());
      }
    }
  }

  /** Resumes every partition the application paused. */
  public void resumeAll() {
    synchronized (lock) {
      current = Request.NONE;
    }
  }

  /**
   * Resumes the given partitions; after {@link #pauseAll()} the others stay paused, and so do
   * partitions assigned later.
   *
   * @param partitions the partitions
   */
  public void resume(Collection<TopicPartition> partitions) {
    Set<TopicPartition> given = copy(partitions);
    synchronized (lock) {
      Request was = current;
      if (was.all()) {
        Set<TopicPartition> except = new HashSet<>(was.except());
        except.addAll(given);
        current = new Request(true, Set.of(), Set.copyOf(except));
      } else {
        Set<TopicPartition> only = new HashSet<>(was.only());
        only.removeAll(given);
        current = new Request(false, Set.copyOf(only), Set.of());
      }
    }
  }

  /** What the application asks for now; read by the poll threads. */
  Request current() {
    return current;
  }

  private static Set<TopicPartition> copy(Collection<TopicPartition> partitions) {
    Objects.requireNonNull(partitions, "partitions");
    for (TopicPartition partition : partitions) {
      Objects.requireNonNull(partition, "a partition is null");
    }
    return Set.copyOf(partitions);
  }
}
