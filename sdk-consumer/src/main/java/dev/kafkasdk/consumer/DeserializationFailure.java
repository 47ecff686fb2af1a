package dev.kafkasdk.consumer;

import dev.kafkasdk.core.KafkaSdkException;
import java.io.Serial;
import org.apache.kafka.common.TopicPartition;

/**
 * A record whose key or value the runner's deserializer rejected (a "poison pill"). The runner
 * deserializes each record on its own, so one such record never breaks the records around it: it
 * reaches the {@linkplain ConsumerRunner.Builder#onFailure(FailureAction) failure action} as this
 * exception, is never retried and never given to the handler, and is dead-lettered with its
 * original bytes.
 *
 * <p>The raw bytes are not kept in the exception (it may be logged or serialized); the dead letter
 * carries them.
 */
public final class DeserializationFailure extends KafkaSdkException {
  @Serial private static final long serialVersionUID = 1L;

  private final TopicPartition partition;
  private final long offset;
  private final boolean key;

  /**
   * Creates the exception.
   *
   * @param partition the record's partition
   * @param offset its offset
   * @param key true if the key failed, false if the value did
   * @param cause what the deserializer threw
   */
  public DeserializationFailure(
      TopicPartition partition, long offset, boolean key, Throwable cause) {
    super(
        "cannot deserialize the "
            + (key ? "key" : "value")
            + " of the record at "
            + partition
            + " offset "
            + offset
            + ": "
            + cause,
        cause);
    this.partition = partition;
    this.offset = offset;
    this.key = key;
  }

  /**
   * Returns the record's partition.
   *
   * @return the partition
   */
  public TopicPartition partition() {
    return partition;
  }

  /**
   * Returns the record's offset.
   *
   * @return the offset
   */
  public long offset() {
    return offset;
  }

  /**
   * Tells which part failed.
   *
   * @return true if the key could not be deserialized, false if the value could not
   */
  public boolean isKey() {
    return key;
  }
}
