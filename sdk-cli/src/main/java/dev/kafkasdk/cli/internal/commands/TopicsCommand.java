package dev.kafkasdk.cli.internal.commands;

import dev.kafkasdk.cli.internal.CommandGroup;
import picocli.CommandLine.Command;

/** {@code ksdk topics}: review, plan and apply topics. */
@Command(
    name = "topics",
    mixinStandardHelpOptions = true,
    description = "Review, plan and apply topics.",
    synopsisSubcommandLabel = "COMMAND",
    subcommands = {TopicsReviewCommand.class, TopicsPlanCommand.class, TopicsApplyCommand.class})
public final class TopicsCommand extends CommandGroup {}
