package dev.kafkasdk.cli.internal;

import dev.kafkasdk.core.SdkConfigException;
import dev.kafkasdk.core.internal.AccessFailure;
import dev.kafkasdk.core.internal.CauseChain;
import dev.kafkasdk.core.internal.SecretRedaction;
import dev.kafkasdk.topics.TopicChangeRefusedException;
import java.io.PrintWriter;
import java.io.StringWriter;
import java.util.Map;
import java.util.concurrent.ExecutionException;
import org.apache.kafka.common.config.ConfigException;
import org.apache.kafka.common.errors.DisconnectException;
import org.apache.kafka.common.errors.TimeoutException;

/**
 * What an error means for the operator: its exit code and one line saying what happened. Secrets of
 * the client configuration never appear in the line or in a {@code --verbose} stack trace.
 *
 * @param exitCode one of {@link ExitCode}
 * @param message one line, no stack trace
 */
public record Failure(int exitCode, String message) {

  /**
   * Classifies an error without a client configuration to scrub.
   *
   * @param error the error
   * @return its exit code and line
   */
  public static Failure of(Throwable error) {
    return of(error, Map.of());
  }

  /**
   * Classifies an error: refusals (authentication, authorization, SDK guards) exit 4, an
   * unreachable or silent cluster exits 3, bad configuration exits 2, anything else 5.
   *
   * @param error the error
   * @param clientConfig the configuration whose secrets must be scrubbed from the message
   * @return its exit code and line
   */
  public static Failure of(Throwable error, Map<String, ?> clientConfig) {
    Throwable e = unwrap(error);
    if (e instanceof CommandException c) {
      return new Failure(c.exitCode(), scrub(c.getMessage(), clientConfig));
    }
    if (e instanceof TopicChangeRefusedException) {
      return new Failure(ExitCode.REFUSED, scrub(e.getMessage(), clientConfig));
    }
    var access = AccessFailure.describe(e);
    if (access.isPresent()) {
      return new Failure(ExitCode.REFUSED, scrub(access.get(), clientConfig));
    }
    Throwable timeout =
        CauseChain.first(
            e,
            t ->
                t instanceof TimeoutException
                    || t instanceof DisconnectException
                    || t instanceof java.util.concurrent.TimeoutException);
    if (timeout != null) {
      return new Failure(
          ExitCode.CLUSTER,
          "the cluster did not answer in time ("
              + scrub(text(e), clientConfig)
              + "). Check --bootstrap-server, the network and --command-config, or raise"
              + " --timeout.");
    }
    if (e instanceof SdkConfigException || e instanceof ConfigException) {
      return new Failure(ExitCode.USAGE, scrub(text(e), clientConfig));
    }
    if (e instanceof dev.kafkasdk.topics.TopicAdminException) {
      return new Failure(ExitCode.CLUSTER, scrub(text(e), clientConfig));
    }
    return new Failure(
        ExitCode.UNEXPECTED,
        "unexpected "
            + e.getClass().getSimpleName()
            + ": "
            + scrub(text(e), clientConfig)
            + " (run with --verbose for the stack trace)");
  }

  /**
   * The stack trace of an error, scrubbed of the configuration's secrets (for {@code --verbose}).
   *
   * @param error the error
   * @param clientConfig the configuration whose secrets must be scrubbed
   * @return the printed stack trace
   */
  public static String stackTrace(Throwable error, Map<String, ?> clientConfig) {
    StringWriter trace = new StringWriter();
    error.printStackTrace(new PrintWriter(trace));
    return SecretRedaction.scrub(trace.toString(), clientConfig);
  }

  /**
   * Joins a message's lines into one.
   *
   * @param text the message, may be null
   * @return one line, empty for null
   */
  public static String oneLine(String text) {
    return text == null ? "" : text.replaceAll("\\s*\\R\\s*", " ").trim();
  }

  private static String text(Throwable e) {
    String message = e.getMessage();
    return oneLine(message == null || message.isBlank() ? e.getClass().getSimpleName() : message);
  }

  private static String scrub(String text, Map<String, ?> clientConfig) {
    return oneLine(SecretRedaction.scrub(text, clientConfig));
  }

  private static Throwable unwrap(Throwable error) {
    Throwable e = error;
    while ((e instanceof ExecutionException
            || e instanceof java.util.concurrent.CompletionException
            || e instanceof picocli.CommandLine.ExecutionException)
        && e.getCause() != null) {
      e = e.getCause();
    }
    return e;
  }
}
