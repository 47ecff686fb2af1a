package dev.kafkasdk.topics;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.catchThrowableOfType;

import dev.kafkasdk.core.SdkConfigException;
import dev.kafkasdk.test.KafkaCluster;
import dev.kafkasdk.test.KafkaTest;
import dev.kafkasdk.test.TestNames;
import dev.kafkasdk.test.TestRecords;
import io.micrometer.core.instrument.Meter;
import io.micrometer.core.instrument.simple.SimpleMeterRegistry;
import java.nio.charset.StandardCharsets;
import java.time.Duration;
import java.util.HashMap;
import java.util.List;
import java.util.Map;
import java.util.concurrent.TimeUnit;
import java.util.stream.Collectors;
import java.util.stream.IntStream;
import org.apache.kafka.clients.admin.Admin;
import org.apache.kafka.clients.admin.AlterConfigOp;
import org.apache.kafka.clients.admin.ConfigEntry;
import org.apache.kafka.clients.consumer.ConsumerRecord;
import org.apache.kafka.clients.producer.ProducerRecord;
import org.apache.kafka.common.config.ConfigResource;
import org.apache.kafka.common.errors.InvalidConfigurationException;
import org.apache.kafka.common.errors.InvalidReplicationFactorException;
import org.awaitility.Awaitility;
import org.junit.jupiter.api.Test;

/** apply / verify / align / increase against a real single-broker cluster. */
@KafkaTest
class TopicAdminTest {
  private static final Duration TIMEOUT = Duration.ofSeconds(60);

  @Test
  void applyCreatesAMissingTopicAndThenFindsItMatching(KafkaCluster kafka, TestNames names) {
    TopicSpec spec =
        TopicSpec.eventStream(names.topic())
            .partitions(3)
            .replicationFactor(1)
            .minInsyncReplicas(1)
            .retention(Duration.ofDays(1))
            .build();
    try (TopicAdmin topics = topics(kafka)) {
      TopicReport created = topics.apply(spec);
      assertThat(created.outcome()).isEqualTo(TopicReport.Outcome.CREATED);
      assertThat(created.conforms()).isTrue();
      LiveTopic live = created.live().orElseThrow();
      assertThat(live.partitionCount()).isEqualTo(3);
      assertThat(live.partitions()).allSatisfy(p -> assertThat(p.leader()).isPresent());
      assertThat(live.configs()).containsEntry("retention.ms", "86400000");

      TopicReport again = topics.apply(spec);
      assertThat(again.outcome()).isEqualTo(TopicReport.Outcome.MATCHES);
      assertThat(again.differences()).isEmpty();
      assertThat(topics.verify(spec).outcome()).isEqualTo(TopicReport.Outcome.MATCHES);
    }
    TestRecords records = TestRecords.of(kafka);
    records.produce(spec.name(), "k", "v");
    assertThat(records.consume(spec.name(), 1, TIMEOUT)).hasSize(1);
  }

  @Test
  void changedConfigIsReportedWithExpectedAndActualThenAligned(KafkaCluster kafka, TestNames names)
      throws Exception {
    TopicSpec spec =
        TopicSpec.eventStream(names.topic())
            .partitions(1)
            .replicationFactor(1)
            .retention(Duration.ofDays(1))
            .build();
    try (TopicAdmin topics = topics(kafka);
        Admin admin = Admin.create(kafka.clientConfig())) {
      topics.apply(spec);
      ConfigResource resource = new ConfigResource(ConfigResource.Type.TOPIC, spec.name());
      admin
          .incrementalAlterConfigs(
              Map.of(
                  resource,
                  List.of(
                      new AlterConfigOp(
                          new ConfigEntry("retention.ms", "3600000"), AlterConfigOp.OpType.SET),
                      new AlterConfigOp(
                          new ConfigEntry("unclean.leader.election.enable", "true"),
                          AlterConfigOp.OpType.SET))))
          .all()
          .get(60, TimeUnit.SECONDS);
      // The broker applies the committed change from the metadata log shortly after the reply.
      Awaitility.await()
          .atMost(TIMEOUT)
          .until(
              () ->
                  "3600000"
                      .equals(
                          topics
                              .describe(spec.name())
                              .orElseThrow()
                              .configs()
                              .get("retention.ms")));

      TopicReport report = topics.apply(spec);
      assertThat(report.outcome()).isEqualTo(TopicReport.Outcome.DIFFERS);
      assertThat(report.conforms()).isFalse();
      assertThat(report.difference("retention.ms"))
          .hasValueSatisfying(
              d -> {
                assertThat(d.expected()).isEqualTo("86400000");
                assertThat(d.actual()).isEqualTo("3600000");
              });
      assertThat(report.difference("unclean.leader.election.enable"))
          .hasValueSatisfying(d -> assertThat(d.actual()).isEqualTo("true"));
      assertThat(report.differences()).hasSize(2);
      assertThat(topics.describe(spec.name()).orElseThrow().configs())
          .as("apply never changes an existing topic")
          .containsEntry("retention.ms", "3600000");

      TopicReport aligned = topics.alignConfigs(spec);
      assertThat(aligned.outcome()).isEqualTo(TopicReport.Outcome.MATCHES);
      assertThat(topics.describe(spec.name()).orElseThrow().configs())
          .containsEntry("retention.ms", "86400000")
          .containsEntry("unclean.leader.election.enable", "false");
    }
  }

  @Test
  void topicCreatedElsewhereWithFewerPartitionsDiffersAndIsLeftAlone(
      KafkaCluster kafka, TestNames names) {
    kafka.createTopic(names.topic(), 2, 1);
    TopicSpec spec = TopicSpec.builder(names.topic()).partitions(4).build();
    try (TopicAdmin topics = topics(kafka)) {
      TopicReport report = topics.apply(spec);
      assertThat(report.outcome()).isEqualTo(TopicReport.Outcome.DIFFERS);
      assertThat(report.difference("partitions"))
          .hasValueSatisfying(
              d -> {
                assertThat(d.expected()).isEqualTo("4");
                assertThat(d.actual()).isEqualTo("2");
              });
      assertThat(topics.describe(spec.name()).orElseThrow().partitionCount()).isEqualTo(2);
    }
  }

  @Test
  void verifyReportsAMissingTopicWithoutCreatingIt(KafkaCluster kafka, TestNames names) {
    try (TopicAdmin topics = topics(kafka)) {
      TopicReport report = topics.verify(TopicSpec.builder(names.topic()).build());
      assertThat(report.outcome()).isEqualTo(TopicReport.Outcome.MISSING);
      assertThat(report.live()).isEmpty();
      assertThat(topics.describe(names.topic())).isEmpty();
    }
  }

  @Test
  void brokerRefusalsSurfaceWithTheirCause(KafkaCluster kafka, TestNames names) {
    try (TopicAdmin topics = topics(kafka)) {
      TopicAdminException tooManyReplicas =
          catchThrowableOfType(
              TopicAdminException.class,
              () -> topics.apply(TopicSpec.durable(names.topic("rf3")).partitions(1).build()));
      assertThat(tooManyReplicas).hasCauseInstanceOf(InvalidReplicationFactorException.class);

      TopicAdminException badConfig =
          catchThrowableOfType(
              TopicAdminException.class,
              () ->
                  topics.apply(
                      TopicSpec.builder(names.topic("bad"))
                          .partitions(1)
                          .config("no.such.topic.config", "1")
                          .build()));
      assertThat(badConfig).hasCauseInstanceOf(InvalidConfigurationException.class);
      assertThat(topics.describe(names.topic("rf3"))).isEmpty();
    }
  }

  @Test
  void partitionsOfAnUnkeyedTopicIncreaseAndNeverDecrease(KafkaCluster kafka, TestNames names) {
    TopicSpec spec =
        TopicSpec.eventStream(names.topic()).partitions(2).replicationFactor(1).build();
    try (TopicAdmin topics = topics(kafka)) {
      topics.apply(spec);
      PartitionIncreaseResult grown =
          topics.increasePartitions(PartitionIncrease.forSpec(spec).to(4));
      assertThat(grown.increased()).isTrue();
      assertThat(grown.previousPartitions()).isEqualTo(2);
      assertThat(grown.partitions()).isEqualTo(4);
      assertThat(topics.describe(spec.name()).orElseThrow().partitionCount()).isEqualTo(4);

      PartitionIncreaseResult same =
          topics.increasePartitions(PartitionIncrease.forTopic(spec.name(), false).to(4));
      assertThat(same.increased()).isFalse();

      TopicChangeRefusedException refused =
          catchThrowableOfType(
              TopicChangeRefusedException.class,
              () -> topics.increasePartitions(PartitionIncrease.forSpec(spec)));
      assertThat(refused.reason()).isEqualTo(TopicChangeRefusedException.Reason.PARTITION_DECREASE);
      assertThat(refused).hasMessageContaining("cannot reduce");
      assertThat(topics.describe(spec.name()).orElseThrow().partitionCount()).isEqualTo(4);
    }
  }

  @Test
  void keyedTopicNeedsAcknowledgementAndKeysReallyMove(KafkaCluster kafka, TestNames names) {
    TopicSpec spec =
        TopicSpec.eventStream(names.topic()).partitions(3).replicationFactor(1).keyed(true).build();
    List<String> keys = IntStream.range(0, 200).mapToObj(i -> "customer-" + i).toList();
    TestRecords records = TestRecords.of(kafka);
    Map<String, Integer> before;
    try (TopicAdmin topics = topics(kafka)) {
      topics.apply(spec);
      records.produce(
          keys.stream().map(k -> new ProducerRecord<>(spec.name(), k, "before")).toList());
      before = partitionByKey(records.readCommitted(spec.name(), TIMEOUT));
      assertThat(before).hasSize(200);
      assertThat(before)
          .as("the producer's default partitioner uses the same formula as KeyMovement")
          .allSatisfy((k, p) -> assertThat(p).isEqualTo(KeyMovement.partitionForKey(utf8(k), 3)));

      PartitionIncrease grow = PartitionIncrease.forSpec(spec).to(6).withSampleKeys(keys);
      TopicChangeRefusedException refused =
          catchThrowableOfType(
              TopicChangeRefusedException.class, () -> topics.increasePartitions(grow));
      assertThat(refused.reason())
          .isEqualTo(TopicChangeRefusedException.Reason.KEYED_TOPIC_NOT_ACKNOWLEDGED);
      KeyMovement predicted = refused.keyMovement().orElseThrow();
      assertThat(predicted.sampledKeys()).isEqualTo(200);
      assertThat(predicted.movedKeys()).isPositive();
      assertThat(refused).hasMessageContaining("of 200 sampled keys");
      assertThat(topics.describe(spec.name()).orElseThrow().partitionCount()).isEqualTo(3);

      PartitionIncreaseResult grown =
          topics.increasePartitions(
              grow.acknowledging(KeyRemapAcknowledgement.because("test: ordering not needed")));
      assertThat(grown.partitions()).isEqualTo(6);
      assertThat(grown.keyMovement().movedKeys()).isEqualTo(predicted.movedKeys());
    }
    records.produce(keys.stream().map(k -> new ProducerRecord<>(spec.name(), k, "after")).toList());
    Map<String, Integer> after =
        partitionByKey(
            records.readCommitted(spec.name(), TIMEOUT).stream()
                .filter(r -> r.value().equals("after"))
                .toList());
    Map<String, Integer> old = before;
    long moved = keys.stream().filter(k -> !old.get(k).equals(after.get(k))).count();
    assertThat(moved)
        .as("keys whose records now land in another partition")
        .isEqualTo(
            KeyMovement.estimate(3, 6, keys.stream().map(TopicAdminTest::utf8).toList())
                .movedKeys());
  }

  @Test
  void metersCountOperationsAndBindTheAdminClient(KafkaCluster kafka, TestNames names) {
    SimpleMeterRegistry registry = new SimpleMeterRegistry();
    TopicSpec spec = TopicSpec.builder(names.topic()).partitions(1).replicationFactor(1).build();
    try (TopicAdmin topics =
        TopicAdmin.builder()
            .clientConfig(kafka.clientConfig())
            .meterRegistry(registry)
            .timeout(TIMEOUT)
            .build()) {
      topics.apply(spec);
      topics.apply(spec);
      topics.increasePartitions(PartitionIncrease.forSpec(spec));
      assertThat(count(registry, TopicMeters.APPLY, "created")).isEqualTo(1.0);
      assertThat(count(registry, TopicMeters.APPLY, "matches")).isEqualTo(1.0);
      assertThat(count(registry, TopicMeters.PARTITION_INCREASE, "unchanged")).isEqualTo(1.0);
      assertThat(registry.getMeters())
          .extracting(m -> m.getId().getName())
          .anyMatch(name -> name.startsWith("kafka.admin.client"));
    }
    assertThat(registry.getMeters())
        .extracting(Meter::getId)
        .noneMatch(id -> id.getName().startsWith("kafka."));
  }

  @Test
  void builderRejectsIncompleteConfiguration() {
    assertThat(
            catchThrowableOfType(SdkConfigException.class, () -> TopicAdmin.builder().build())
                .setting())
        .isEqualTo("clientConfig/admin");
    assertThat(
            catchThrowableOfType(
                    SdkConfigException.class,
                    () -> TopicAdmin.builder().clientConfig(new HashMap<>()).build())
                .setting())
        .isEqualTo("bootstrap.servers");
  }

  private static double count(SimpleMeterRegistry registry, String name, String outcome) {
    return registry.get(name).tag(TopicMeters.TAG_OUTCOME, outcome).counter().count();
  }

  private static Map<String, Integer> partitionByKey(List<ConsumerRecord<String, String>> records) {
    return records.stream()
        .collect(Collectors.toMap(ConsumerRecord::key, ConsumerRecord::partition, (a, b) -> b));
  }

  private static byte[] utf8(String s) {
    return s.getBytes(StandardCharsets.UTF_8);
  }

  static TopicAdmin topics(KafkaCluster kafka) {
    return TopicAdmin.builder().clientConfig(kafka.clientConfig()).timeout(TIMEOUT).build();
  }
}
