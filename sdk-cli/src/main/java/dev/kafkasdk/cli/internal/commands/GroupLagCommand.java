package dev.kafkasdk.cli.internal.commands;

import dev.kafkasdk.cli.internal.ClusterCommand;
import dev.kafkasdk.cli.internal.CommandException;
import dev.kafkasdk.cli.internal.ExitCode;
import dev.kafkasdk.cli.internal.Output;
import dev.kafkasdk.cli.internal.Table;
import dev.kafkasdk.consumer.CommittedProgress;
import java.util.ArrayList;
import java.util.Comparator;
import java.util.HashMap;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.Optional;
import java.util.TreeSet;
import java.util.concurrent.ExecutionException;
import java.util.concurrent.TimeUnit;
import java.util.concurrent.TimeoutException;
import org.apache.kafka.clients.admin.Admin;
import org.apache.kafka.clients.admin.ConsumerGroupDescription;
import org.apache.kafka.clients.admin.ListOffsetsResult;
import org.apache.kafka.clients.admin.MemberDescription;
import org.apache.kafka.clients.admin.OffsetSpec;
import org.apache.kafka.clients.consumer.OffsetAndMetadata;
import org.apache.kafka.common.KafkaFuture;
import org.apache.kafka.common.TopicPartition;
import org.apache.kafka.common.errors.GroupIdNotFoundException;
import picocli.CommandLine.Command;
import picocli.CommandLine.Option;

/**
 * {@code ksdk group lag}: per partition, the committed offset, the log end and the lag, and for
 * groups run by SDK runners what the last commit's {@link CommittedProgress} says: records done
 * past the committed offset (redelivered after a crash) and records in flight.
 */
@Command(
    name = "lag",
    description = {
      "Lag per partition of a consumer group: committed offset, log end offset, lag, and for"
          + " groups run by the SDK's runners the work done past the committed offset and in"
          + " flight, as of the last commit.",
      "Exit 1 when the group has no committed offsets or its total lag is above --fail-on-lag."
    })
public final class GroupLagCommand extends ClusterCommand {
  @Option(
      names = {"-g", "--group"},
      required = true,
      paramLabel = "GROUP",
      description = "The consumer group id.")
  String group;

  @Option(
      names = "--fail-on-lag",
      paramLabel = "RECORDS",
      description = "Exit 1 if the group's total lag is above this many records.")
  Long failOnLag;

  /** One partition's row. */
  private record Row(
      TopicPartition partition,
      Long committed,
      Long end,
      Optional<CommittedProgress> progress,
      String consumer) {
    Long lag() {
      return committed == null || end == null ? null : Math.max(0, end - committed);
    }
  }

  @Override
  protected int run(Output output) throws Exception {
    try (Admin admin = admin()) {
      Map<TopicPartition, OffsetAndMetadata> committed =
          await(admin.listConsumerGroupOffsets(group).partitionsToOffsetAndMetadata());
      ConsumerGroupDescription description;
      try {
        description =
            await(admin.describeConsumerGroups(List.of(group)).describedGroups().get(group));
      } catch (ExecutionException e) {
        if (e.getCause() instanceof GroupIdNotFoundException) {
          throw new CommandException(
              ExitCode.CONDITION_NOT_MET,
              "group " + group + " not found: it has no members and no committed offsets");
        }
        throw e;
      }
      Map<TopicPartition, String> owners = new HashMap<>();
      for (MemberDescription member : description.members()) {
        for (TopicPartition p : member.assignment().topicPartitions()) {
          owners.put(p, member.consumerId() + " (" + member.host() + ")");
        }
      }
      TreeSet<TopicPartition> partitions =
          new TreeSet<>(
              Comparator.comparing(TopicPartition::topic)
                  .thenComparingInt(TopicPartition::partition));
      committed.forEach(
          (p, o) -> {
            if (o != null) {
              partitions.add(p);
            }
          });
      partitions.addAll(owners.keySet());
      if (partitions.isEmpty()) {
        throw new CommandException(
            ExitCode.CONDITION_NOT_MET,
            "group "
                + group
                + " has no committed offsets and no assigned partitions (state "
                + description.groupState()
                + ")");
      }
      Map<TopicPartition, OffsetSpec> request = new HashMap<>();
      partitions.forEach(p -> request.put(p, OffsetSpec.latest()));
      Map<TopicPartition, ListOffsetsResult.ListOffsetsResultInfo> ends =
          await(admin.listOffsets(request).all());
      List<Row> rows = new ArrayList<>();
      for (TopicPartition p : partitions) {
        OffsetAndMetadata c = committed.get(p);
        ListOffsetsResult.ListOffsetsResultInfo end = ends.get(p);
        rows.add(
            new Row(
                p,
                c == null ? null : c.offset(),
                end == null ? null : end.offset(),
                CommittedProgress.parse(c),
                owners.get(p)));
      }
      return print(output, description, rows);
    }
  }

  private int print(Output output, ConsumerGroupDescription description, List<Row> rows) {
    Table table =
        Table.of(
            "TOPIC", "PARTITION", "COMMITTED", "END", "LAG", "DONE-AHEAD", "IN-FLIGHT", "CONSUMER");
    List<Map<String, Object>> json = new ArrayList<>();
    long totalLag = 0;
    long totalDone = 0;
    long totalInFlight = 0;
    boolean anyProgress = false;
    for (Row r : rows) {
      Long lag = r.lag();
      totalLag += lag == null ? 0 : lag;
      Long done = r.progress().map(CommittedProgress::completedAhead).orElse(null);
      Long inFlight = r.progress().map(CommittedProgress::inFlight).orElse(null);
      anyProgress |= r.progress().isPresent();
      totalDone += done == null ? 0 : done;
      totalInFlight += inFlight == null ? 0 : inFlight;
      table.row(
          r.partition().topic(),
          r.partition().partition(),
          r.committed(),
          r.end(),
          lag,
          done,
          inFlight,
          r.consumer());
      Map<String, Object> row = new LinkedHashMap<>();
      row.put("topic", r.partition().topic());
      row.put("partition", r.partition().partition());
      row.put("committedOffset", r.committed());
      row.put("endOffset", r.end());
      row.put("lag", lag);
      row.put("completedAhead", done);
      row.put("inFlight", inFlight);
      row.put(
          "highestDispatched", r.progress().map(CommittedProgress::highestDispatched).orElse(null));
      row.put("consumer", r.consumer());
      json.add(row);
    }
    boolean failed = failOnLag != null && totalLag > failOnLag;
    Map<String, Object> result = new LinkedHashMap<>();
    result.put("group", group);
    result.put("state", String.valueOf(description.groupState()));
    result.put("members", description.members().size());
    result.put("totalLag", totalLag);
    result.put("sdkProgress", anyProgress);
    result.put("completedAhead", anyProgress ? totalDone : null);
    result.put("inFlight", anyProgress ? totalInFlight : null);
    result.put("failOnLag", failOnLag);
    result.put("failed", failed);
    result.put("partitions", json);
    String summary =
        "group "
            + group
            + ": state "
            + description.groupState()
            + ", "
            + description.members().size()
            + " member(s), total lag "
            + totalLag
            + (anyProgress
                ? ", done past the commit " + totalDone + ", in flight " + totalInFlight
                : " (not an SDK runner's group: no progress in its commits)")
            + (failOnLag == null
                ? ""
                : "; --fail-on-lag " + failOnLag + (failed ? ": FAILED" : ": passed"));
    output.result(
        table,
        result,
        "",
        summary,
        anyProgress
            ? "DONE-AHEAD: finished past the committed offset (delivered again after a crash);"
                + " IN-FLIGHT: taken, not finished; as of the last commit."
            : "");
    return failed ? ExitCode.CONDITION_NOT_MET : ExitCode.OK;
  }

  private <T> T await(KafkaFuture<T> future) throws InterruptedException, ExecutionException {
    try {
      return future.get(cluster.timeout().toMillis(), TimeUnit.MILLISECONDS);
    } catch (TimeoutException e) {
      throw new ExecutionException(
          new org.apache.kafka.common.errors.TimeoutException(
              "no answer from the cluster within " + cluster.timeout()));
    }
  }
}
