package dev.kafkasdk.cli.internal;

import dev.kafkasdk.cli.internal.commands.DltCommand;
import dev.kafkasdk.cli.internal.commands.GroupCommand;
import dev.kafkasdk.cli.internal.commands.TopicsCommand;
import java.io.PrintWriter;
import picocli.CommandLine;
import picocli.CommandLine.Command;

/**
 * The top command, {@code ksdk}. It only groups subcommands: run without one it prints a usage
 * error (exit 2).
 *
 * <p>To add a command group, write a class like {@link TopicsCommand} (a {@code @Command} listing
 * its leaf commands) and add it to {@code subcommands} below; see sdk-cli/README.md.
 */
@Command(
    name = "ksdk",
    mixinStandardHelpOptions = true,
    versionProvider = KsdkVersion.class,
    description = "Operator tool for the Kafka SDK: review, plan and apply topics; show group lag.",
    synopsisSubcommandLabel = "COMMAND",
    subcommands = {
      TopicsCommand.class,
      GroupCommand.class,
      DltCommand.class,
      CommandLine.HelpCommand.class
    },
    footer = {
      "",
      "Exit codes:",
      "  0  ok",
      "  1  findings, or the condition checked is not met",
      "  2  usage error (options, files)",
      "  3  cluster unreachable or not answering within --timeout",
      "  4  refused (authentication, authorization, or a guard such as the keyed-topic guard)",
      "  5  unexpected error (run with --verbose for the stack trace)",
      "See docs/cli.md."
    })
public final class KsdkCommand extends CommandGroup {

  /**
   * Parses the command line and runs the chosen command.
   *
   * @param out where results go
   * @param err where errors and progress go
   * @param args the command line
   * @return the exit code, one of {@link ExitCode}
   */
  public static int execute(PrintWriter out, PrintWriter err, String... args) {
    CommandLine cli = commandLine(out, err);
    int code = cli.execute(args);
    out.flush();
    err.flush();
    return code;
  }

  /**
   * Builds the configured command line (also for tests that inspect the command tree).
   *
   * @param out where results go
   * @param err where errors and progress go
   * @return the command line, not yet executed
   */
  public static CommandLine commandLine(PrintWriter out, PrintWriter err) {
    CommandLine cli = new CommandLine(new KsdkCommand());
    cli.setOut(out);
    cli.setErr(err);
    cli.setCaseInsensitiveEnumValuesAllowed(true);
    cli.setParameterExceptionHandler(new UsageErrorHandler());
    // Commands report their own failures (CliCommand); this only catches what escapes them.
    cli.setExecutionExceptionHandler(
        (e, commandLine, parseResult) -> {
          Failure failure = Failure.of(e);
          commandLine.getErr().println("ksdk: error: " + failure.message());
          return failure.exitCode();
        });
    return cli;
  }
}
