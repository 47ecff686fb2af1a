package dev.kafkasdk.consumer.internal;

import java.util.List;
import org.apache.kafka.clients.consumer.ConsumerRecord;

/**
 * Decides what a handler failure means for the records involved. This is the seam between "the
 * handler threw" and "the record is done or failed": retries, dead-letter publishing or skipping
 * poison pills plug in here without touching offset tracking or dispatch.
 *
 * <p>Called on the worker thread that ran the handler.
 */
@FunctionalInterface
public interface FailurePolicy {

  /** Stops the runner on any failure; nothing at or after the failed record is committed. */
  FailurePolicy STOP = (records, error) -> Disposition.FAILED;

  /**
   * Decides the fate of records whose handler call threw.
   *
   * @param records the records of the failed call
   * @param error what the handler threw
   * @return {@link Disposition#DONE} to treat the records as processed (their offsets may be
   *     committed), {@link Disposition#FAILED} to stop the runner
   */
  Disposition onFailure(List<? extends ConsumerRecord<?, ?>> records, Throwable error);

  /** The outcome a policy chooses. */
  enum Disposition {
    /** The records count as processed, for example after publishing them to a dead-letter topic. */
    DONE,
    /** The records failed: the runner stops and never commits past them. */
    FAILED
  }
}
