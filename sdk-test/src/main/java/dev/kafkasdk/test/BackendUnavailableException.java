package dev.kafkasdk.test;

import dev.kafkasdk.core.KafkaSdkException;

/**
 * The requested backend cannot run on this machine, for example Testcontainers without a Docker
 * engine. {@link KafkaTest} turns it into a skipped test with this message as the reason; it never
 * silently falls back to another backend.
 */
public final class BackendUnavailableException extends KafkaSdkException {
  private static final long serialVersionUID = 1L;

  /**
   * Creates the exception.
   *
   * @param reason why the backend is unavailable, shown as the skip reason
   */
  public BackendUnavailableException(String reason) {
    super(reason);
  }

  /**
   * Creates the exception with its cause.
   *
   * @param reason why the backend is unavailable
   * @param cause what failed when probing the backend
   */
  public BackendUnavailableException(String reason, Throwable cause) {
    super(reason, cause);
  }
}
