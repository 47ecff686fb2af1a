package dev.kafkasdk.cli.internal.commands;

import dev.kafkasdk.cli.internal.ClusterCommand;
import dev.kafkasdk.cli.internal.ExitCode;
import dev.kafkasdk.cli.internal.Output;
import dev.kafkasdk.cli.internal.Table;
import dev.kafkasdk.topics.KeyMovement;
import dev.kafkasdk.topics.KeyRemapAcknowledgement;
import dev.kafkasdk.topics.PartitionIncrease;
import dev.kafkasdk.topics.TopicAdmin;
import dev.kafkasdk.topics.TopicChangeRefusedException;
import dev.kafkasdk.topics.TopicDifference;
import dev.kafkasdk.topics.TopicReport;
import dev.kafkasdk.topics.TopicSpec;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import picocli.CommandLine.Command;
import picocli.CommandLine.Option;
import picocli.CommandLine.Parameters;

/**
 * {@code ksdk topics apply}: creates missing topics from spec files, aligns the configuration of
 * existing ones and adds partitions, with the SDK's keyed-topic guard. Replication factor changes
 * are reported, never made (that is a partition reassignment).
 */
@Command(
    name = "apply",
    description = {
      "Apply topic spec files: create missing topics, set differing configs, add partitions."
          + " A keyed topic (keyed=true) only grows with --acknowledge-key-remap; partitions are"
          + " never removed; a replication factor difference is reported, not changed.",
      "Exit 0 when every topic conforms, 1 when a difference remains (or, with --dry-run,"
          + " would be changed), 4 when a change is refused."
    })
public final class TopicsApplyCommand extends ClusterCommand {
  @Parameters(
      paramLabel = "FILE|DIR",
      arity = "1..*",
      description = "Spec files, or directories of .properties spec files (see docs/cli.md).")
  List<Path> specs = new ArrayList<>();

  @Option(names = "--dry-run", description = "Show what would change and change nothing.")
  boolean dryRun;

  @Option(
      names = "--acknowledge-key-remap",
      paramLabel = "REASON",
      description =
          "Allow adding partitions to keyed topics although most keys then move to another"
              + " partition (per-key order breaks across the change); the reason is logged.")
  String acknowledgeKeyRemap;

  /** What happened (or would happen) to one setting of one topic. */
  private record Change(String topic, String setting, String from, String to, String status) {}

  @Override
  protected int run(Output output) {
    List<TopicSpec> declared = SpecFiles.read(specs);
    List<Change> changes = new ArrayList<>();
    boolean refused = false;
    boolean differs = false;
    try (TopicAdmin admin = topicAdmin()) {
      for (TopicSpec spec : declared) {
        TopicReport before = admin.verify(spec);
        if (before.outcome() == TopicReport.Outcome.MISSING) {
          changes.add(
              new Change(
                  spec.name(),
                  "(topic)",
                  "-",
                  describe(spec),
                  dryRun ? "would create" : "created"));
          differs |= dryRun;
          if (!dryRun) {
            admin.apply(spec);
          }
          continue;
        }
        if (before.outcome() == TopicReport.Outcome.MATCHES) {
          changes.add(new Change(spec.name(), "(topic)", "-", "-", "matches"));
          continue;
        }
        boolean configsDiffer = false;
        for (TopicDifference d : before.differences()) {
          String status;
          if (spec.configs().containsKey(d.setting())) {
            configsDiffer = true;
            status = dryRun ? "would set" : "set";
            differs |= dryRun;
          } else if (d.setting().equals("partitions")) {
            status = partitions(admin, spec, d);
            refused |= status.startsWith("refused");
            differs |= dryRun || !status.equals("increased");
          } else {
            status = "not changed: " + d.fix();
            differs = true;
          }
          changes.add(new Change(spec.name(), d.setting(), d.actual(), d.expected(), status));
        }
        if (configsDiffer && !dryRun) {
          admin.alignConfigs(spec);
        }
      }
    }
    print(output, changes);
    if (refused) {
      return ExitCode.REFUSED;
    }
    return differs ? ExitCode.CONDITION_NOT_MET : ExitCode.OK;
  }

  private String partitions(TopicAdmin admin, TopicSpec spec, TopicDifference d) {
    int current = Integer.parseInt(d.actual());
    int target = spec.partitions().orElse(current);
    if (target < current) {
      return "refused: Kafka cannot remove partitions; keep " + current + " in the spec";
    }
    if (spec.keyed() && acknowledgeKeyRemap == null) {
      return "refused: keyed topic; "
          + KeyMovement.estimate(current, target, List.of()).describe()
          + "; pass --acknowledge-key-remap REASON to accept";
    }
    if (dryRun) {
      return "would increase";
    }
    PartitionIncrease increase = PartitionIncrease.forSpec(spec);
    if (acknowledgeKeyRemap != null) {
      increase = increase.acknowledging(KeyRemapAcknowledgement.because(acknowledgeKeyRemap));
    }
    try {
      admin.increasePartitions(increase);
      return "increased";
    } catch (TopicChangeRefusedException e) {
      // The SDK's own guard has the last word (it re-reads the topic).
      return "refused: " + e.getMessage();
    }
  }

  private static String describe(TopicSpec spec) {
    List<String> parts = new ArrayList<>();
    spec.partitions().ifPresent(p -> parts.add("partitions=" + p));
    spec.replicationFactor().ifPresent(r -> parts.add("replication.factor=" + r));
    spec.configs().forEach((k, v) -> parts.add(k + "=" + v));
    return parts.isEmpty() ? "broker defaults" : String.join(", ", parts);
  }

  private void print(Output output, List<Change> changes) {
    Table table = Table.of("TOPIC", "SETTING", "CLUSTER", "SPEC", "RESULT");
    Map<String, List<Map<String, Object>>> byTopic = new LinkedHashMap<>();
    for (Change c : changes) {
      table.row(c.topic(), c.setting(), c.from(), c.to(), c.status());
      Map<String, Object> change = new LinkedHashMap<>();
      change.put("setting", c.setting());
      change.put("cluster", c.from().equals("-") ? null : c.from());
      change.put("spec", c.to().equals("-") ? null : c.to());
      change.put("result", c.status());
      byTopic.computeIfAbsent(c.topic(), t -> new ArrayList<>()).add(change);
    }
    List<Map<String, Object>> topics = new ArrayList<>();
    byTopic.forEach(
        (topic, list) -> {
          Map<String, Object> t = new LinkedHashMap<>();
          t.put("topic", topic);
          t.put("changes", list);
          topics.add(t);
        });
    Map<String, Object> json = new LinkedHashMap<>();
    json.put("dryRun", dryRun);
    json.put("topics", topics);
    if (dryRun) {
      output.result(table, json, "(dry run: nothing was changed)");
    } else {
      output.result(table, json);
    }
  }
}
