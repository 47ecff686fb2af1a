package dev.kafkasdk.cli.internal.commands;

import dev.kafkasdk.cli.internal.ClusterCommand;
import dev.kafkasdk.cli.internal.CommandException;
import dev.kafkasdk.cli.internal.ExitCode;
import dev.kafkasdk.cli.internal.Output;
import dev.kafkasdk.cli.internal.Table;
import dev.kafkasdk.consumer.DeadLetter;
import dev.kafkasdk.consumer.DeadLetterReader;
import dev.kafkasdk.consumer.DeadLetterSelector;
import java.util.ArrayList;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import picocli.CommandLine.Command;
import picocli.CommandLine.Mixin;
import picocli.CommandLine.Option;
import picocli.CommandLine.Parameters;

/** {@code ksdk dlt list}: the dead letters of a topic, one row each. */
@Command(
    name = "list",
    description = {
      "List the dead letters of a dead-letter topic (read_committed, no consumer group, nothing"
          + " committed): partition, offset, failure time, the original topic-partition@offset,"
          + " the exception and a key preview, partition by partition in offset order.",
      "Exit 0 (also when there are none)."
    })
public final class DltListCommand extends ClusterCommand {
  @Parameters(index = "0", paramLabel = "DLT-TOPIC", description = "The dead-letter topic.")
  String topic;

  @Option(
      names = "--limit",
      paramLabel = "N",
      defaultValue = "100",
      description = "Show at most N dead letters. Default: 100.")
  int limit = 100;

  @Mixin DltSelection selection;

  @Override
  protected int run(Output output) {
    if (limit < 1) {
      throw CommandException.usage("--limit must be at least 1, was " + limit);
    }
    DeadLetterReader reader = DeadLetterReader.builder().properties(clientConfig()).build();
    // One more than asked, to tell whether the list was cut.
    DeadLetterSelector selector = selection.selector();
    List<DeadLetter> letters =
        DeadLetterRows.missingIsNotMet(
            () -> reader.list(topic, selector, limit == Integer.MAX_VALUE ? limit : limit + 1));
    boolean more = letters.size() > limit;
    if (more) {
      letters = letters.subList(0, limit);
    }
    Table table = DeadLetterRows.table().emptyText("(no dead letters)");
    List<Map<String, Object>> json = new ArrayList<>();
    for (DeadLetter letter : letters) {
      DeadLetterRows.addRow(table, letter);
      json.add(DeadLetterRows.json(letter, DeadLetterRows.KEY_PREVIEW_BYTES));
    }
    Map<String, Object> result = new LinkedHashMap<>();
    result.put("topic", topic);
    result.put("count", letters.size());
    result.put("limit", limit);
    result.put("more", more);
    result.put("selection", selection.describe());
    result.put("deadLetters", json);
    if (more) {
      output.result(
          table,
          result,
          "(first " + limit + " shown; raise --limit or narrow the selection for more)");
    } else {
      output.result(table, result);
    }
    return ExitCode.OK;
  }
}
