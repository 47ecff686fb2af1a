package dev.kafkasdk.consumer.internal;

import dev.kafkasdk.consumer.CommittedProgress;
import java.time.Duration;
import java.util.Collection;
import java.util.HashMap;
import java.util.Map;
import java.util.OptionalLong;
import org.apache.kafka.clients.consumer.CommitFailedException;
import org.apache.kafka.clients.consumer.Consumer;
import org.apache.kafka.clients.consumer.OffsetAndMetadata;
import org.apache.kafka.common.TopicPartition;
import org.apache.kafka.common.errors.RebalanceInProgressException;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;

/**
 * Commits what the partition states allow ({@link PartitionState#committable()}): asynchronously on
 * the interval, synchronously on revoke and stop. Poll thread only (commit callbacks also run
 * there, inside consumer calls).
 *
 * <p>Each commit carries the partition's {@link CommittedProgress} as its metadata (work done and
 * in flight beyond the committed offset), for tools such as {@code ksdk group lag}. While a record
 * holds the commit back, the confirmed offset is committed again on the interval whenever that
 * progress changed ({@link PartitionState#progressRefresh}), so what tools show stays current.
 *
 * <p>While a rebalance is in progress the group refuses commits ({@link
 * RebalanceInProgressException}): the consumer must first complete the rebalance by polling. That
 * is normal whenever members join or leave, so it is logged once per rebalance at INFO; other
 * failures are logged at WARN. Both name the partition count; the offsets are logged at DEBUG.
 */
final class OffsetCommitter {
  private static final Logger log = LoggerFactory.getLogger(OffsetCommitter.class);

  /** What a synchronous commit achieved. */
  enum Result {
    /** Everything committable is committed (or there was nothing to commit). */
    DONE,
    /**
     * Refused because the group's membership is changing: a rebalance is in progress (classic
     * protocol), or a rebalance has moved the member epoch on (KIP-848: a {@code
     * CommitFailedException} for a stale member epoch). Polling completes the rebalance; then the
     * partitions still owned can be committed again, and lost ones are known as lost.
     */
    REBALANCING,
    /** Failed otherwise: the records after the last commit will be delivered again. */
    FAILED
  }

  private final String name;
  private final Consumer<?, ?> consumer;
  private final RunnerMetrics metrics;

  /** Whether a refusal for a rebalance was logged since the last accepted commit. */
  private boolean rebalanceReported;

  OffsetCommitter(String name, Consumer<?, ?> consumer, RunnerMetrics metrics) {
    this.name = name;
    this.consumer = consumer;
    this.metrics = metrics;
  }

  /** Sends the progress not yet sent; a failed commit is retried on the next call. */
  void commitAsync(Collection<? extends PartitionState<?, ?>> states) {
    Map<TopicPartition, OffsetAndMetadata> offsets = new HashMap<>();
    Map<TopicPartition, PartitionState<?, ?>> committing = new HashMap<>();
    for (PartitionState<?, ?> state : states) {
      OptionalLong next = state.nextAsyncCommit();
      String progress = state.progress().encode();
      if (next.isEmpty()) {
        next = state.progressRefresh(progress);
      }
      if (next.isPresent()) {
        state.progressSent(progress);
        offsets.put(state.partition(), new OffsetAndMetadata(next.getAsLong(), progress));
        committing.put(state.partition(), state);
      }
    }
    if (offsets.isEmpty()) {
      return;
    }
    long start = System.nanoTime();
    log.debug("{}: committing {}", name, offsets);
    consumer.commitAsync(
        offsets,
        (committed, error) -> {
          metrics.commit(false, error == null, System.nanoTime() - start);
          for (Map.Entry<TopicPartition, PartitionState<?, ?>> entry : committing.entrySet()) {
            long offset = offsets.get(entry.getKey()).offset();
            if (error == null) {
              entry.getValue().commitAccepted(offset);
            } else {
              entry.getValue().commitRefused(offset);
            }
          }
          if (error == null) {
            rebalanceReported = false;
          } else {
            refused(offsets, error, "it is retried on the next commit interval");
          }
        });
  }

  /**
   * Commits what is committable for the given partitions and waits for the answer.
   *
   * @return {@link Result#REBALANCING} if the group refused the commit because its membership is
   *     changing: the caller may complete the rebalance by polling and call again
   */
  Result commitSync(Collection<? extends PartitionState<?, ?>> states, Duration timeout) {
    Map<TopicPartition, OffsetAndMetadata> offsets = new HashMap<>();
    for (PartitionState<?, ?> state : states) {
      OptionalLong committable = state.committable();
      if (committable.isPresent()) {
        String progress = state.progress().encode();
        state.progressSent(progress);
        offsets.put(state.partition(), new OffsetAndMetadata(committable.getAsLong(), progress));
      }
    }
    if (offsets.isEmpty()) {
      return Result.DONE;
    }
    long start = System.nanoTime();
    try {
      consumer.commitSync(offsets, timeout);
      metrics.commit(true, true, System.nanoTime() - start);
      for (PartitionState<?, ?> state : states) {
        OffsetAndMetadata offset = offsets.get(state.partition());
        if (offset != null) {
          state.commitAccepted(offset.offset());
        }
      }
      rebalanceReported = false;
      log.debug("{}: committed {}", name, offsets);
      return Result.DONE;
    } catch (RebalanceInProgressException | CommitFailedException e) {
      // Expected during a rebalance; the caller decides what happens next and says so.
      metrics.commit(true, false, System.nanoTime() - start);
      log.debug("{}: commit of {} refused during a rebalance: {}", name, offsets, e.toString());
      return Result.REBALANCING;
    } catch (RuntimeException e) {
      metrics.commit(true, false, System.nanoTime() - start);
      refused(offsets, e, "records after the last successful commit will be delivered again");
      return Result.FAILED;
    }
  }

  private void refused(
      Map<TopicPartition, OffsetAndMetadata> offsets, Exception error, String consequence) {
    log.debug("{}: commit of {} failed: {}", name, offsets, error.toString());
    if (error instanceof RebalanceInProgressException) {
      if (!rebalanceReported) {
        rebalanceReported = true;
        log.info(
            "{}: the group is rebalancing, so the commit of {} partition(s) waits; {}",
            name,
            offsets.size(),
            consequence);
      }
    } else {
      log.warn(
          "{}: commit of {} partition(s) failed: {}; {}",
          name,
          offsets.size(),
          error.toString(),
          consequence);
    }
  }
}
