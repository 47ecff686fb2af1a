package dev.kafkasdk.consumer.internal;

import io.micrometer.observation.Observation;
import java.time.Duration;
import java.util.List;
import java.util.concurrent.CompletionStage;
import org.apache.kafka.clients.consumer.ConsumerRecord;

/**
 * Decides what a handler failure means for the records involved. This is the seam between "the
 * handler threw" and "the record is done or failed": retries, dead letters and skipping plug in
 * here without touching offset tracking or dispatch.
 *
 * <p>Called on the worker thread that ran the handler. Whatever it decides, the records stay in
 * flight (uncommittable) until the decision is final: while a retry waits, and until a dead letter
 * is acknowledged.
 */
@FunctionalInterface
public interface FailurePolicy {

  /** Stops the runner on any failure; nothing at or after the failed record is committed. */
  FailurePolicy STOP = failure -> Decision.STOP;

  /**
   * Decides the fate of records whose handler call threw (or which could not be deserialized).
   *
   * @param failure the records, the error and the attempts so far
   * @return the decision
   */
  Decision onFailure(Failure failure);

  /**
   * A failed unit of work.
   *
   * @param records the records as given to the handler (key and value null for a record that could
   *     not be deserialized)
   * @param raw the same records with their original bytes
   * @param error what the handler (or deserializer) threw
   * @param attempts handler calls made so far (0 for a record that could not be deserialized)
   * @param sinceFirstFailure time since the first failure of these records
   * @param failedCall the failed call's process observation, or null when calls are not observed
   *     (or the records could not be deserialized): a dead letter links to it
   */
  record Failure(
      List<? extends ConsumerRecord<?, ?>> records,
      List<ConsumerRecord<byte[], byte[]>> raw,
      Throwable error,
      int attempts,
      Duration sinceFirstFailure,
      Observation failedCall) {}

  /** What a policy chooses. */
  sealed interface Decision {
    /** The records count as processed (skipped); their offsets may be committed. */
    Decision DONE = new Done();

    /** The runner stops and never commits past the records. */
    Decision STOP = new Stop();

    /** See {@link #DONE}. */
    record Done() implements Decision {}

    /** See {@link #STOP}. */
    record Stop() implements Decision {}

    /**
     * Run the handler again after {@code delay}; the records' lane waits meanwhile.
     *
     * @param delay the wait
     */
    record Retry(Duration delay) implements Decision {}

    /**
     * The records count as processed once {@code done} completes normally (for example when a dead
     * letter is acknowledged); if it completes exceptionally the runner stops. The records' lane
     * waits meanwhile.
     *
     * @param done completes when the records are taken care of
     */
    record Await(CompletionStage<?> done) implements Decision {}
  }
}
