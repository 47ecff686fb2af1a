package dev.kafkasdk.producer;

import java.util.Map;
import java.util.concurrent.CompletableFuture;
import org.apache.kafka.clients.consumer.ConsumerGroupMetadata;
import org.apache.kafka.clients.consumer.OffsetAndMetadata;
import org.apache.kafka.clients.producer.ProducerRecord;
import org.apache.kafka.clients.producer.RecordMetadata;
import org.apache.kafka.common.TopicPartition;

/**
 * An open transaction, handed to a {@link TransactionBody}. It offers only what may happen inside a
 * transaction: sends and consumer offsets. Beginning, committing and aborting belong to {@link
 * TransactionalProducer#inTransaction}, so they cannot be called in the wrong order.
 *
 * <p>Valid only while the body runs, on any thread; afterwards every method throws {@link
 * IllegalStateException}.
 *
 * @param <K> key type
 * @param <V> value type
 */
public interface Transaction<K, V> {

  /**
   * Sends a record as part of this transaction. There is no need to wait for the future: the commit
   * waits for every send, and a failed send aborts the transaction.
   *
   * @param record the record, headers included
   * @return completes with the record's metadata when the broker has it (still invisible to {@code
   *     read_committed} consumers until the commit), or exceptionally with a {@link
   *     ProducerSendException} classified for transactions
   * @throws IllegalStateException if the transaction is over
   * @throws NullPointerException if {@code record} is null
   */
  CompletableFuture<RecordMetadata> send(ProducerRecord<K, V> record);

  /**
   * Sends a record without headers or explicit partition; see {@link #send(ProducerRecord)}.
   *
   * @param topic the topic
   * @param key the key, may be null
   * @param value the value, may be null
   * @return the record's metadata, as for {@link #send(ProducerRecord)}
   * @throws IllegalStateException if the transaction is over
   */
  default CompletableFuture<RecordMetadata> send(String topic, K key, V value) {
    return send(new ProducerRecord<>(topic, key, value));
  }

  /**
   * Adds consumer offsets to the transaction (consume-transform-produce): they are committed if and
   * only if the transaction's records are. Pass the offsets of the <em>next</em> records to read
   * (last processed offset + 1), and {@code consumer.groupMetadata()} read on the consumer's poll
   * thread: its generation lets the broker reject the commit of a consumer that has lost its
   * partitions in a rebalance (KIP-447). The consumer must run with {@code
   * enable.auto.commit=false} and must not commit on its own.
   *
   * @param offsets next offset to read, per partition
   * @param groupMetadata {@code consumer.groupMetadata()} of the consumer that read the records
   * @throws IllegalStateException if the transaction is over
   * @throws NullPointerException if an argument is null
   * @throws org.apache.kafka.common.KafkaException if Kafka rejects the offsets; the SDK classifies
   *     it when the body ends (a stale generation is {@link ErrorCategory#ABORTABLE})
   */
  void sendOffsets(
      Map<TopicPartition, OffsetAndMetadata> offsets, ConsumerGroupMetadata groupMetadata);

  /**
   * Returns the {@code transactional.id} of the producer running this transaction.
   *
   * @return the transactional id
   */
  String transactionalId();

  /**
   * Returns which attempt this is: 1 for the first run of the body, 2 after one abortable failure.
   *
   * @return the attempt number, starting at 1
   */
  int attempt();
}
