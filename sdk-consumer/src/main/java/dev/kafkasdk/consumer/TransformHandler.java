package dev.kafkasdk.consumer;

import org.apache.kafka.clients.consumer.ConsumerRecord;

/**
 * Processes one record in exactly-once mode ({@link
 * ConsumerRunner.Builder#exactlyOnce(dev.kafkasdk.producer.ReliableProducer.Builder, String,
 * TransformHandler)}): whatever it sends to the {@link Output} is committed atomically with the
 * record's offset.
 *
 * <p>If it throws, the whole poll batch's transaction is aborted and the batch is read again from
 * the last committed offsets, so it may see a record more than once; only the output of the
 * committed attempt becomes visible. Side effects outside Kafka are not covered.
 *
 * <pre>{@code
 * TransformHandler<String, String, String, String> upper =
 *     (in, out) -> out.send("orders-upper", in.key(), in.value().toUpperCase());
 * }</pre>
 *
 * @param <K> input key type
 * @param <V> input value type
 * @param <OK> output key type
 * @param <OV> output value type
 */
@FunctionalInterface
public interface TransformHandler<K, V, OK, OV> {

  /**
   * Transforms a record.
   *
   * @param record the input record
   * @param output where to send output records
   * @throws Exception to abort the batch's transaction
   */
  void handle(ConsumerRecord<K, V> record, Output<OK, OV> output) throws Exception;
}
