package dev.kafkasdk.cli.internal;

import java.util.Map;
import java.util.concurrent.Callable;
import picocli.CommandLine.Mixin;
import picocli.CommandLine.Model.CommandSpec;
import picocli.CommandLine.Spec;

/**
 * The base of every leaf command: gives it {@code --output}, {@code --verbose} and {@code --help},
 * an {@link Output}, and turns any exception into one line on standard error and an {@link
 * ExitCode} (with the stack trace only under {@code --verbose}).
 *
 * <p>A command implements {@link #run(Output)} and returns {@link ExitCode#OK} or {@link
 * ExitCode#CONDITION_NOT_MET}; for other outcomes it throws (a {@link CommandException}, or the
 * SDK's or Kafka's exception, which {@link Failure} classifies).
 */
public abstract class CliCommand implements Callable<Integer> {
  /** {@code --output}, {@code --verbose}, {@code --help}. */
  @Mixin protected CommonOptions common;

  /** The command's model, for its streams and name. */
  @Spec protected CommandSpec spec;

  /**
   * Runs the command.
   *
   * @param output where to print results
   * @return {@link ExitCode#OK} or {@link ExitCode#CONDITION_NOT_MET}
   * @throws Exception any failure; classified by {@link Failure}
   */
  protected abstract int run(Output output) throws Exception;

  /**
   * The client configuration whose secrets must be scrubbed from error messages.
   *
   * @return empty unless the command talks to a cluster
   */
  protected Map<String, ?> secretsToHide() {
    return Map.of();
  }

  @Override
  public final Integer call() {
    Output output =
        new Output(spec.commandLine().getOut(), spec.commandLine().getErr(), common.output());
    try {
      return run(output);
    } catch (Exception e) {
      Map<String, ?> secrets = safeSecrets();
      Failure failure = Failure.of(e, secrets);
      output.flush();
      if (common.verbose()) {
        output.err().print(Failure.stackTrace(e, secrets));
      }
      output.err().println("ksdk: error: " + failure.message());
      output.err().flush();
      return failure.exitCode();
    }
  }

  private Map<String, ?> safeSecrets() {
    try {
      return secretsToHide();
    } catch (RuntimeException e) {
      return Map.of();
    }
  }
}
