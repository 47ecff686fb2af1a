package dev.kafkasdk.producer;

import java.util.Objects;

/**
 * One record could not be sent. Thrown by {@link ReliableProducer#sendAndWait} and used to complete
 * the futures of {@link ReliableProducer#send} and {@link Transaction#send} exceptionally.
 *
 * <p>The failure concerns this record only unless the {@linkplain #category() category} is {@link
 * ErrorCategory#PRODUCER_FATAL} or {@link ErrorCategory#CONFIGURATION}.
 *
 * <pre>{@code
 * producer.send(record).whenComplete((metadata, error) -> {
 *   if (error instanceof ProducerSendException e && e.category() == ErrorCategory.INVALID_RECORD) {
 *     deadLetter(record, e);
 *   }
 * });
 * }</pre>
 */
public final class ProducerSendException extends ProducerException {
  private static final long serialVersionUID = 1L;

  private final String topic;
  private final int partition;

  /**
   * Creates the exception.
   *
   * @param topic the record's topic
   * @param partition the partition, or -1 if not known
   * @param category what the failure means
   * @param message what happened
   * @param cause the Kafka error, may be null (e.g. the circuit breaker rejected the send)
   * @throws NullPointerException if {@code topic}, {@code category} or {@code message} is null
   */
  public ProducerSendException(
      String topic, int partition, ErrorCategory category, String message, Throwable cause) {
    super(Objects.requireNonNull(message, "message"), category, cause);
    this.topic = Objects.requireNonNull(topic, "topic");
    this.partition = partition;
  }

  /**
   * Returns the topic of the record that failed.
   *
   * @return the topic, never null
   */
  public String topic() {
    return topic;
  }

  /**
   * Returns the partition of the record that failed, when known.
   *
   * @return the partition, or -1 if the record was not assigned one
   */
  public int partition() {
    return partition;
  }
}
