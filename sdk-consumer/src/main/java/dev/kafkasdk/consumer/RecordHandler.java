package dev.kafkasdk.consumer;

import org.apache.kafka.clients.consumer.ConsumerRecord;

/**
 * Processes one record. Called on a worker thread, never on the thread that polls Kafka.
 *
 * <p>The runner commits a record's offset only after this method returns normally for it (or the
 * failure action took care of it) and for every earlier record of the same partition. If it throws,
 * the runner's {@link RetryPolicy} and {@link FailureAction} decide; with the default (no retries,
 * stop) the runner stops: its state becomes {@link ConsumerRunner.State#FAILED FAILED}, {@link
 * ConsumerRunner#failure()} reports a {@link HandlerFailedException}, and no offset at or beyond
 * the failed record is committed, so the record is delivered again to the next consumer of the
 * partition.
 *
 * <p>Implementations must be thread-safe unless the runner's ordering guarantees that the state
 * they touch is confined to one partition or key. Processing may be repeated after a crash or
 * rebalance (at-least-once delivery), so handlers should be idempotent.
 *
 * <pre>{@code
 * RecordHandler<String, String> handler = record -> orders.save(record.key(), record.value());
 * }</pre>
 *
 * @param <K> key type
 * @param <V> value type
 */
@FunctionalInterface
public interface RecordHandler<K, V> {

  /**
   * Processes a record.
   *
   * @param record the record, never null
   * @throws Exception to report that processing failed; the failure policy then decides
   */
  void handle(ConsumerRecord<K, V> record) throws Exception;
}
