package dev.kafkasdk.cli.internal.commands;

import dev.kafkasdk.cli.internal.ClusterCommand;
import dev.kafkasdk.cli.internal.ExitCode;
import dev.kafkasdk.cli.internal.Output;
import dev.kafkasdk.cli.internal.ProgressBar;
import dev.kafkasdk.cli.internal.Table;
import dev.kafkasdk.consumer.DeadLetter;
import dev.kafkasdk.consumer.DeadLetterReplay;
import dev.kafkasdk.consumer.ReplayListener;
import dev.kafkasdk.consumer.ReplayProgress;
import dev.kafkasdk.consumer.ReplayResult;
import java.util.ArrayList;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import org.apache.kafka.clients.producer.ProducerConfig;
import picocli.CommandLine.Command;
import picocli.CommandLine.Mixin;
import picocli.CommandLine.Option;
import picocli.CommandLine.Parameters;

/** {@code ksdk dlt replay}: {@link DeadLetterReplay} from the command line. */
@Command(
    name = "replay",
    description = {
      "Republish selected dead letters to their original topic (or --to TOPIC) with their original"
          + " key and value bytes and headers, plus ksdk.replay.* headers. Each batch of sends"
          + " commits in one transaction with the replay group's offsets, so a replay that is"
          + " interrupted and run again sends every dead letter exactly once; a run reads up to"
          + " the end the topic had when it started, from where the group's last run stopped.",
      "Exit 1 when chosen dead letters had no original topic and no --to was given (not sent)."
    })
public final class DltReplayCommand extends ClusterCommand {
  @Parameters(index = "0", paramLabel = "DLT-TOPIC", description = "The dead-letter topic.")
  String topic;

  @Option(
      names = "--to",
      paramLabel = "TOPIC",
      description = "Send every chosen dead letter to TOPIC instead of its original topic.")
  String to;

  @Option(
      names = "--dry-run",
      description = "List what would be replayed; send nothing and commit nothing.")
  boolean dryRun;

  @Option(
      names = {"-g", "--group"},
      paramLabel = "GROUP",
      description =
          "Consumer group that records the replay's progress. Default: ksdk-replay-<DLT-TOPIC>."
              + " Use a new group for a replay with another selection.")
  String group;

  @Option(
      names = "--from-beginning",
      description =
          "Read from the beginning of the topic instead of where the group stopped: dead letters"
              + " replayed by an earlier run are replayed again.")
  boolean fromBeginning;

  @Option(
      names = "--batch-size",
      paramLabel = "N",
      defaultValue = "200",
      description = "Dead letters read per transaction. Default: 200.")
  int batchSize = 200;

  @Mixin DltSelection selection;

  @Override
  protected int run(Output output) {
    List<DeadLetter> matched = new ArrayList<>();
    List<String> targets = new ArrayList<>();
    ProgressBar[] bar = new ProgressBar[1];
    DeadLetterReplay.Builder builder =
        DeadLetterReplay.builder(topic)
            .properties(clientConfig())
            .select(selection.selector())
            .dryRun(dryRun)
            .fromBeginning(fromBeginning)
            .batchSize(batchSize)
            .listener(
                new ReplayListener() {
                  @Override
                  public void onMatch(DeadLetter letter, String target) {
                    if (dryRun) {
                      matched.add(letter);
                      targets.add(target);
                    }
                  }

                  @Override
                  public void onProgress(ReplayProgress progress) {
                    if (bar[0] == null) {
                      bar[0] =
                          output.progress(dryRun ? "scanning" : "replaying", progress.toScan());
                    }
                    bar[0].set(progress.scanned());
                  }
                });
    if (!clientConfig().containsKey(ProducerConfig.MAX_BLOCK_MS_CONFIG)) {
      // The producer's own waits (metadata, initTransactions, commit) follow --timeout too.
      builder.property(
          ProducerConfig.MAX_BLOCK_MS_CONFIG,
          (int) Math.min(Integer.MAX_VALUE, cluster.timeout().toMillis()));
    }
    if (to != null) {
      builder.to(to);
    }
    if (group != null) {
      builder.groupId(group);
    }
    ReplayResult result;
    try {
      DeadLetterReplay replay = builder.build();
      result = DeadLetterRows.missingIsNotMet(replay::run);
    } finally {
      if (bar[0] != null) {
        bar[0].close();
      }
    }
    return print(output, result, matched, targets);
  }

  private int print(
      Output output, ReplayResult result, List<DeadLetter> matched, List<String> targets) {
    Map<String, Object> json = new LinkedHashMap<>();
    json.put("topic", result.deadLetterTopic());
    json.put("group", result.groupId());
    json.put("dryRun", result.dryRun());
    json.put("scanned", result.scanned());
    json.put("matched", result.matched());
    json.put("sent", result.sent());
    json.put("unroutable", result.unroutable());
    json.put("perTarget", result.perTarget());
    json.put("selection", selection.describe());
    Table table;
    if (result.dryRun()) {
      table = DeadLetterRows.table().emptyText("(nothing would be replayed)");
      List<Map<String, Object>> letters = new ArrayList<>();
      for (int i = 0; i < matched.size(); i++) {
        DeadLetterRows.addRow(table, matched.get(i));
        Map<String, Object> letter =
            DeadLetterRows.json(matched.get(i), DeadLetterRows.KEY_PREVIEW_BYTES);
        letter.put("target", targets.get(i));
        letters.add(letter);
      }
      json.put("deadLetters", letters);
    } else {
      table = Table.of("TARGET", "SENT").emptyText("(nothing replayed)");
      result.perTarget().forEach(table::row);
    }
    String summary =
        (result.dryRun() ? "dry run: would replay " : "replayed ")
            + (result.dryRun()
                ? result.perTarget().values().stream().mapToLong(Long::longValue).sum()
                : result.sent())
            + " of "
            + result.matched()
            + " chosen dead letters ("
            + result.scanned()
            + " read) from "
            + result.deadLetterTopic()
            + " with group "
            + result.groupId()
            + (result.dryRun() ? "; nothing sent, nothing committed" : "");
    String unroutable =
        result.unroutable() == 0
            ? ""
            : result.unroutable()
                + " chosen dead letter(s) have no original topic: give --to TOPIC to replay them"
                + " (and --from-beginning or a new --group, since this run passed them)";
    output.result(table, json, "", summary);
    if (result.unroutable() > 0) {
      output.warn(unroutable);
      return ExitCode.CONDITION_NOT_MET;
    }
    return ExitCode.OK;
  }
}
