package dev.kafkasdk.topics;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.catchThrowable;

import dev.kafkasdk.test.KafkaCluster;
import dev.kafkasdk.test.KafkaTest;
import dev.kafkasdk.test.TestNames;
import dev.kafkasdk.test.TestRecords;
import java.util.List;
import org.junit.jupiter.api.Test;

/** The advisor over topics that really exist on a single broker. */
@KafkaTest
class LiveAdvisorTest {

  @Test
  void clusterFactsCountTheBrokerAndItsReplicas(KafkaCluster kafka, TestNames names) {
    try (TopicAdmin topics = TopicAdminTest.topics(kafka)) {
      topics.apply(TopicSpec.builder(names.topic()).partitions(4).replicationFactor(1).build());
      ClusterFacts facts = topics.clusterFacts();
      assertThat(facts.brokerCount()).isEqualTo(1);
      assertThat(facts.replicasPerBroker()).hasSize(1);
      assertThat(facts.maxReplicasOnOneBroker()).isGreaterThanOrEqualTo(4);
      assertThat(facts.openFileLimit()).isEmpty();
    }
  }

  @Test
  void riskyLiveTopicIsReportedAndTheRisksAreReal(KafkaCluster kafka, TestNames names) {
    TopicSpec spec =
        TopicSpec.builder(names.topic())
            .partitions(2)
            .replicationFactor(1)
            .cleanupPolicy(CleanupPolicy.COMPACT)
            .uncleanLeaderElection(true)
            .keyed(false)
            .build();
    try (TopicAdmin topics = TopicAdminTest.topics(kafka)) {
      topics.apply(spec);
      LiveTopic live = topics.describe(spec.name()).orElseThrow();
      ClusterFacts facts = topics.clusterFacts();
      List<Finding> findings = TopicAdvisor.builder().build().review(spec, live, facts);

      assertThat(findings)
          .extracting(Finding::rule)
          .contains(
              AdvisorRule.COMPACTION_WITHOUT_KEYS,
              AdvisorRule.UNCLEAN_LEADER_ELECTION,
              AdvisorRule.REPLICATION_BELOW_THREE)
          .doesNotContain(
              AdvisorRule.UNDER_REPLICATED,
              AdvisorRule.UNDER_MIN_ISR,
              AdvisorRule.PARTITION_OFFLINE,
              AdvisorRule.BROKER_DEFAULT_APPLIES);
      assertThat(findings.get(0).severity()).isEqualTo(Severity.CRITICAL);

      assertThat(TopicAdvisor.builder().build().review(live, facts))
          .extracting(Finding::rule)
          .as("without the spec nobody knows whether producers write keys")
          .doesNotContain(AdvisorRule.COMPACTION_WITHOUT_KEYS)
          .contains(AdvisorRule.UNCLEAN_LEADER_ELECTION);
    }
    // The broker really refuses a keyless record on the compacted topic.
    Throwable keyless = catchThrowable(() -> TestRecords.of(kafka).produce(spec.name(), null, "v"));
    assertThat(keyless).hasMessageContaining("without key");
  }

  @Test
  void openFileLimitFromTheCallerIsApplied(KafkaCluster kafka, TestNames names) {
    TopicSpec spec = TopicSpec.builder(names.topic()).partitions(20).replicationFactor(1).build();
    try (TopicAdmin topics = TopicAdminTest.topics(kafka)) {
      topics.apply(spec);
      LiveTopic live = topics.describe(spec.name()).orElseThrow();
      ClusterFacts facts = topics.clusterFacts();
      // Every replica on the broker needs at least 6 files; a limit of that many replicas x 6
      // leaves no room, a limit 100 times higher is comfortable.
      long needed = (long) facts.maxReplicasOnOneBroker() * 6;
      TopicAdvisor advisor =
          TopicAdvisor.builder().environment(TopicAdvisor.Environment.DEVELOPMENT).build();
      assertThat(advisor.review(spec, live, facts.withOpenFileLimit(needed)))
          .filteredOn(f -> f.rule() == AdvisorRule.OPEN_FILES_NEAR_LIMIT)
          .singleElement()
          .extracting(Finding::severity)
          .isEqualTo(Severity.CRITICAL);
      assertThat(advisor.review(spec, live, facts.withOpenFileLimit(needed * 100)))
          .extracting(Finding::rule)
          .doesNotContain(AdvisorRule.OPEN_FILES_NEAR_LIMIT);
    }
  }
}
