package dev.kafkasdk.consumer;

import dev.kafkasdk.core.KafkaSdkException;
import java.util.Objects;

/**
 * Reported by {@link ConsumerRunner#failure()} when the cluster refused the runner's consumer:
 * authentication failed (wrong password, unknown user, a TLS certificate the client does not trust)
 * or an ACL is missing (READ on a topic or the group, or, in exactly-once mode, the output
 * producer's WRITE or transactional-id ACLs). The runner stops at once with state {@link
 * ConsumerRunner.State#FAILED} instead of retrying: no retry can succeed until an operator changes
 * the credentials or the ACLs.
 *
 * <p>The message names what was refused (the topics or the group Kafka reports) and the fix; the
 * cause is Kafka's own exception ({@code SaslAuthenticationException}, {@code
 * TopicAuthorizationException}, {@code GroupAuthorizationException}, ...), so {@code
 * ErrorCategory.of(failure)} is {@code CONFIGURATION}. Nothing past an unfinished record was
 * committed. After the fix, build and start a new runner: it resumes from the group's committed
 * offsets.
 *
 * <pre>{@code
 * runner.failure().ifPresent(f -> {
 *   if (f instanceof ClusterAccessException) {
 *     alert("fix credentials or ACLs, then restart: " + f.getMessage());
 *   }
 * });
 * }</pre>
 */
public final class ClusterAccessException extends KafkaSdkException {
  private static final long serialVersionUID = 1L;

  /**
   * Creates the exception.
   *
   * @param message what was refused and the fix
   * @param cause Kafka's authentication or authorization exception, or the SDK exception around it
   * @throws NullPointerException if an argument is null
   */
  public ClusterAccessException(String message, Throwable cause) {
    super(Objects.requireNonNull(message, "message"), Objects.requireNonNull(cause, "cause"));
  }
}
