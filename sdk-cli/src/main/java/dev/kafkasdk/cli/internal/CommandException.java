package dev.kafkasdk.cli.internal;

/**
 * A failure a command describes itself, with the exit code it maps to: printed as one line ({@code
 * ksdk: error: <message>}), never with a stack trace unless {@code --verbose}.
 */
public final class CommandException extends RuntimeException {
  private static final long serialVersionUID = 1L;

  private final int exitCode;

  /**
   * Creates the exception.
   *
   * @param exitCode one of {@link ExitCode}
   * @param message one line saying what is wrong and what to do
   */
  public CommandException(int exitCode, String message) {
    super(message);
    this.exitCode = exitCode;
  }

  /**
   * A usage error (exit 2): a bad option value, an unreadable or invalid file.
   *
   * @param message what is wrong
   * @return the exception
   */
  public static CommandException usage(String message) {
    return new CommandException(ExitCode.USAGE, message);
  }

  /**
   * A refusal (exit 4): a guard or the cluster's authorization said no.
   *
   * @param message what was refused and how to proceed
   * @return the exception
   */
  public static CommandException refused(String message) {
    return new CommandException(ExitCode.REFUSED, message);
  }

  /**
   * The exit code.
   *
   * @return one of {@link ExitCode}
   */
  public int exitCode() {
    return exitCode;
  }
}
