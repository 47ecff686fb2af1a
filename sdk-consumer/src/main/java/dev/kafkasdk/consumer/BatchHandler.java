package dev.kafkasdk.consumer;

import java.util.List;
import org.apache.kafka.clients.consumer.ConsumerRecord;

/**
 * Processes several records at once, for example to write them to a database in one statement.
 * Called on a worker thread, never on the thread that polls Kafka.
 *
 * <p>A batch holds records of a single partition in offset order, at most {@link
 * ConsumerRunner.Builder#maxBatchSize(int)} of them, all taken from one poll and all in the same
 * ordering lane: the whole partition for {@link Ordering#PARTITION} and thread-per-partition, a
 * single key for {@link Ordering#KEY}. The batch succeeds or fails as a unit: if this method
 * throws, the whole batch is retried, dead-lettered, skipped or stops the runner as the {@link
 * RetryPolicy} and {@link FailureAction} say (by default the runner stops and none of the batch's
 * offsets is committed). A record that cannot be deserialized is never part of a batch.
 *
 * <pre>{@code
 * BatchHandler<String, String> handler = records -> repository.saveAll(records);
 * }</pre>
 *
 * @param <K> key type
 * @param <V> value type
 */
@FunctionalInterface
public interface BatchHandler<K, V> {

  /**
   * Processes a batch.
   *
   * @param records the records, never empty, unmodifiable
   * @throws Exception to report that processing failed; the failure policy then decides
   */
  void handle(List<ConsumerRecord<K, V>> records) throws Exception;
}
