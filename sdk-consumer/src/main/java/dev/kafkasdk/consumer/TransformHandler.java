package dev.kafkasdk.consumer;

import org.apache.kafka.clients.consumer.ConsumerRecord;

/**
 * Processes one record in exactly-once mode ({@link
 * ConsumerRunner.Builder#exactlyOnce(dev.kafkasdk.producer.ReliableProducer.Builder, String,
 * TransformHandler)}): whatever it sends to the {@link Output} is committed atomically with the
 * record's offset.
 *
 * <p>If it throws, its own sends are discarded, the output and offsets of the records before it in
 * the batch are committed, and the record is tried again after the retry policy's backoff (or the
 * runner stops when its attempts are used up). If the transaction itself fails, it is aborted and
 * the batch is read again from the committed offsets. So a record may be seen more than once, but
 * only the output of a committed call becomes visible. Side effects outside Kafka are not covered.
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
   * @throws Exception to report that processing failed; the record's output is discarded
   */
  void handle(ConsumerRecord<K, V> record, Output<OK, OV> output) throws Exception;
}
