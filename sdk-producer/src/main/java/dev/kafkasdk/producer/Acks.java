package dev.kafkasdk.producer;

/**
 * Kafka's {@code acks} setting: how many replicas must store a record before the broker
 * acknowledges it.
 *
 * <p>The SDK always uses {@link #ALL}. The weaker values exist only for {@link
 * ReliableProducer.Builder#unsafeAcks(Acks)}, an explicit opt-in that turns idempotence off and
 * logs what can be lost.
 */
public enum Acks {
  /**
   * {@code acks=all}: every in-sync replica has the record. With the topic's {@code
   * min.insync.replicas=2} (and replication factor 3) an acknowledged record survives the loss of
   * one broker. Required for idempotence and transactions.
   */
  ALL("all"),

  /**
   * {@code acks=1}: only the partition leader has the record. It is lost if the leader fails before
   * a follower copies it.
   */
  ONE("1"),

  /**
   * {@code acks=0}: the producer does not wait for the broker at all. Any failure loses records
   * silently, retries are meaningless, and acknowledged offsets are -1.
   */
  ZERO("0");

  private final String kafkaValue;

  Acks(String kafkaValue) {
    this.kafkaValue = kafkaValue;
  }

  /**
   * Returns the value of Kafka's {@code acks} property.
   *
   * @return {@code all}, {@code 1} or {@code 0}
   */
  public String kafkaValue() {
    return kafkaValue;
  }
}
