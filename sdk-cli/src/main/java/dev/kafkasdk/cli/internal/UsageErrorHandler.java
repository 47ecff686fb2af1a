package dev.kafkasdk.cli.internal;

import picocli.CommandLine;
import picocli.CommandLine.IParameterExceptionHandler;
import picocli.CommandLine.ParameterException;

/**
 * Prints a usage error as one line plus where to find help, instead of picocli's default of the
 * whole usage text, so the mistake is the first thing an operator sees.
 */
final class UsageErrorHandler implements IParameterExceptionHandler {
  @Override
  public int handleParseException(ParameterException e, String[] args) {
    CommandLine command = e.getCommandLine();
    String name = command.getCommandSpec().qualifiedName();
    command.getErr().println("ksdk: usage error: " + Failure.oneLine(e.getMessage()));
    CommandLine.UnmatchedArgumentException.printSuggestions(e, command.getErr());
    command.getErr().println("Try '" + name + " --help' for the options.");
    return ExitCode.USAGE;
  }
}
