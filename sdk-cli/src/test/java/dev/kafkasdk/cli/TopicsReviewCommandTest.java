package dev.kafkasdk.cli;

import static org.assertj.core.api.Assertions.assertThat;

import com.fasterxml.jackson.databind.JsonNode;
import dev.kafkasdk.cli.internal.ExitCode;
import dev.kafkasdk.test.KafkaCluster;
import dev.kafkasdk.test.KafkaTest;
import dev.kafkasdk.test.TestNames;
import java.nio.file.Files;
import java.nio.file.Path;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

/** {@code ksdk topics review} against the embedded one-broker cluster and against spec files. */
@KafkaTest
class TopicsReviewCommandTest {

  @Test
  void aLiveTopicOnOneBrokerHasReplicationFindingsInProduction(
      KafkaCluster kafka, TestNames names) {
    kafka.createTopic(names.topic(), 3, 1);
    InProcessKsdk ksdk = InProcessKsdk.against(kafka);

    CliResult table = ksdk.run("topics", "review", names.topic());
    assertThat(table.exitCode()).as(table.toString()).isEqualTo(ExitCode.CONDITION_NOT_MET);
    assertThat(table.out())
        .startsWith("#  SEVERITY")
        .contains(names.topic(), "replication-below-three")
        .contains("Fix: ")
        .contains("1 topic(s) reviewed")
        .contains("--fail-on WARNING: FAILED");

    CliResult json = ksdk.run("topics", "review", names.topic(), "--output", "json");
    assertThat(json.exitCode()).isEqualTo(ExitCode.CONDITION_NOT_MET);
    JsonNode report = json.json();
    assertThat(report.get("topicsReviewed").asInt()).isEqualTo(1);
    assertThat(report.get("failed").asBoolean()).isTrue();
    assertThat(report.get("findings"))
        .anySatisfy(
            f -> {
              assertThat(f.get("rule").asText()).isEqualTo("replication-below-three");
              assertThat(f.get("topic").asText()).isEqualTo(names.topic());
              assertThat(f.get("fix").asText()).isNotBlank();
            });
  }

  @Test
  void developmentAdviceOnAHealthyTopicPassesTheThreshold(KafkaCluster kafka, TestNames names) {
    kafka.createTopic(names.topic(), 3, 1);
    CliResult result =
        InProcessKsdk.against(kafka)
            .run(
                "topics",
                "review",
                names.topic(),
                "--environment",
                "development",
                "--fail-on",
                "critical",
                "-o",
                "json");
    assertThat(result.exitCode()).as(result.toString()).isEqualTo(ExitCode.OK);
    assertThat(result.json().get("findings"))
        .noneSatisfy(f -> assertThat(f.get("severity").asText()).isEqualTo("CRITICAL"));
  }

  @Test
  void aMissingTopicIsAConditionNotMet(KafkaCluster kafka, TestNames names) {
    CliResult result = InProcessKsdk.against(kafka).run("topics", "review", names.topic("none"));
    assertThat(result.exitCode()).isEqualTo(ExitCode.CONDITION_NOT_MET);
    assertThat(result.err())
        .contains("ksdk: error: topic " + names.topic("none") + " does not exist");
  }

  @Test
  void specFilesAreReviewedOfflineWithoutABootstrapServer(@TempDir Path dir) throws Exception {
    Path spec = dir.resolve("orders.properties");
    Files.writeString(
        spec,
        "topic=orders\npartitions=6\nreplication.factor=3\nmin.insync.replicas=3\n"
            + "unclean.leader.election.enable=true\n");
    CliResult result =
        InProcessKsdk.plain()
            .run("topics", "review", "--spec", spec.toString(), "--brokers", "3", "-o", "json");
    assertThat(result.exitCode()).as(result.toString()).isEqualTo(ExitCode.CONDITION_NOT_MET);
    assertThat(result.json().get("findings"))
        .extracting(f -> f.get("setting").asText())
        .contains("min.insync.replicas", "unclean.leader.election.enable");
  }

  @Test
  void aTypoInASpecFileIsAUsageErrorNamingTheFile(@TempDir Path dir) throws Exception {
    Path spec = dir.resolve("typo.properties");
    Files.writeString(spec, "topic=orders\nretention.msec=1000\n");
    CliResult result = InProcessKsdk.plain().run("topics", "review", "--spec", spec.toString());
    assertThat(result.exitCode()).isEqualTo(ExitCode.USAGE);
    assertThat(result.err()).contains(spec.toString()).contains("unknown key 'retention.msec'");
  }

  @Test
  void anUnreachableClusterExitsThreeWithOneLineAndNoSecret(@TempDir Path dir) throws Exception {
    Path config = dir.resolve("client.properties");
    Files.writeString(
        config,
        "security.protocol=SASL_PLAINTEXT\nsasl.mechanism=PLAIN\n"
            + "sasl.jaas.config=org.apache.kafka.common.security.plain.PlainLoginModule required"
            + " username=\"ops\" password=\"s3cr3t-pw\";\n");
    CliResult result =
        InProcessKsdk.plain()
            .run(
                "topics",
                "review",
                "--bootstrap-server",
                "127.0.0.1:1",
                "--command-config",
                config.toString(),
                "--timeout",
                "2s");
    assertThat(result.exitCode()).as(result.toString()).isEqualTo(ExitCode.CLUSTER);
    assertThat(result.err().strip().lines()).hasSize(1);
    assertThat(result.err()).startsWith("ksdk: error: ").doesNotContain("s3cr3t-pw");
    assertThat(result.out()).isEmpty();
  }

  @Test
  void noClusterAndNoSpecIsAUsageError() {
    CliResult result = InProcessKsdk.plain().run("topics", "review");
    assertThat(result.exitCode()).isEqualTo(ExitCode.USAGE);
    assertThat(result.err()).contains("--bootstrap-server");
  }

  @Test
  void anUnknownSeverityIsAUsageError() {
    CliResult result = InProcessKsdk.plain().run("topics", "review", "--fail-on", "SEVERE");
    assertThat(result.exitCode()).isEqualTo(ExitCode.USAGE);
    assertThat(result.err()).contains("--fail-on").contains("Try 'ksdk topics review --help'");
  }
}
