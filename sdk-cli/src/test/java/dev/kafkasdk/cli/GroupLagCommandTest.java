package dev.kafkasdk.cli;

import static org.assertj.core.api.Assertions.assertThat;
import static org.awaitility.Awaitility.await;

import com.fasterxml.jackson.databind.JsonNode;
import dev.kafkasdk.cli.internal.ExitCode;
import dev.kafkasdk.consumer.ConsumerRunner;
import dev.kafkasdk.consumer.Ordering;
import dev.kafkasdk.consumer.Strategy;
import dev.kafkasdk.test.KafkaCluster;
import dev.kafkasdk.test.KafkaTest;
import dev.kafkasdk.test.TestNames;
import dev.kafkasdk.test.TestRecords;
import java.time.Duration;
import java.util.Map;
import java.util.concurrent.CountDownLatch;
import java.util.concurrent.TimeUnit;
import org.apache.kafka.clients.admin.Admin;
import org.apache.kafka.clients.consumer.OffsetAndMetadata;
import org.apache.kafka.common.TopicPartition;
import org.junit.jupiter.api.Test;

/**
 * {@code ksdk group lag}: committed offset, end and lag for any group, and the SDK runner's
 * progress (done past the commit, in flight) read from its commits.
 */
@KafkaTest
class GroupLagCommandTest {
  private static final Duration WAIT = Duration.ofSeconds(60);
  private static final int RECORDS = 10;

  @Test
  void anSdkRunnersGroupShowsWorkInFlightBehindAStuckRecord(KafkaCluster kafka, TestNames names)
      throws Exception {
    kafka.createTopic(names.topic(), 1, 1);
    TestRecords records = TestRecords.of(kafka);
    for (int i = 0; i < RECORDS; i++) {
      records.produce(names.topic(), "k" + i, "v" + i);
    }
    CountDownLatch release = new CountDownLatch(1);
    InProcessKsdk ksdk = InProcessKsdk.against(kafka);
    try (ConsumerRunner<String, String> runner =
        ConsumerRunner.builder()
            .bootstrapServers(kafka.bootstrapServers())
            .groupId(names.groupId())
            .topics(names.topic())
            .strategy(Strategy.multiWorker(4, Ordering.UNORDERED))
            .commitInterval(Duration.ofMillis(50))
            .handler(
                record -> {
                  if (record.offset() >= 3) {
                    assertThat(release.await(WAIT.toSeconds(), TimeUnit.SECONDS)).isTrue();
                  }
                })
            .build()) {
      runner.start();
      await()
          .atMost(WAIT)
          .untilAsserted(
              () -> {
                CliResult result =
                    ksdk.run("group", "lag", "--group", names.groupId(), "-o", "json");
                assertThat(result.exitCode()).as(result.toString()).isEqualTo(ExitCode.OK);
                JsonNode partition = result.json().get("partitions").get(0);
                assertThat(partition.get("committedOffset").asLong()).isEqualTo(3);
                assertThat(partition.get("endOffset").asLong()).isEqualTo(RECORDS);
                assertThat(partition.get("lag").asLong()).isEqualTo(7);
                assertThat(partition.get("completedAhead").asLong()).isZero();
                assertThat(partition.get("inFlight").asLong()).isEqualTo(7);
                assertThat(partition.get("highestDispatched").asLong()).isEqualTo(RECORDS - 1);
                assertThat(partition.get("consumer").asText()).isNotBlank();
                assertThat(result.json().get("sdkProgress").asBoolean()).isTrue();
              });

      CliResult table = ksdk.run("group", "lag", "--group", names.groupId(), "--fail-on-lag", "5");
      assertThat(table.exitCode()).as(table.toString()).isEqualTo(ExitCode.CONDITION_NOT_MET);
      assertThat(table.out())
          .startsWith("TOPIC")
          .contains("DONE-AHEAD", "IN-FLIGHT")
          .contains("total lag 7, done past the commit 0, in flight 7")
          .contains("--fail-on-lag 5: FAILED");
      release.countDown();
    }
  }

  @Test
  void anotherClientsGroupShowsCommittedOffsetsAndLagOnly(KafkaCluster kafka, TestNames names)
      throws Exception {
    kafka.createTopic(names.topic(), 2, 1);
    TestRecords records = TestRecords.of(kafka);
    for (int i = 0; i < 6; i++) {
      records.produce(names.topic(), "k" + i, "v" + i);
    }
    try (Admin admin = Admin.create(kafka.clientConfig())) {
      admin
          .alterConsumerGroupOffsets(
              names.groupId(),
              Map.of(new TopicPartition(names.topic(), 0), new OffsetAndMetadata(0, "other")))
          .all()
          .get(30, TimeUnit.SECONDS);
    }
    CliResult result =
        InProcessKsdk.against(kafka).run("group", "lag", "-g", names.groupId(), "-o", "json");
    assertThat(result.exitCode()).as(result.toString()).isEqualTo(ExitCode.OK);
    JsonNode partition = result.json().get("partitions").get(0);
    assertThat(partition.get("committedOffset").asLong()).isZero();
    assertThat(partition.get("completedAhead").isNull()).isTrue();
    assertThat(partition.get("inFlight").isNull()).isTrue();
    assertThat(result.json().get("sdkProgress").asBoolean()).isFalse();
    assertThat(result.json().get("members").asInt()).isZero();

    CliResult table = InProcessKsdk.against(kafka).run("group", "lag", "-g", names.groupId());
    assertThat(table.out()).contains("not an SDK runner's group");
  }

  @Test
  void anUnknownGroupIsAConditionNotMet(KafkaCluster kafka, TestNames names) {
    CliResult result = InProcessKsdk.against(kafka).run("group", "lag", "--group", names.groupId());
    assertThat(result.exitCode()).as(result.toString()).isEqualTo(ExitCode.CONDITION_NOT_MET);
    assertThat(result.err())
        .contains("ksdk: error: group " + names.groupId())
        .contains("no committed offsets");
  }

  @Test
  void theGroupIsRequired() {
    CliResult result = InProcessKsdk.plain().run("group", "lag", "--bootstrap-server", "x:1");
    assertThat(result.exitCode()).isEqualTo(ExitCode.USAGE);
    assertThat(result.err()).contains("--group");
  }
}
