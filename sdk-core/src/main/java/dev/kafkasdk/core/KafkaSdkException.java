package dev.kafkasdk.core;

/**
 * Root of every exception the SDK itself throws or reports: invalid configuration ({@link
 * SdkConfigException}), producer failures, handler failures, topic administration failures, an
 * unavailable test backend.
 *
 * <p>Catching it catches a failure the SDK has already judged and described; the concrete subclass
 * says what happened and, where Kafka was involved, the original Kafka exception is the {@linkplain
 * #getCause() cause}. It does not catch:
 *
 * <ul>
 *   <li>programming errors, which reach the caller unchanged: {@link IllegalArgumentException},
 *       {@link IllegalStateException} (for example a closed producer), {@link
 *       NullPointerException};
 *   <li>{@link InterruptedException} and other checked exceptions a method declares;
 *   <li>Kafka exceptions that a method documents it passes through unchanged.
 * </ul>
 *
 * <p>Applications do not throw it; every SDK module defines its own concrete subclasses.
 */
public abstract class KafkaSdkException extends RuntimeException {
  private static final long serialVersionUID = 1L;

  /**
   * Creates the exception.
   *
   * @param message what failed
   */
  protected KafkaSdkException(String message) {
    super(message);
  }

  /**
   * Creates the exception with its cause.
   *
   * @param message what failed
   * @param cause the underlying error, may be null
   */
  protected KafkaSdkException(String message, Throwable cause) {
    super(message, cause);
  }
}
