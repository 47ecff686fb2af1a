package dev.kafkasdk.consumer.internal;

import java.util.Collection;
import java.util.List;
import java.util.function.Consumer;
import org.apache.kafka.clients.consumer.ConsumerRebalanceListener;
import org.apache.kafka.common.TopicPartition;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;

/**
 * A poll loop's rebalance callbacks. Assigned partitions get a new {@link PartitionState} (and a
 * lag gauge), and the pauses are applied again, the application's included; revoked ones stop
 * starting work, wait up to {@code revocationTimeout} for their running handler calls, commit what
 * is finished and are removed; lost ones are removed at once, their work uncommitted.
 *
 * <p>Runs on the poll thread, inside {@code poll()} (and {@code close()}). Never throws: a failure
 * stops the loop.
 *
 * @param <K> key type
 * @param <V> value type
 */
final class PartitionRebalance<K, V> implements ConsumerRebalanceListener {
  private static final Logger log = LoggerFactory.getLogger(PartitionRebalance.class);

  private final LoopContext<K, V> context;
  private final LoopParts<K, V> parts;
  private final Runnable reapplyPauses;
  private final Consumer<Throwable> onFailure;
  // Null unless the retry chain keeps key order.
  private final KeyOrderRebuild keyOrder;

  /**
   * Creates the callbacks.
   *
   * @param context the loop's consumer and settings
   * @param parts the loop's state
   * @param reapplyPauses pauses what must be paused again after an assignment, which resets the
   *     client's pause state
   * @param onFailure stops the loop
   */
  PartitionRebalance(
      LoopContext<K, V> context,
      LoopParts<K, V> parts,
      Runnable reapplyPauses,
      Consumer<Throwable> onFailure) {
    this(context, parts, reapplyPauses, onFailure, null);
  }

  /**
   * Creates the callbacks of a loop whose retry chain keeps key order.
   *
   * @param keyOrder rebuilds the key queues of assigned partitions, or null
   */
  PartitionRebalance(
      LoopContext<K, V> context,
      LoopParts<K, V> parts,
      Runnable reapplyPauses,
      Consumer<Throwable> onFailure,
      KeyOrderRebuild keyOrder) {
    this.keyOrder = keyOrder;
    this.context = context;
    this.parts = parts;
    this.reapplyPauses = reapplyPauses;
    this.onFailure = onFailure;
  }

  @Override
  public void onPartitionsAssigned(Collection<TopicPartition> partitions) {
    try {
      if (keyOrder != null) {
        // Before any record of the partitions is polled, so none is decided on partial queues.
        keyOrder.assigned(context.consumer(), partitions);
      }
      for (TopicPartition partition : partitions) {
        parts.assignments().assign(partition);
      }
      parts.progress().assigned(partitions);
      reapplyPauses.run();
      if (!partitions.isEmpty()) {
        context.reports().metrics().assigned(partitions.size());
        log.info("{}: assigned {}", context.name(), partitions);
      }
    } catch (RuntimeException e) {
      onFailure.accept(e);
    }
  }

  @Override
  public void onPartitionsRevoked(Collection<TopicPartition> partitions) {
    try {
      revoked(partitions);
    } catch (RuntimeException e) {
      onFailure.accept(e);
    }
  }

  @Override
  public void onPartitionsLost(Collection<TopicPartition> partitions) {
    try {
      if (keyOrder != null) {
        keyOrder.removed(partitions);
      }
      List<PartitionState<K, V>> lost = parts.assignments().revoke(partitions);
      if (lost.isEmpty()) {
        return;
      }
      remove(lost);
      context.reports().metrics().lost(lost.size());
      log.warn(
          "{}: lost {} (the group moved on without this member); in-flight work is dropped"
              + " uncommitted",
          context.name(),
          partitions);
    } catch (RuntimeException e) {
      onFailure.accept(e);
    }
  }

  private void revoked(Collection<TopicPartition> partitions) {
    if (keyOrder != null) {
      keyOrder.removed(partitions);
    }
    List<PartitionState<K, V>> revoked = parts.assignments().revoke(partitions);
    if (revoked.isEmpty()) {
      return;
    }
    RunnerSettings<K, V> settings = context.settings();
    long deadline = System.nanoTime() + settings.revocationTimeout().toNanos();
    int abandoned =
        parts
            .inbox()
            .awaitIdle(
                () -> Assignments.running(revoked), deadline, settings.pollTimeout().toNanos());
    if (abandoned > 0) {
      log.warn(
          "{}: revoking {} while {} handler call(s) still run after {} ms; their records are not"
              + " committed and go to the new owner",
          context.name(),
          partitions,
          abandoned,
          settings.revocationTimeout().toMillis());
    }
    if (parts.committer().commitSync(revoked, settings.revocationTimeout())
        == OffsetCommitter.Result.REBALANCING) {
      // Kafka calls this between the rounds of a rebalance, where commits are accepted; a refusal
      // cannot be waited out here, as the partitions belong to the next owner when this returns.
      log.warn(
          "{}: the commit of revoked {} was refused for a rebalance in progress; the new owner"
              + " gets the records after their last commit again",
          context.name(),
          partitions);
    }
    remove(revoked);
    context.reports().metrics().revoked(revoked.size());
    log.info("{}: revoked {}", context.name(), partitions);
  }

  private void remove(List<PartitionState<K, V>> removed) {
    parts.assignments().remove(removed);
    List<TopicPartition> partitions = removed.stream().map(PartitionState::partition).toList();
    parts.pauses().forget(partitions);
    parts.progress().removed(partitions);
    context.reports().stats().inFlight(parts.assignments().tracked());
  }
}
