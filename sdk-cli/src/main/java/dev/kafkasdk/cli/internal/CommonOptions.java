package dev.kafkasdk.cli.internal;

import picocli.CommandLine.Option;

/**
 * Options every leaf command takes: {@code --output}, {@code --verbose} and {@code --help}. A
 * {@code @Mixin} of {@link CliCommand}, so a new command gets them by extending it.
 */
public final class CommonOptions {
  @Option(
      names = {"-o", "--output"},
      paramLabel = "FORMAT",
      defaultValue = "table",
      description = "table (for people, the default) or json (for scripts).")
  OutputFormat output = OutputFormat.TABLE;

  @Option(
      names = {"-v", "--verbose"},
      description = "Show client logs and the stack trace of an error.")
  boolean verbose;

  @Option(
      names = {"-h", "--help"},
      usageHelp = true,
      description = "Show this help and exit.")
  boolean help;

  /**
   * The chosen output format.
   *
   * @return table or JSON
   */
  public OutputFormat output() {
    return output;
  }

  /**
   * Whether {@code --verbose} was given.
   *
   * @return true to show logs and stack traces
   */
  public boolean verbose() {
    return verbose;
  }
}
