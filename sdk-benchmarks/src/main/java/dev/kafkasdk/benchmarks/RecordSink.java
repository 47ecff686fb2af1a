package dev.kafkasdk.benchmarks;

/**
 * Where a peer library's handler reports each record it handled, in plain values rather than a
 * {@code ConsumerRecord}: a peer loaded in its own class loader (Confluent's Parallel Consumer, on
 * its own kafka-clients) has a {@code ConsumerRecord} class of its own, which this module's code
 * cannot take. Public only so that such a peer's adapter, in another package, can implement and
 * call it.
 */
public interface RecordSink {

  /**
   * Reports one handled record; called by the peer's handler threads.
   *
   * @param partition its partition
   * @param offset its offset
   * @param key its key bytes
   * @param valueSize its serialized value size
   * @throws InterruptedException if the handler was interrupted (the record is then not handled)
   */
  void handled(int partition, long offset, byte[] key, int valueSize) throws InterruptedException;
}
