package dev.kafkasdk.topics.internal;

import dev.kafkasdk.topics.TopicAdminException;
import java.time.Duration;
import java.util.concurrent.ExecutionException;
import java.util.concurrent.TimeUnit;
import java.util.concurrent.TimeoutException;
import org.apache.kafka.common.KafkaFuture;

/** Waits for Admin client futures, turning every failure into a {@link TopicAdminException}. */
public final class AdminCalls {
  private AdminCalls() {}

  /**
   * Waits for a future.
   *
   * @param future the Admin client's future
   * @param timeout how long to wait
   * @param what the operation, for the message (for example {@code create topic orders})
   * @param <T> the result type
   * @return the result
   * @throws TopicAdminException whose cause is the Admin client's exception, or a {@link
   *     TimeoutException}
   */
  public static <T> T await(KafkaFuture<T> future, Duration timeout, String what) {
    try {
      return future.get(timeout.toMillis(), TimeUnit.MILLISECONDS);
    } catch (ExecutionException e) {
      Throwable cause = e.getCause() == null ? e : e.getCause();
      throw new TopicAdminException("failed to " + what + ": " + cause.getMessage(), cause);
    } catch (TimeoutException e) {
      throw new TopicAdminException("failed to " + what + " within " + timeout, e);
    } catch (InterruptedException e) {
      Thread.currentThread().interrupt();
      throw new TopicAdminException("interrupted while trying to " + what, e);
    }
  }
}
