package dev.kafkasdk.topics;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import dev.kafkasdk.core.SdkConfigException;
import dev.kafkasdk.test.KafkaCluster;
import dev.kafkasdk.test.KafkaTest;
import dev.kafkasdk.test.TestNames;
import java.time.Duration;
import java.util.List;
import org.junit.jupiter.api.Test;

/** The retry chain's topics derived from the main topic's spec, and created on a real broker. */
@KafkaTest
class RetryTopicSpecsTest {

  @Test
  void retryAndDeadLetterTopicsCopyPartitionsAndReplicationAndKeepRecordsPastTheLongestDelay() {
    TopicSpec orders =
        TopicSpec.durable("orders")
            .partitions(12)
            .keyed(true)
            .cleanupPolicy(CleanupPolicy.COMPACT)
            .retention(Duration.ofDays(1))
            .config("max.message.bytes", "2000000")
            .config("compression.type", "zstd")
            .build();
    List<TopicSpec> chain =
        RetryTopicSpecs.forTopic(
            orders,
            Duration.ofSeconds(1),
            Duration.ofSeconds(10),
            Duration.ofMinutes(1),
            Duration.ofDays(3));
    assertThat(chain)
        .extracting(TopicSpec::name)
        .containsExactly(
            "orders.retry-1s",
            "orders.retry-10s",
            "orders.retry-1m",
            "orders.retry-3d",
            "orders.DLT");
    for (TopicSpec spec : chain) {
      assertThat(spec.partitions()).hasValue(12);
      assertThat(spec.replicationFactor()).hasValue(3);
      assertThat(spec.minInsyncReplicas()).hasValue(2);
      assertThat(spec.uncleanLeaderElection()).hasValue(false);
      assertThat(spec.keyed()).isTrue();
      // Compaction would keep only a key's last retry.
      assertThat(spec.cleanupPolicy()).hasValue(CleanupPolicy.DELETE);
      // 4 x the longest delay (3 days) beats both the main topic's day and the 7-day minimum.
      assertThat(spec.retentionMs()).hasValue(Duration.ofDays(12).toMillis());
      assertThat(spec.configs()).containsEntry("max.message.bytes", "2000000");
      assertThat(spec.configs()).doesNotContainKey("compression.type");
    }
  }

  @Test
  void retentionIsTheLongestOfTheMainTopicsTheMinimumAndTheDelayMargin() {
    Duration delay = Duration.ofSeconds(1);
    assertThat(retention(TopicSpec.builder("a").build(), delay))
        .isEqualTo(RetryTopicSpecs.MIN_RETENTION.toMillis());
    assertThat(retention(TopicSpec.builder("a").retention(Duration.ofDays(30)).build(), delay))
        .isEqualTo(Duration.ofDays(30).toMillis());
    assertThat(retention(TopicSpec.builder("a").retentionUnlimited().build(), delay)).isEqualTo(-1);
    // Nothing set on the main topic: only the broker decides its partitions and replication.
    TopicSpec bare = RetryTopicSpecs.forTopic(TopicSpec.builder("a").build(), delay).get(0);
    assertThat(bare.partitions()).isEmpty();
    assertThat(bare.replicationFactor()).isEmpty();
  }

  @Test
  void invalidDelaysAreRefusedNamingTheSetting() {
    TopicSpec main = TopicSpec.builder("orders").build();
    assertThatThrownBy(
            () -> RetryTopicSpecs.forTopic(main, Duration.ofSeconds(10), Duration.ofSeconds(1)))
        .isInstanceOf(SdkConfigException.class)
        .hasMessageContaining("'delays'")
        .hasMessageContaining("strictly ascending");
    assertThatThrownBy(() -> RetryTopicSpecs.forTopic(main, List.of()))
        .isInstanceOf(SdkConfigException.class);
  }

  @Test
  void theDerivedTopicsAreCreatedAsDeclared(KafkaCluster kafka, TestNames names) {
    TopicSpec main =
        TopicSpec.eventStream(names.topic()).partitions(3).replicationFactor(1).build();
    List<TopicSpec> chain =
        RetryTopicSpecs.forTopic(main, Duration.ofMillis(500), Duration.ofSeconds(2));
    try (TopicAdmin topics =
        TopicAdmin.builder()
            .clientConfig(kafka.clientConfig())
            .timeout(Duration.ofSeconds(60))
            .build()) {
      topics.apply(main);
      for (TopicSpec spec : chain) {
        TopicReport report = topics.apply(spec);
        assertThat(report.outcome()).isEqualTo(TopicReport.Outcome.CREATED);
        assertThat(report.conforms()).isTrue();
        assertThat(report.live().orElseThrow().partitionCount()).isEqualTo(3);
      }
    }
  }

  private static long retention(TopicSpec main, Duration delay) {
    return RetryTopicSpecs.forTopic(main, delay).get(0).retentionMs().orElseThrow();
  }
}
