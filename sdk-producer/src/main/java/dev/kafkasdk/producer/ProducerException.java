package dev.kafkasdk.producer;

import dev.kafkasdk.core.KafkaSdkException;
import java.util.Objects;

/**
 * Root of the SDK's producer failures: a Kafka error, wrapped once, with the {@link ErrorCategory}
 * that says what to do about it.
 *
 * <p>The original Kafka exception is the {@linkplain #getCause() cause}. Programming errors are
 * never wrapped: {@link IllegalStateException} (for example using a closed producer) and {@link
 * IllegalArgumentException} reach the caller unchanged.
 *
 * <pre>{@code
 * try {
 *   producer.sendAndWait(record, Duration.ofSeconds(30));
 * } catch (ProducerException e) {
 *   log.error("send failed ({}): {}", e.category(), e.category().action(), e);
 * }
 * }</pre>
 */
public abstract sealed class ProducerException extends KafkaSdkException
    permits ProducerSendException, TransactionFailedException {
  private static final long serialVersionUID = 1L;

  private final ErrorCategory category;

  ProducerException(String message, ErrorCategory category, Throwable cause) {
    super(message, cause);
    this.category = Objects.requireNonNull(category, "category");
  }

  /**
   * Returns the category of this failure; {@link ErrorCategory#action()} says what to do.
   *
   * @return the category, never null
   */
  public ErrorCategory category() {
    return category;
  }
}
