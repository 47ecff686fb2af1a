package dev.kafkasdk.topics;

import org.apache.kafka.clients.consumer.ConsumerRecord;

/**
 * The record handler whose throughput {@link HandlerThroughputProbe} measures: the same code your
 * consumer runs per record.
 *
 * @param <K> key type
 * @param <V> value type
 */
@FunctionalInterface
public interface ProbeHandler<K, V> {
  /**
   * Handles one record.
   *
   * @param record the record
   * @throws Exception any failure; it ends the measurement
   */
  void handle(ConsumerRecord<K, V> record) throws Exception;
}
