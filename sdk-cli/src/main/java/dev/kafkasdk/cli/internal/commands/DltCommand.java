package dev.kafkasdk.cli.internal.commands;

import dev.kafkasdk.cli.internal.CommandGroup;
import picocli.CommandLine.Command;

/** {@code ksdk dlt}: inspect and replay dead letters. */
@Command(
    name = "dlt",
    mixinStandardHelpOptions = true,
    description = "Inspect and replay the dead letters of a dead-letter topic.",
    synopsisSubcommandLabel = "COMMAND",
    subcommands = {DltListCommand.class, DltShowCommand.class, DltReplayCommand.class})
public final class DltCommand extends CommandGroup {}
