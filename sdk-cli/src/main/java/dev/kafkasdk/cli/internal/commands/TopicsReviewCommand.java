package dev.kafkasdk.cli.internal.commands;

import dev.kafkasdk.cli.internal.ClusterCommand;
import dev.kafkasdk.cli.internal.CommandException;
import dev.kafkasdk.cli.internal.ExitCode;
import dev.kafkasdk.cli.internal.Output;
import dev.kafkasdk.cli.internal.Table;
import dev.kafkasdk.topics.ClusterFacts;
import dev.kafkasdk.topics.Finding;
import dev.kafkasdk.topics.LiveTopic;
import dev.kafkasdk.topics.Severity;
import dev.kafkasdk.topics.TopicAdmin;
import dev.kafkasdk.topics.TopicAdvisor;
import dev.kafkasdk.topics.TopicSpec;
import io.micrometer.core.instrument.simple.SimpleMeterRegistry;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.EnumMap;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.Optional;
import java.util.TreeSet;
import org.apache.kafka.clients.admin.Admin;
import org.apache.kafka.clients.admin.ListTopicsOptions;
import picocli.CommandLine.Command;
import picocli.CommandLine.Option;
import picocli.CommandLine.Parameters;

/** {@code ksdk topics review}: the topic advisor against a live cluster or spec files. */
@Command(
    name = "review",
    description = {
      "Review topics with the SDK's topic advisor: live topics (all, or the ones named), or spec"
          + " files (with --spec; offline unless --bootstrap-server is given).",
      "Exit 1 when a finding is at or above --fail-on."
    })
public final class TopicsReviewCommand extends ClusterCommand {
  @Parameters(
      paramLabel = "TOPIC",
      arity = "0..*",
      description = "Live topics to review (default: every topic that is not internal).")
  List<String> topics = new ArrayList<>();

  @Option(
      names = {"-f", "--spec"},
      paramLabel = "FILE|DIR",
      description =
          "Spec files (or directories of .properties files) to review instead of live topics; a"
              + " spec whose topic exists is reviewed together with the live topic.")
  List<Path> specs = new ArrayList<>();

  @Option(
      names = "--fail-on",
      paramLabel = "SEVERITY",
      defaultValue = "WARNING",
      description =
          "Exit 1 if a finding is at least this severe: INFO, WARNING, CRITICAL."
              + " Default: ${DEFAULT-VALUE}.")
  Severity failOn = Severity.WARNING;

  @Option(
      names = "--environment",
      paramLabel = "ENV",
      defaultValue = "PRODUCTION",
      description =
          "PRODUCTION or DEVELOPMENT (skips replication and acks advice for one-broker"
              + " clusters). Default: ${DEFAULT-VALUE}.")
  TopicAdvisor.Environment environment = TopicAdvisor.Environment.PRODUCTION;

  @Option(
      names = "--acks",
      paramLabel = "ACKS",
      defaultValue = "all",
      description = "The acks your producers use: all, 1 or 0. Default: ${DEFAULT-VALUE}.")
  String acks = "all";

  @Option(
      names = "--consumers",
      paramLabel = "N",
      description = "The most consumers one group runs on a topic (enables partition advice).")
  Integer consumers;

  @Option(
      names = "--brokers",
      paramLabel = "N",
      description = "Offline spec review only: the broker count to judge replication against.")
  Integer brokers;

  @Override
  protected int run(Output output) {
    TopicAdvisor.Builder builder =
        TopicAdvisor.builder()
            .environment(environment)
            .producerAcks(acks)
            .meterRegistry(new SimpleMeterRegistry());
    if (consumers != null) {
      builder.consumers(consumers);
    }
    TopicAdvisor advisor = builder.build();
    List<Finding> findings = new ArrayList<>();
    int reviewed;
    if (!specs.isEmpty() && !topics.isEmpty()) {
      throw CommandException.usage("give either TOPIC names or --spec files, not both");
    }
    if (!specs.isEmpty() && !cluster.given()) {
      List<TopicSpec> declared = SpecFiles.read(specs);
      for (TopicSpec spec : declared) {
        findings.addAll(
            brokers == null
                ? advisor.review(spec)
                : advisor.review(spec, ClusterFacts.ofBrokers(brokers)));
      }
      reviewed = declared.size();
    } else {
      List<TopicSpec> declared = SpecFiles.read(specs);
      try (TopicAdmin admin = topicAdmin()) {
        ClusterFacts facts = admin.clusterFacts();
        if (!declared.isEmpty()) {
          for (TopicSpec spec : declared) {
            Optional<LiveTopic> live = admin.describe(spec.name());
            findings.addAll(
                live.isPresent()
                    ? advisor.review(spec, live.get(), facts)
                    : advisor.review(spec, facts));
          }
          reviewed = declared.size();
        } else {
          List<String> names = topics.isEmpty() ? allTopics() : topics;
          for (String name : names) {
            LiveTopic live =
                admin
                    .describe(name)
                    .orElseThrow(
                        () ->
                            new CommandException(
                                ExitCode.CONDITION_NOT_MET, "topic " + name + " does not exist"));
            findings.addAll(advisor.review(live, facts));
          }
          reviewed = names.size();
        }
      }
    }
    return report(output, findings, reviewed);
  }

  private List<String> allTopics() throws CommandException {
    try (Admin admin = admin()) {
      return new ArrayList<>(
          new TreeSet<>(
              admin
                  .listTopics(new ListTopicsOptions().listInternal(false))
                  .names()
                  .get(cluster.timeout().toMillis(), java.util.concurrent.TimeUnit.MILLISECONDS)));
    } catch (InterruptedException e) {
      Thread.currentThread().interrupt();
      throw new CommandException(ExitCode.UNEXPECTED, "interrupted");
    } catch (java.util.concurrent.ExecutionException | java.util.concurrent.TimeoutException e) {
      throw new IllegalStateException("list topics failed: " + e.getMessage(), e);
    }
  }

  private int report(Output output, List<Finding> findings, int reviewed) {
    Table table = Table.of("#", "SEVERITY", "TOPIC", "RULE", "SETTING").emptyText("(no findings)");
    List<String> details = new ArrayList<>();
    List<Map<String, Object>> json = new ArrayList<>();
    Map<Severity, Integer> counts = new EnumMap<>(Severity.class);
    boolean failed = false;
    int n = 0;
    for (Finding f : findings) {
      n++;
      table.row(n, f.severity(), f.topic(), f.ruleId(), f.setting());
      details.add("#" + n + " " + f.explanation() + " Fix: " + f.fix());
      counts.merge(f.severity(), 1, Integer::sum);
      failed |= f.severity().compareTo(failOn) >= 0;
      Map<String, Object> finding = new LinkedHashMap<>();
      finding.put("severity", f.severity());
      finding.put("topic", f.topic());
      finding.put("rule", f.ruleId());
      finding.put("setting", f.setting());
      finding.put("explanation", f.explanation());
      finding.put("fix", f.fix());
      json.add(finding);
    }
    Map<String, Object> result = new LinkedHashMap<>();
    result.put("topicsReviewed", reviewed);
    result.put("failOn", failOn);
    result.put("failed", failed);
    result.put("findings", json);
    details.add("");
    details.add(
        reviewed
            + " topic(s) reviewed, "
            + findings.size()
            + " finding(s)"
            + (counts.isEmpty() ? "" : " " + counts)
            + "; --fail-on "
            + failOn
            + ": "
            + (failed ? "FAILED" : "passed"));
    output.result(table, result, details.toArray(String[]::new));
    return failed ? ExitCode.CONDITION_NOT_MET : ExitCode.OK;
  }
}
