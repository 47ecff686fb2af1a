package dev.kafkasdk.cli;

import static org.assertj.core.api.Assertions.assertThat;

import com.fasterxml.jackson.databind.JsonNode;
import dev.kafkasdk.cli.internal.ExitCode;
import dev.kafkasdk.test.KafkaCluster;
import dev.kafkasdk.test.KafkaTest;
import dev.kafkasdk.test.TestNames;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.List;
import java.util.Map;
import java.util.concurrent.TimeUnit;
import org.apache.kafka.clients.admin.Admin;
import org.apache.kafka.clients.admin.Config;
import org.apache.kafka.clients.admin.TopicDescription;
import org.apache.kafka.common.config.ConfigResource;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

/**
 * {@code ksdk topics apply}: creates, aligns, grows; {@code --dry-run} changes nothing; the keyed
 * topic guard refuses growth without {@code --acknowledge-key-remap}. Each step is checked on the
 * cluster itself.
 */
@KafkaTest
class TopicsApplyCommandTest {

  @Test
  void createsThenMatchesThenAlignsAConfigAfterADryRun(
      KafkaCluster kafka, TestNames names, @TempDir Path dir) throws Exception {
    String topic = names.topic();
    Path spec = dir.resolve("orders.properties");
    Files.writeString(
        spec, "topic=" + topic + "\npreset=event-stream\npartitions=3\nreplication.factor=1\n");
    InProcessKsdk ksdk = InProcessKsdk.against(kafka);

    CliResult created = ksdk.run("topics", "apply", spec.toString());
    assertThat(created.exitCode()).as(created.toString()).isEqualTo(ExitCode.OK);
    assertThat(created.out()).contains(topic).contains("created");
    assertThat(partitions(kafka, topic)).isEqualTo(3);

    CliResult again = ksdk.run("topics", "apply", spec.toString(), "-o", "json");
    assertThat(again.exitCode()).isEqualTo(ExitCode.OK);
    assertThat(again.json().get("topics").get(0).get("changes").get(0).get("result").asText())
        .isEqualTo("matches");

    Files.writeString(spec, Files.readString(spec) + "retention.ms=3600000\n");
    CliResult dryRun = ksdk.run("topics", "apply", spec.toString(), "--dry-run", "-o", "json");
    assertThat(dryRun.exitCode()).as(dryRun.toString()).isEqualTo(ExitCode.CONDITION_NOT_MET);
    JsonNode change = dryRun.json().get("topics").get(0).get("changes").get(0);
    assertThat(change.get("setting").asText()).isEqualTo("retention.ms");
    assertThat(change.get("cluster").asText()).isEqualTo("604800000");
    assertThat(change.get("spec").asText()).isEqualTo("3600000");
    assertThat(change.get("result").asText()).isEqualTo("would set");
    assertThat(retention(kafka, topic)).as("dry run changed nothing").isEqualTo("604800000");

    CliResult aligned = ksdk.run("topics", "apply", spec.toString());
    assertThat(aligned.exitCode()).as(aligned.toString()).isEqualTo(ExitCode.OK);
    assertThat(aligned.out()).contains("retention.ms").contains("set");
    assertThat(retention(kafka, topic)).isEqualTo("3600000");
  }

  @Test
  void aKeyedTopicGrowsOnlyWithTheAcknowledgement(
      KafkaCluster kafka, TestNames names, @TempDir Path dir) throws Exception {
    String topic = names.topic();
    kafka.createTopic(topic, 2, 1);
    Path spec = dir.resolve("keyed.properties");
    Files.writeString(spec, "topic=" + topic + "\nkeyed=true\npartitions=4\n");
    InProcessKsdk ksdk = InProcessKsdk.against(kafka);

    CliResult dryRun = ksdk.run("topics", "apply", spec.toString(), "--dry-run");
    assertThat(dryRun.exitCode()).as(dryRun.toString()).isEqualTo(ExitCode.REFUSED);
    assertThat(dryRun.out()).contains("refused: keyed topic").contains("--acknowledge-key-remap");

    CliResult refused = ksdk.run("topics", "apply", spec.toString());
    assertThat(refused.exitCode()).as(refused.toString()).isEqualTo(ExitCode.REFUSED);
    assertThat(partitions(kafka, topic)).isEqualTo(2);

    CliResult grown =
        ksdk.run(
            "topics",
            "apply",
            spec.toString(),
            "--acknowledge-key-remap",
            "producers paused, consumers drained");
    assertThat(grown.exitCode()).as(grown.toString()).isEqualTo(ExitCode.OK);
    assertThat(grown.out()).contains("partitions").contains("increased");
    assertThat(partitions(kafka, topic)).isEqualTo(4);
  }

  @Test
  void fewerPartitionsThanTheTopicHasIsRefused(
      KafkaCluster kafka, TestNames names, @TempDir Path dir) throws Exception {
    kafka.createTopic(names.topic(), 3, 1);
    Path spec = dir.resolve("shrink.properties");
    Files.writeString(spec, "topic=" + names.topic() + "\npartitions=1\n");
    CliResult result = InProcessKsdk.against(kafka).run("topics", "apply", spec.toString());
    assertThat(result.exitCode()).as(result.toString()).isEqualTo(ExitCode.REFUSED);
    assertThat(result.out()).contains("cannot remove partitions");
    assertThat(partitions(kafka, names.topic())).isEqualTo(3);
  }

  @Test
  void aMissingSpecFileIsAUsageError(KafkaCluster kafka, @TempDir Path dir) {
    CliResult result =
        InProcessKsdk.against(kafka)
            .run("topics", "apply", dir.resolve("nope.properties").toString());
    assertThat(result.exitCode()).isEqualTo(ExitCode.USAGE);
    assertThat(result.err()).contains("cannot read spec file").contains("nope.properties");
  }

  private static int partitions(KafkaCluster kafka, String topic) throws Exception {
    try (Admin admin = Admin.create(kafka.clientConfig())) {
      TopicDescription d =
          admin.describeTopics(List.of(topic)).allTopicNames().get(30, TimeUnit.SECONDS).get(topic);
      return d.partitions().size();
    }
  }

  private static String retention(KafkaCluster kafka, String topic) throws Exception {
    ConfigResource resource = new ConfigResource(ConfigResource.Type.TOPIC, topic);
    try (Admin admin = Admin.create(kafka.clientConfig())) {
      Map<ConfigResource, Config> configs =
          admin.describeConfigs(List.of(resource)).all().get(30, TimeUnit.SECONDS);
      return configs.get(resource).get("retention.ms").value();
    }
  }
}
