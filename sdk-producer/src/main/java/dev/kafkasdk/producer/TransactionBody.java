package dev.kafkasdk.producer;

/**
 * The work of one transaction: the sends (and consumer offsets) that must become visible together
 * or not at all.
 *
 * <p>The body may run more than once: after an {@link ErrorCategory#ABORTABLE} failure the SDK
 * aborts and runs it again. Make it repeatable: send only through the given {@link Transaction} and
 * compute what to send from inputs that do not change between attempts. Throwing from the body
 * aborts the transaction and the exception reaches the caller unchanged.
 *
 * <pre>{@code
 * producer.inTransaction(tx -> {
 *   for (ConsumerRecord<String, String> in : batch) {
 *     tx.send(new ProducerRecord<>("out", in.key(), transform(in.value())));
 *   }
 *   tx.sendOffsets(nextOffsets(batch), consumer.groupMetadata());
 * });
 * }</pre>
 *
 * @param <K> key type
 * @param <V> value type
 */
@FunctionalInterface
public interface TransactionBody<K, V> {
  /**
   * Sends the transaction's records.
   *
   * @param tx the open transaction, valid only until this method returns
   */
  void run(Transaction<K, V> tx);
}
