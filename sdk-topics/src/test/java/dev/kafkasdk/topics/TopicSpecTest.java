package dev.kafkasdk.topics;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.catchThrowableOfType;

import dev.kafkasdk.core.SdkConfigException;
import java.time.Duration;
import java.util.Map;
import java.util.Optional;
import org.apache.kafka.clients.admin.NewTopic;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.params.ParameterizedTest;
import org.junit.jupiter.params.provider.ValueSource;

class TopicSpecTest {

  @Test
  void builderWithOnlyANameLeavesEverythingToTheBroker() {
    TopicSpec spec = TopicSpec.builder("orders").build();
    assertThat(spec.partitions()).isEmpty();
    assertThat(spec.replicationFactor()).isEmpty();
    assertThat(spec.configs()).isEmpty();
    assertThat(spec.keyed()).isFalse();
    NewTopic newTopic = spec.toNewTopic();
    assertThat(newTopic.numPartitions()).isEqualTo(-1);
    assertThat(newTopic.replicationFactor()).isEqualTo((short) -1);
  }

  @Test
  void typedSettersBecomeKafkaConfigs() {
    TopicSpec spec =
        TopicSpec.builder("orders")
            .partitions(12)
            .replicationFactor(3)
            .minInsyncReplicas(2)
            .cleanupPolicy(CleanupPolicy.COMPACT_DELETE)
            .retention(Duration.ofHours(6))
            .retentionBytes(1_000_000_000L)
            .segmentBytes(64 * 1024 * 1024)
            .minCleanableDirtyRatio(0.3)
            .uncleanLeaderElection(false)
            .keyed(true)
            .config("max.message.bytes", "2097152")
            .build();
    assertThat(spec.configs())
        .containsExactlyInAnyOrderEntriesOf(
            Map.of(
                "min.insync.replicas", "2",
                "cleanup.policy", "compact,delete",
                "retention.ms", "21600000",
                "retention.bytes", "1000000000",
                "segment.bytes", "67108864",
                "min.cleanable.dirty.ratio", "0.3",
                "unclean.leader.election.enable", "false",
                "max.message.bytes", "2097152"));
    assertThat(spec.partitions()).hasValue(12);
    assertThat(spec.replicationFactor()).hasValue(3);
    assertThat(spec.minInsyncReplicas()).hasValue(2);
    assertThat(spec.cleanupPolicy()).contains(CleanupPolicy.COMPACT_DELETE);
    assertThat(spec.retentionMs()).hasValue(21_600_000L);
    assertThat(spec.retentionBytes()).hasValue(1_000_000_000L);
    assertThat(spec.segmentBytes()).hasValue(64 * 1024 * 1024);
    assertThat(spec.minCleanableDirtyRatio()).hasValue(0.3);
    assertThat(spec.uncleanLeaderElection()).contains(false);
    assertThat(spec.keyed()).isTrue();
    NewTopic newTopic = spec.toNewTopic();
    assertThat(newTopic.numPartitions()).isEqualTo(12);
    assertThat(newTopic.replicationFactor()).isEqualTo((short) 3);
    assertThat(newTopic.configs()).isEqualTo(spec.configs());
  }

  @Test
  void presetsUseTheDocumentedSettings() {
    TopicSpec stream = TopicSpec.eventStream("clicks").build();
    assertThat(stream.cleanupPolicy()).contains(CleanupPolicy.DELETE);
    assertThat(stream.retentionMs()).hasValue(Duration.ofDays(7).toMillis());
    assertThat(stream.uncleanLeaderElection()).contains(false);
    assertThat(stream.keyed()).isFalse();

    TopicSpec changelog = TopicSpec.changelog("customers-state").build();
    assertThat(changelog.cleanupPolicy()).contains(CleanupPolicy.COMPACT);
    assertThat(changelog.keyed()).isTrue();

    TopicSpec durable = TopicSpec.durable("payments").build();
    assertThat(durable.replicationFactor()).hasValue(3);
    assertThat(durable.minInsyncReplicas()).hasValue(2);
    assertThat(durable.uncleanLeaderElection()).contains(false);
  }

  @Test
  void retentionUnlimitedIsMinusOne() {
    assertThat(TopicSpec.builder("t").retentionUnlimited().build().retentionMs()).hasValue(-1);
    assertThat(TopicSpec.builder("t").retentionBytes(-1).build().retentionBytes()).hasValue(-1);
  }

  @Test
  void toBuilderCopiesEverything() {
    TopicSpec spec = TopicSpec.durable("a").partitions(3).keyed(true).build();
    assertThat(spec.toBuilder().build()).isEqualTo(spec).hasSameHashCodeAs(spec);
    assertThat(spec.toBuilder().partitions(4).build()).isNotEqualTo(spec);
  }

  @Test
  void partitionsBelowOneAreRejected() {
    assertRejected(TopicSpec.builder("t").partitions(0), "partitions");
  }

  @Test
  void replicationFactorBelowOneIsRejected() {
    assertRejected(TopicSpec.builder("t").replicationFactor(0), "replication.factor");
  }

  @Test
  void minInsyncReplicasAboveReplicationFactorIsRejected() {
    SdkConfigException e =
        assertRejected(
            TopicSpec.builder("t").replicationFactor(2).minInsyncReplicas(3),
            "min.insync.replicas");
    assertThat(e.getMessage()).contains("acks=all");
  }

  @Test
  void minInsyncReplicasBelowOneIsRejected() {
    assertRejected(TopicSpec.builder("t").minInsyncReplicas(0), "min.insync.replicas");
  }

  @ParameterizedTest
  @ValueSource(doubles = {0.0, -0.1, 1.01, Double.NaN})
  void dirtyRatioOutsideZeroToOneIsRejected(double ratio) {
    assertRejected(
        TopicSpec.builder("t").minCleanableDirtyRatio(ratio), "min.cleanable.dirty.ratio");
  }

  @Test
  void dirtyRatioOfOneIsAccepted() {
    assertThat(TopicSpec.builder("t").minCleanableDirtyRatio(1.0).build().minCleanableDirtyRatio())
        .hasValue(1.0);
  }

  @Test
  void negativeRetentionOtherThanMinusOneIsRejected() {
    assertRejected(TopicSpec.builder("t").retention(Duration.ofMillis(-5)), "retention.ms");
    assertRejected(TopicSpec.builder("t").retention(Duration.ZERO), "retention.ms");
    assertRejected(TopicSpec.builder("t").retentionBytes(-2), "retention.bytes");
    assertRejected(TopicSpec.builder("t").config("retention.ms", "-7"), "retention.ms");
  }

  @Test
  void segmentsBelowOneMebibyteAreRejected() {
    assertRejected(TopicSpec.builder("t").segmentBytes(512 * 1024), "segment.bytes");
    assertThat(TopicSpec.builder("t").segmentBytes(1024 * 1024).build().segmentBytes())
        .hasValue(1024 * 1024);
  }

  @Test
  void typedKeysGivenAsGenericConfigAreCheckedToo() {
    assertRejected(TopicSpec.builder("t").config("cleanup.policy", "shred"), "cleanup.policy");
    assertRejected(
        TopicSpec.builder("t").config("min.insync.replicas", "two"), "min.insync.replicas");
    assertRejected(
        TopicSpec.builder("t").config("unclean.leader.election.enable", "yes"),
        "unclean.leader.election.enable");
    assertRejected(TopicSpec.builder("t").config("segment.ms", "0"), "segment.ms");
    assertThat(
            TopicSpec.builder("t")
                .config("cleanup.policy", "delete,compact")
                .build()
                .cleanupPolicy())
        .contains(CleanupPolicy.COMPACT_DELETE);
  }

  @ParameterizedTest
  @ValueSource(strings = {"", ".", "..", "has space", "slash/topic", "ümlaut"})
  void invalidTopicNamesAreRejected(String name) {
    assertRejected(TopicSpec.builder(name), "name");
  }

  @Test
  void nameOf249CharactersIsTheLimit() {
    assertThat(TopicSpec.builder("a".repeat(249)).build().name()).hasSize(249);
    assertRejected(TopicSpec.builder("a".repeat(250)), "name");
  }

  @Test
  void blankConfigKeyIsRejected() {
    SdkConfigException e =
        catchThrowableOfType(
            SdkConfigException.class, () -> TopicSpec.builder("t").config(" ", "x").build());
    assertThat(e).isNotNull();
  }

  @Test
  void cleanupPolicyParsesKafkaValuesInAnyOrder() {
    assertThat(CleanupPolicy.fromConfigValue("compact, delete"))
        .contains(CleanupPolicy.COMPACT_DELETE);
    assertThat(CleanupPolicy.fromConfigValue("DELETE")).contains(CleanupPolicy.DELETE);
    assertThat(CleanupPolicy.fromConfigValue("")).isEqualTo(Optional.empty());
    assertThat(CleanupPolicy.COMPACT.compacts()).isTrue();
    assertThat(CleanupPolicy.COMPACT.deletes()).isFalse();
    assertThat(CleanupPolicy.COMPACT_DELETE.deletes()).isTrue();
  }

  private static SdkConfigException assertRejected(TopicSpec.Builder builder, String setting) {
    SdkConfigException e = catchThrowableOfType(SdkConfigException.class, builder::build);
    assertThat(e).as("build() must reject the setting %s", setting).isNotNull();
    assertThat(e.setting()).isEqualTo(setting);
    assertThat(e.fix()).isNotBlank();
    assertThat(e.getMessage()).contains(setting).contains("Fix:");
    return e;
  }
}
