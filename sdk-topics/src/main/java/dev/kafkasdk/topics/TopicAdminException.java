package dev.kafkasdk.topics;

import dev.kafkasdk.core.KafkaSdkException;

/**
 * An Admin operation of {@link TopicAdmin} failed: the broker refused the request, did not answer
 * within the timeout, or the topic does not exist. The cause is the Admin client's exception, for
 * example {@code InvalidConfigurationException} or {@code TimeoutException}.
 */
public final class TopicAdminException extends KafkaSdkException {
  private static final long serialVersionUID = 1L;

  /**
   * Creates the exception.
   *
   * @param message what failed, naming the topic
   * @param cause the underlying error, may be null
   */
  public TopicAdminException(String message, Throwable cause) {
    super(message, cause);
  }
}
