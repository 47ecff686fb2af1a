package dev.kafkasdk.consumer;

import dev.kafkasdk.core.KafkaSdkException;
import java.util.Objects;
import org.apache.kafka.common.TopicPartition;

/**
 * Reported by {@link ConsumerRunner#failure()} when a record failed and the runner stopped. The
 * cause says what failed (the handler's exception or a {@link DeserializationFailure}, for
 * example); the partition and offset identify the record (for a batch, its first record). Nothing
 * at or after that offset was committed.
 */
public final class HandlerFailedException extends KafkaSdkException {
  private static final long serialVersionUID = 1L;

  private final TopicPartition partition;
  private final long offset;

  /**
   * Creates the exception.
   *
   * @param partition the record's partition
   * @param offset the record's offset
   * @param cause what the handler threw
   */
  public HandlerFailedException(TopicPartition partition, long offset, Throwable cause) {
    super(
        "handler failed on "
            + Objects.requireNonNull(partition, "partition")
            + " at offset "
            + offset
            + ": "
            + cause,
        cause);
    this.partition = partition;
    this.offset = offset;
  }

  /**
   * Returns the partition of the record that failed.
   *
   * @return the partition
   */
  public TopicPartition partition() {
    return partition;
  }

  /**
   * Returns the offset of the record that failed (the first record of a failed batch).
   *
   * @return the offset
   */
  public long offset() {
    return offset;
  }
}
