package dev.kafkasdk.consumer.internal;

import java.util.Queue;
import java.util.function.Consumer;
import java.util.function.IntSupplier;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;

/**
 * Where workers report ended work and the poll thread takes the reports: each completion finishes
 * its records in its {@link PartitionState} (which ignores work of an assignment that is no longer
 * current), frees its lane and, for failed work, fails the loop.
 *
 * @param <K> key type
 * @param <V> value type
 */
final class CompletionInbox<K, V> {
  private static final Logger log = LoggerFactory.getLogger(CompletionInbox.class);

  /**
   * Lock-free, and a worker wakes the poll thread only while it waits: see {@link
   * SingleReaderQueue}.
   */
  private final SingleReaderQueue<Completion<K, V>> queue = new SingleReaderQueue<>();

  private final Consumer<Completion<K, V>> settle;
  private final Consumer<Throwable> onFailure;

  /**
   * Creates the inbox.
   *
   * @param settle frees the lane of applied work and queues again what was handed back (the
   *     dispatcher's bookkeeping), also for work of an old assignment
   * @param onFailure called on the poll thread with the error of failed work
   */
  CompletionInbox(Consumer<Completion<K, V>> settle, Consumer<Throwable> onFailure) {
    this.settle = settle;
    this.onFailure = onFailure;
  }

  /** The queue workers add to. */
  Queue<Completion<K, V>> queue() {
    return queue;
  }

  /** Applies every completion queued now. Poll thread. */
  void drain() {
    for (Completion<K, V> completion; (completion = queue.poll()) != null; ) {
      apply(completion);
    }
  }

  /** Waits up to {@code timeoutNanos} for one completion and applies it. Poll thread. */
  void await(long timeoutNanos) {
    try {
      Completion<K, V> completion = queue.poll(timeoutNanos);
      if (completion != null) {
        apply(completion);
      }
    } catch (InterruptedException e) {
      Thread.currentThread().interrupt();
    }
  }

  /**
   * Applies completions until nothing counted by {@code running} runs or the deadline passes.
   *
   * @param running handler calls still to wait for
   * @param deadlineNanos {@code System.nanoTime()} to give up at
   * @param stepNanos the longest single wait, so the caller's other duties are not starved
   * @return the calls still running
   */
  int awaitIdle(IntSupplier running, long deadlineNanos, long stepNanos) {
    while (running.getAsInt() > 0 && System.nanoTime() - deadlineNanos < 0) {
      await(Math.min(stepNanos, deadlineNanos - System.nanoTime()));
      drain();
    }
    drain();
    return running.getAsInt();
  }

  private void apply(Completion<K, V> completion) {
    Work<K, V> work = completion.work();
    PartitionState<K, V> state = work.owner();
    // Lanes are settled whatever the assignment: records a fast-path run handed back go to their
    // key lanes even for an old one, where workers abandon them, so nothing stays queued forever.
    settle.accept(completion);
    if (state.isRetired()) {
      // Polled under an assignment that has since been revoked, lost or reset: never commit it.
      log.trace("dropping completion of {} from an old assignment", state);
      return;
    }
    // Failed or abandoned work may have finished a prefix of its records; the rest stays
    // unfinished, so the commit stops before it.
    state.finish(work, completion.outcome() == Outcome.DONE ? work.records().size() : work.cursor);
    if (completion.outcome() == Outcome.FAILED) {
      onFailure.accept(completion.error());
    }
  }
}
