package dev.kafkasdk.cli.internal.commands;

import dev.kafkasdk.cli.internal.CommandGroup;
import picocli.CommandLine.Command;

/** {@code ksdk group}: consumer group progress. */
@Command(
    name = "group",
    mixinStandardHelpOptions = true,
    description = "Consumer group progress: committed offsets, lag and work in flight.",
    synopsisSubcommandLabel = "COMMAND",
    subcommands = {GroupLagCommand.class})
public final class GroupCommand extends CommandGroup {}
