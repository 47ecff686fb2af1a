package dev.kafkasdk.cli.internal.commands;

import dev.kafkasdk.cli.internal.CliCommand;
import dev.kafkasdk.cli.internal.CommandException;
import dev.kafkasdk.cli.internal.DurationConverter;
import dev.kafkasdk.cli.internal.ExitCode;
import dev.kafkasdk.cli.internal.Json;
import dev.kafkasdk.cli.internal.Output;
import dev.kafkasdk.topics.PartitionPlan;
import dev.kafkasdk.topics.PartitionPlanner;
import dev.kafkasdk.topics.ThroughputMeasurement;
import java.time.Duration;
import java.util.ArrayList;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import picocli.CommandLine.ArgGroup;
import picocli.CommandLine.Command;
import picocli.CommandLine.Option;

/** {@code ksdk topics plan}: the partition planner on measured rates. No cluster needed. */
@Command(
    name = "plan",
    description = {
      "Size a topic's partition count from measured rates with the SDK's partition planner"
          + " (producer rate < consumer throughput x partitions). No cluster needed.",
      "Exit 1 when the plan is not feasible (--max-consumers cannot keep up)."
    })
public final class TopicsPlanCommand extends CliCommand {
  @Option(
      names = "--producer-rate",
      required = true,
      paramLabel = "RECORDS/S",
      description = "Peak rate producers write, records per second (required).")
  double producerRate;

  @ArgGroup(exclusive = true, multiplicity = "1")
  ConsumerRate consumerRate;

  /** One consumer's throughput: a rate, or a measurement to compute it from. */
  static final class ConsumerRate {
    @Option(
        names = "--consumer-rate",
        paramLabel = "RECORDS/S",
        description = "What one consumer processes, records per second.")
    Double rate;

    @Option(
        names = "--measured",
        paramLabel = "RECORDS/DURATION",
        description =
            "One consumer's measurement, e.g. 12000/60s (records handled in that time), as"
                + " HandlerThroughputProbe reports it.")
    String measured;
  }

  @Option(
      names = "--headroom",
      paramLabel = "FACTOR",
      defaultValue = "1.2",
      description = "Safety factor on the producer rate, at least 1. Default: ${DEFAULT-VALUE}.")
  double headroom;

  @Option(
      names = "--max-consumers",
      paramLabel = "N",
      description = "The most consumers one group may run (default: unlimited).")
  Integer maxConsumers;

  @Option(
      names = "--keyed",
      description = "The topic is keyed: multiply by --keyed-growth so it never has to grow.")
  boolean keyed;

  @Option(
      names = "--keyed-growth",
      paramLabel = "FACTOR",
      defaultValue = "2.0",
      description = "Growth factor for keyed topics, at least 1. Default: ${DEFAULT-VALUE}.")
  double keyedGrowth;

  @Option(
      names = "--replication-factor",
      paramLabel = "N",
      description = "Replication factor, to state the file-handle cost.")
  Integer replicationFactor;

  @Option(
      names = "--brokers",
      paramLabel = "N",
      description = "Broker count, to state the per-broker cost.")
  Integer brokers;

  @Override
  protected int run(Output output) {
    PartitionPlanner.Builder builder =
        PartitionPlanner.builder()
            .peakProducerRate(producerRate)
            .headroom(headroom)
            .keyed(keyed)
            .keyedGrowth(keyedGrowth);
    double perConsumer;
    if (consumerRate.rate != null) {
      perConsumer = consumerRate.rate;
      builder.consumerThroughput(perConsumer);
    } else {
      ThroughputMeasurement measurement = measurement(consumerRate.measured);
      perConsumer = measurement.recordsPerSecond();
      builder.consumerThroughput(measurement);
    }
    if (maxConsumers != null) {
      builder.maxConsumers(maxConsumers);
    }
    if (replicationFactor != null) {
      builder.replicationFactor(replicationFactor);
    }
    if (brokers != null) {
      builder.brokers(brokers);
    }
    PartitionPlan plan = builder.build().plan();

    Map<String, Object> inputs = new LinkedHashMap<>();
    inputs.put("producerRate", producerRate);
    inputs.put("consumerRate", perConsumer);
    inputs.put("headroom", headroom);
    inputs.put("maxConsumers", maxConsumers);
    inputs.put("keyed", keyed);
    inputs.put("keyedGrowth", keyed ? keyedGrowth : null);
    Map<String, Object> json = new LinkedHashMap<>();
    json.put("inputs", inputs);
    json.put("minimumPartitions", plan.minimumPartitions());
    json.put("recommendedPartitions", plan.recommendedPartitions());
    json.put("consumersNeeded", plan.consumersNeeded());
    json.put("capacityRecordsPerSecond", plan.capacityRecordsPerSecond());
    json.put("feasible", plan.feasible());
    json.put("explanation", plan.explanation());

    List<String> lines = new ArrayList<>();
    lines.add("recommended partitions:  " + plan.recommendedPartitions());
    lines.add("minimum partitions:      " + plan.minimumPartitions());
    lines.add("consumers needed:        " + plan.consumersNeeded());
    lines.add("capacity (records/s):    " + Json.number(round(plan.capacityRecordsPerSecond())));
    lines.add("feasible:                " + (plan.feasible() ? "yes" : "NO"));
    lines.add("");
    lines.addAll(List.of(plan.explanation().split("\\R")));
    lines.add("");
    lines.add("spec file line: partitions=" + plan.recommendedPartitions());
    output.result(json, lines.toArray(String[]::new));
    return plan.feasible() ? ExitCode.OK : ExitCode.CONDITION_NOT_MET;
  }

  private static double round(double value) {
    return Math.round(value * 100) / 100.0;
  }

  private static ThroughputMeasurement measurement(String text) {
    int slash = text.indexOf('/');
    if (slash <= 0 || slash == text.length() - 1) {
      throw CommandException.usage(
          "--measured " + text + " is not RECORDS/DURATION, for example 12000/60s");
    }
    long records;
    try {
      records = Long.parseLong(text.substring(0, slash).trim());
    } catch (NumberFormatException e) {
      throw CommandException.usage("--measured " + text + ": records must be a whole number");
    }
    Duration elapsed;
    try {
      elapsed = new DurationConverter().convert(text.substring(slash + 1));
    } catch (RuntimeException e) {
      throw CommandException.usage("--measured " + text + ": " + e.getMessage());
    }
    if (records < 1) {
      throw CommandException.usage("--measured " + text + ": records must be at least 1");
    }
    return new ThroughputMeasurement(records, elapsed, Duration.ZERO);
  }
}
