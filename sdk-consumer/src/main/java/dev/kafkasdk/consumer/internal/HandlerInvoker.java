package dev.kafkasdk.consumer.internal;

import dev.kafkasdk.consumer.BatchHandler;
import dev.kafkasdk.consumer.RecordHandler;
import java.util.Collections;
import java.util.List;
import org.apache.kafka.clients.consumer.ConsumerRecord;

/**
 * Calls the application's handler with one unit of work: a single record for a {@link
 * RecordHandler}, a batch for a {@link BatchHandler}.
 *
 * @param <K> key type
 * @param <V> value type
 */
@FunctionalInterface
public interface HandlerInvoker<K, V> {

  /**
   * Processes the records.
   *
   * @param records one or more records of one partition, in offset order
   * @throws Exception whatever the handler threw
   */
  void invoke(List<ConsumerRecord<K, V>> records) throws Exception;

  /**
   * Adapts a record handler; it is called with exactly one record at a time.
   *
   * @param handler the handler
   * @param <K> key type
   * @param <V> value type
   * @return the invoker
   */
  static <K, V> HandlerInvoker<K, V> of(RecordHandler<K, V> handler) {
    return records -> {
      for (ConsumerRecord<K, V> record : records) {
        handler.handle(record);
      }
    };
  }

  /**
   * Adapts a batch handler.
   *
   * @param handler the handler
   * @param <K> key type
   * @param <V> value type
   * @return the invoker
   */
  static <K, V> HandlerInvoker<K, V> ofBatch(BatchHandler<K, V> handler) {
    return records -> handler.handle(Collections.unmodifiableList(records));
  }
}
