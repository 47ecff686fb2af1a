package dev.kafkasdk.cli.internal;

import picocli.CommandLine.Model.CommandSpec;
import picocli.CommandLine.ParameterException;
import picocli.CommandLine.Spec;

/**
 * The base of a command that only groups others ({@code ksdk topics}, {@code ksdk group}): run
 * without a subcommand it is a usage error (exit 2) naming the subcommands.
 */
public abstract class CommandGroup implements Runnable {
  /** The command's model. */
  @Spec protected CommandSpec spec;

  @Override
  public final void run() {
    throw new ParameterException(
        spec.commandLine(),
        "Missing required subcommand: one of " + String.join(", ", spec.subcommands().keySet()));
  }
}
