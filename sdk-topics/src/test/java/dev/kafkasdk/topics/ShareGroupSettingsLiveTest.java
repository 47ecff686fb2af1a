package dev.kafkasdk.topics;

import static org.assertj.core.api.Assertions.assertThat;

import dev.kafkasdk.test.KafkaCluster;
import dev.kafkasdk.test.KafkaTest;
import dev.kafkasdk.test.ShareGroups;
import dev.kafkasdk.test.TestNames;
import io.micrometer.core.instrument.simple.SimpleMeterRegistry;
import java.time.Duration;
import java.util.List;
import java.util.Map;
import org.junit.jupiter.api.Test;

/** {@link TopicAdmin#shareGroupSettings} reads a real group's and broker's share settings. */
@KafkaTest
class ShareGroupSettingsLiveTest {

  @Test
  void theAdvisorJudgesTheGroupAgainstTheBrokersRealBounds(KafkaCluster kafka, TestNames names) {
    // 2 s is below Kafka's default minimum lock (15 s) but within the test cluster's (1 s).
    ShareGroups.of(kafka)
        .configure(
            names.groupId(),
            Map.of("share.auto.offset.reset", "earliest", "share.record.lock.duration.ms", "2000"));
    TopicSpec spec = TopicSpec.builder(names.topic()).partitions(1).replicationFactor(1).build();
    try (TopicAdmin topics =
        TopicAdmin.builder()
            .clientConfig(kafka.clientConfig())
            .meterRegistry(new SimpleMeterRegistry())
            .timeout(Duration.ofSeconds(60))
            .build()) {
      ShareGroupSettings live =
          topics.shareGroupSettings(names.groupId()).handlingTime(Duration.ofMillis(1)).build();
      assertThat(live.configs())
          .containsEntry("share.auto.offset.reset", "earliest")
          .containsEntry("share.record.lock.duration.ms", "2000")
          .doesNotContainKey("share.delivery.count.limit");
      assertThat(live.brokerConfigs())
          .containsEntry("group.share.min.record.lock.duration.ms", "1000")
          .containsEntry("group.share.max.delivery.count.limit", "10");
      assertThat(live.recordLockDurationMs()).isEqualTo(2_000);
      assertThat(live.deliveryCountLimit()).isEqualTo(5);
      assertThat(shareRules(live, spec)).isEmpty();

      // The same group judged against Kafka's default bounds: the broker would refuse 2 s.
      ShareGroupSettings defaults =
          ShareGroupSettings.builder()
              .configs(live.configs())
              .handlingTime(Duration.ofMillis(1))
              .build();
      assertThat(shareRules(defaults, spec))
          .containsExactly(AdvisorRule.SHARE_SETTING_OUTSIDE_BROKER_BOUNDS);
    }
  }

  private static List<AdvisorRule> shareRules(ShareGroupSettings group, TopicSpec spec) {
    return TopicAdvisor.builder()
        .environment(TopicAdvisor.Environment.DEVELOPMENT)
        .meterRegistry(new SimpleMeterRegistry())
        .shareGroup(group)
        .build()
        .review(spec)
        .stream()
        .map(Finding::rule)
        .filter(r -> r.id().startsWith("share-"))
        .toList();
  }
}
