package dev.kafkasdk.topics;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.catchThrowableOfType;

import dev.kafkasdk.core.SdkConfigException;
import dev.kafkasdk.topics.internal.OpenFileEstimate;
import dev.kafkasdk.topics.internal.TopicFacts;
import io.micrometer.core.instrument.Metrics;
import io.micrometer.core.instrument.simple.SimpleMeterRegistry;
import java.time.Duration;
import java.util.HashMap;
import java.util.List;
import java.util.Map;
import java.util.Optional;
import java.util.OptionalInt;
import org.junit.jupiter.api.Nested;
import org.junit.jupiter.api.Test;

/** One nested class per rule group; every rule has a firing and a quiet case. */
class TopicAdvisorTest {
  private static final TopicAdvisor PRODUCTION = TopicAdvisor.builder().build();
  private static final ClusterFacts THREE_BROKERS = ClusterFacts.ofBrokers(3);
  private static final int MIB = 1024 * 1024;

  @Test
  void theRecommendedDurableSetupRaisesNoWarning() {
    TopicSpec spec = TopicSpec.durable("orders").partitions(12).build();
    List<Finding> findings =
        TopicAdvisor.builder().consumers(6).build().review(spec, THREE_BROKERS);
    assertThat(findings).allSatisfy(f -> assertThat(f.severity()).isEqualTo(Severity.INFO));
    assertThat(findings).isEmpty();
  }

  @Test
  void findingsAreSortedMostSevereFirstAndCounted() {
    SimpleMeterRegistry registry = new SimpleMeterRegistry();
    TopicAdvisor advisor = TopicAdvisor.builder().meterRegistry(registry).build();
    List<Finding> findings =
        advisor.review(
            TopicSpec.builder("t")
                .partitions(1)
                .replicationFactor(1)
                .uncleanLeaderElection(true)
                .retentionUnlimited()
                .build());
    assertThat(findings)
        .extracting(Finding::severity)
        .isSortedAccordingTo((a, b) -> b.compareTo(a));
    assertThat(findings.get(0).severity()).isEqualTo(Severity.CRITICAL);
    assertThat(
            registry
                .get(TopicMeters.ADVISOR_FINDINGS)
                .tag(TopicMeters.TAG_RULE, "unclean-leader-election")
                .tag(TopicMeters.TAG_SEVERITY, "warning")
                .counter()
                .count())
        .isEqualTo(1.0);
  }

  @Test
  void withoutARegistryFindingsAreCountedInTheGlobalRegistry() {
    // A registry of its own, attached to the global one only for this test: it sees only the
    // increments made while attached, whatever earlier tests left in the global registry.
    SimpleMeterRegistry attached = new SimpleMeterRegistry();
    Metrics.addRegistry(attached);
    try {
      TopicAdvisor.builder()
          .build()
          .review(TopicSpec.builder("t").partitions(1).uncleanLeaderElection(true).build());
      assertThat(
              attached
                  .get(TopicMeters.ADVISOR_FINDINGS)
                  .tag(TopicMeters.TAG_RULE, "unclean-leader-election")
                  .counter()
                  .count())
          .isEqualTo(1.0);
    } finally {
      Metrics.removeRegistry(attached);
    }
  }

  @Test
  void findingsExplainAndSayHowToFix() {
    Finding f =
        single(
            PRODUCTION.review(TopicSpec.durable("t").partitions(3).minInsyncReplicas(3).build()),
            AdvisorRule.MIN_ISR_BLOCKS_ROLLING_RESTART);
    assertThat(f.topic()).isEqualTo("t");
    assertThat(f.setting()).isEqualTo("min.insync.replicas");
    assertThat(f.explanation()).isNotBlank();
    assertThat(f.fix()).isNotBlank();
    assertThat(f.toString()).contains("CRITICAL").contains("min-isr-blocks-rolling-restart");
  }

  @Test
  void invalidSettingsAreRejected() {
    assertThat(
            catchThrowableOfType(
                    SdkConfigException.class,
                    () -> TopicAdvisor.builder().producerAcks("most").build())
                .setting())
        .isEqualTo("acks");
    assertThat(
            catchThrowableOfType(
                    SdkConfigException.class, () -> TopicAdvisor.builder().consumers(0).build())
                .setting())
        .isEqualTo("consumers");
  }

  @Nested
  class Replication {
    @Test
    void replicationFactorAboveBrokerCount() {
      TopicSpec spec = TopicSpec.durable("t").partitions(3).build();
      assertThat(
              single(
                      PRODUCTION.review(spec, ClusterFacts.ofBrokers(2)),
                      AdvisorRule.REPLICATION_EXCEEDS_BROKERS)
                  .severity())
          .isEqualTo(Severity.CRITICAL);
      assertThat(rules(PRODUCTION.review(spec, THREE_BROKERS)))
          .doesNotContain(AdvisorRule.REPLICATION_EXCEEDS_BROKERS);
    }

    @Test
    void minIsrAboveReplicationOnALiveTopic() {
      LiveTopic live = SpecComparisonTest.live("t", 1, 2, Map.of("min.insync.replicas", "3"));
      assertThat(rules(PRODUCTION.review(live, THREE_BROKERS)))
          .contains(AdvisorRule.MIN_ISR_ABOVE_REPLICATION);
      LiveTopic fine = SpecComparisonTest.live("t", 1, 3, Map.of("min.insync.replicas", "2"));
      assertThat(rules(PRODUCTION.review(fine, THREE_BROKERS)))
          .doesNotContain(AdvisorRule.MIN_ISR_ABOVE_REPLICATION);
    }

    @Test
    void minIsrEqualToReplicationFactorBlocksRollingRestarts() {
      TopicSpec spec = TopicSpec.builder("t").replicationFactor(2).minInsyncReplicas(2).build();
      Finding f =
          single(
              PRODUCTION.review(spec, ClusterFacts.ofBrokers(5)),
              AdvisorRule.MIN_ISR_BLOCKS_ROLLING_RESTART);
      assertThat(f.severity()).isEqualTo(Severity.CRITICAL);
      assertThat(f.explanation()).contains("rolling restart").contains("replication factor");
    }

    @Test
    void minIsrAtTheBrokerCountBlocksRollingRestarts() {
      TopicSpec spec = TopicSpec.builder("t").minInsyncReplicas(2).build();
      assertThat(
              single(
                      PRODUCTION.review(spec, ClusterFacts.ofBrokers(2)),
                      AdvisorRule.MIN_ISR_BLOCKS_ROLLING_RESTART)
                  .explanation())
          .contains("broker count (2)");
      assertThat(rules(PRODUCTION.review(spec, THREE_BROKERS)))
          .doesNotContain(AdvisorRule.MIN_ISR_BLOCKS_ROLLING_RESTART);
    }

    @Test
    void recommendedMinIsrDoesNotBlockRollingRestarts() {
      assertThat(rules(PRODUCTION.review(TopicSpec.durable("t").build(), THREE_BROKERS)))
          .doesNotContain(AdvisorRule.MIN_ISR_BLOCKS_ROLLING_RESTART);
    }

    @Test
    void minIsrOneWithAcksAllIsLikeAcksOne() {
      TopicSpec spec = TopicSpec.durable("t").minInsyncReplicas(1).build();
      assertThat(
              single(PRODUCTION.review(spec), AdvisorRule.MIN_ISR_ONE_WITH_ACKS_ALL).explanation())
          .contains("acks=1");
      assertThat(rules(TopicAdvisor.builder().producerAcks("1").build().review(spec)))
          .doesNotContain(AdvisorRule.MIN_ISR_ONE_WITH_ACKS_ALL);
      TopicSpec single = TopicSpec.builder("t").replicationFactor(1).minInsyncReplicas(1).build();
      assertThat(rules(PRODUCTION.review(single)))
          .doesNotContain(AdvisorRule.MIN_ISR_ONE_WITH_ACKS_ALL);
    }

    @Test
    void acksBelowAllIgnoresMinIsr() {
      TopicSpec spec = TopicSpec.durable("t").build();
      assertThat(rules(TopicAdvisor.builder().producerAcks("1").build().review(spec)))
          .contains(AdvisorRule.ACKS_IGNORE_MIN_ISR);
      assertThat(rules(TopicAdvisor.builder().producerAcks("-1").build().review(spec)))
          .doesNotContain(AdvisorRule.ACKS_IGNORE_MIN_ISR);
      assertThat(
              rules(
                  TopicAdvisor.builder()
                      .producerAcks("0")
                      .environment(TopicAdvisor.Environment.DEVELOPMENT)
                      .build()
                      .review(spec)))
          .doesNotContain(AdvisorRule.ACKS_IGNORE_MIN_ISR);
    }

    @Test
    void replicationBelowThreeInProduction() {
      assertThat(
              single(
                      PRODUCTION.review(TopicSpec.builder("t").replicationFactor(1).build()),
                      AdvisorRule.REPLICATION_BELOW_THREE)
                  .severity())
          .isEqualTo(Severity.CRITICAL);
      assertThat(
              single(
                      PRODUCTION.review(TopicSpec.builder("t").replicationFactor(2).build()),
                      AdvisorRule.REPLICATION_BELOW_THREE)
                  .severity())
          .isEqualTo(Severity.WARNING);
      assertThat(rules(PRODUCTION.review(TopicSpec.builder("t").replicationFactor(3).build())))
          .doesNotContain(AdvisorRule.REPLICATION_BELOW_THREE);
      TopicAdvisor dev =
          TopicAdvisor.builder().environment(TopicAdvisor.Environment.DEVELOPMENT).build();
      assertThat(rules(dev.review(TopicSpec.builder("t").replicationFactor(1).build())))
          .doesNotContain(AdvisorRule.REPLICATION_BELOW_THREE);
    }

    @Test
    void undeclaredReplicationIsNoted() {
      Finding f =
          single(
              PRODUCTION.review(TopicSpec.builder("t").build()),
              AdvisorRule.BROKER_DEFAULT_APPLIES);
      assertThat(f.setting()).isEqualTo("partitions, replication.factor, min.insync.replicas");
      assertThat(rules(PRODUCTION.review(TopicSpec.durable("t").partitions(3).build())))
          .doesNotContain(AdvisorRule.BROKER_DEFAULT_APPLIES);
    }

    @Test
    void uncleanLeaderElectionMayLoseData() {
      assertThat(
              single(
                      PRODUCTION.review(TopicSpec.builder("t").uncleanLeaderElection(true).build()),
                      AdvisorRule.UNCLEAN_LEADER_ELECTION)
                  .explanation())
          .contains("lost");
      assertThat(
              rules(PRODUCTION.review(TopicSpec.builder("t").uncleanLeaderElection(false).build())))
          .doesNotContain(AdvisorRule.UNCLEAN_LEADER_ELECTION);
      LiveTopic live =
          SpecComparisonTest.live("t", 1, 3, Map.of("unclean.leader.election.enable", "true"));
      assertThat(rules(PRODUCTION.review(live, THREE_BROKERS)))
          .contains(AdvisorRule.UNCLEAN_LEADER_ELECTION);
    }
  }

  @Nested
  class Cleanup {
    @Test
    void compactionWithoutKeys() {
      TopicSpec unkeyed = TopicSpec.builder("t").cleanupPolicy(CleanupPolicy.COMPACT).build();
      assertThat(single(PRODUCTION.review(unkeyed), AdvisorRule.COMPACTION_WITHOUT_KEYS).severity())
          .isEqualTo(Severity.CRITICAL);
      assertThat(rules(PRODUCTION.review(TopicSpec.changelog("t").build())))
          .doesNotContain(AdvisorRule.COMPACTION_WITHOUT_KEYS);
      LiveTopic live = SpecComparisonTest.live("t", 1, 3, Map.of("cleanup.policy", "compact"));
      assertThat(rules(PRODUCTION.review(live, THREE_BROKERS)))
          .as("without a spec nobody said whether records have keys")
          .doesNotContain(AdvisorRule.COMPACTION_WITHOUT_KEYS);
    }

    @Test
    void verySmallSegments() {
      assertThat(rules(PRODUCTION.review(TopicSpec.builder("t").segmentBytes(2 * MIB).build())))
          .contains(AdvisorRule.SEGMENT_TOO_SMALL);
      assertThat(rules(PRODUCTION.review(TopicSpec.builder("t").segmentBytes(256 * MIB).build())))
          .doesNotContain(AdvisorRule.SEGMENT_TOO_SMALL);
    }

    @Test
    void segmentsRolledEveryMinute() {
      assertThat(
              rules(
                  PRODUCTION.review(TopicSpec.builder("t").config("segment.ms", "60000").build())))
          .contains(AdvisorRule.SEGMENT_ROLLS_TOO_OFTEN);
      assertThat(
              rules(
                  PRODUCTION.review(
                      TopicSpec.builder("t").config("segment.ms", "3600000").build())))
          .doesNotContain(AdvisorRule.SEGMENT_ROLLS_TOO_OFTEN);
    }

    @Test
    void dirtyRatioThatRunsTheCleanerConstantly() {
      assertThat(
              rules(
                  PRODUCTION.review(TopicSpec.changelog("t").minCleanableDirtyRatio(0.05).build())))
          .contains(AdvisorRule.DIRTY_RATIO_TOO_LOW);
      assertThat(
              rules(
                  PRODUCTION.review(TopicSpec.changelog("t").minCleanableDirtyRatio(0.5).build())))
          .doesNotContain(AdvisorRule.DIRTY_RATIO_TOO_LOW, AdvisorRule.DIRTY_RATIO_HIGH);
      assertThat(
              rules(
                  PRODUCTION.review(
                      TopicSpec.eventStream("t").minCleanableDirtyRatio(0.05).build())))
          .doesNotContain(AdvisorRule.DIRTY_RATIO_TOO_LOW);
    }

    @Test
    void highDirtyRatioCostsDisk() {
      Finding f =
          single(
              PRODUCTION.review(TopicSpec.changelog("t").minCleanableDirtyRatio(0.9).build()),
              AdvisorRule.DIRTY_RATIO_HIGH);
      assertThat(f.severity()).isEqualTo(Severity.INFO);
      assertThat(f.explanation()).contains("10 times");
    }

    @Test
    void settingsTheCleanupPolicyIgnores() {
      assertThat(
              single(
                      PRODUCTION.review(
                          TopicSpec.changelog("t").retention(Duration.ofDays(1)).build()),
                      AdvisorRule.SETTING_WITHOUT_EFFECT)
                  .setting())
          .startsWith("retention.ms");
      assertThat(
              single(
                      PRODUCTION.review(
                          TopicSpec.eventStream("t").minCleanableDirtyRatio(0.3).build()),
                      AdvisorRule.SETTING_WITHOUT_EFFECT)
                  .setting())
          .isEqualTo("min.cleanable.dirty.ratio");
      assertThat(
              rules(
                  PRODUCTION.review(
                      TopicSpec.changelog("t")
                          .cleanupPolicy(CleanupPolicy.COMPACT_DELETE)
                          .retention(Duration.ofDays(30))
                          .build())))
          .doesNotContain(AdvisorRule.SETTING_WITHOUT_EFFECT);
    }

    @Test
    void retentionBytesBelowOneSegment() {
      TopicSpec spec =
          TopicSpec.builder("t").retentionBytes(10L * MIB).segmentBytes(64 * MIB).build();
      assertThat(rules(PRODUCTION.review(spec)))
          .contains(AdvisorRule.RETENTION_BYTES_BELOW_SEGMENT);
      TopicSpec fine =
          TopicSpec.builder("t").retentionBytes(1024L * MIB).segmentBytes(64 * MIB).build();
      assertThat(rules(PRODUCTION.review(fine)))
          .doesNotContain(AdvisorRule.RETENTION_BYTES_BELOW_SEGMENT);
      assertThat(rules(PRODUCTION.review(TopicSpec.builder("t").retentionBytes(10L * MIB).build())))
          .as("the default segment is 1 GiB")
          .contains(AdvisorRule.RETENTION_BYTES_BELOW_SEGMENT);
    }

    @Test
    void unlimitedRetention() {
      assertThat(rules(PRODUCTION.review(TopicSpec.eventStream("t").retentionUnlimited().build())))
          .contains(AdvisorRule.UNLIMITED_RETENTION);
      assertThat(
              rules(
                  PRODUCTION.review(
                      TopicSpec.eventStream("t")
                          .retentionUnlimited()
                          .retentionBytes(1024L * MIB)
                          .build())))
          .doesNotContain(AdvisorRule.UNLIMITED_RETENTION);
    }
  }

  @Nested
  class Capacity {
    @Test
    void openFilesNearTheBrokersLimit() {
      // 1000 partitions x RF 3 over 3 brokers = 1000 replicas per broker; default retention and
      // segment.ms (7 days each) give 2 segments x 3 files = 6 files per replica: 6000 files.
      TopicSpec spec = TopicSpec.durable("t").partitions(1000).build();
      Finding warning =
          single(
              PRODUCTION.review(spec, THREE_BROKERS.withOpenFileLimit(10_000)),
              AdvisorRule.OPEN_FILES_NEAR_LIMIT);
      assertThat(warning.severity()).isEqualTo(Severity.WARNING);
      assertThat(warning.explanation()).contains("6,000").contains("60%");
      assertThat(
              single(
                      PRODUCTION.review(spec, THREE_BROKERS.withOpenFileLimit(6_500)),
                      AdvisorRule.OPEN_FILES_NEAR_LIMIT)
                  .severity())
          .isEqualTo(Severity.CRITICAL);
      assertThat(rules(PRODUCTION.review(spec, THREE_BROKERS.withOpenFileLimit(100_000))))
          .doesNotContain(AdvisorRule.OPEN_FILES_NEAR_LIMIT);
    }

    @Test
    void openFilesCountOtherTopicsOnTheBusiestBroker() {
      ClusterFacts cluster =
          THREE_BROKERS
              .withReplicasPerBroker(Map.of(1, 2_000, 2, 10, 3, 10))
              .withOpenFileLimit(20_000);
      TopicSpec spec = TopicSpec.durable("t").partitions(3).build();
      Finding f = single(PRODUCTION.review(spec, cluster), AdvisorRule.OPEN_FILES_NEAR_LIMIT);
      // Broker 1: 2,000 other replicas x 6 files + 3 replicas of this topic (3 x RF 3 / 3) x 6.
      assertThat(f.explanation()).contains("busiest broker (1)").contains("12,018");
    }

    @Test
    void shortSegmentsMultiplyFiles() {
      TopicFacts hourly =
          TopicFacts.of(
              TopicSpec.builder("t")
                  .retention(Duration.ofDays(1))
                  .config("segment.ms", Long.toString(Duration.ofHours(1).toMillis()))
                  .build(),
              null);
      assertThat(OpenFileEstimate.segmentsPerReplica(hourly)).isEqualTo(25);
      TopicFacts bySize =
          TopicFacts.of(
              TopicSpec.builder("t")
                  .retention(Duration.ofDays(30))
                  .config("segment.ms", Long.toString(Duration.ofDays(1).toMillis()))
                  .retentionBytes(10L * 1024 * MIB)
                  .segmentBytes(1024 * MIB)
                  .build(),
              null);
      // Size caps it first: 10 closed 1 GiB segments plus the active one (time alone gives 31).
      assertThat(OpenFileEstimate.segmentsPerReplica(bySize)).isEqualTo(11);
      assertThat(OpenFileEstimate.filesPerReplica(bySize)).isEqualTo(33);
    }

    @Test
    void tooManyReplicasPerBroker() {
      assertThat(
              rules(
                  PRODUCTION.review(
                      TopicSpec.durable("t").partitions(5_000).build(), THREE_BROKERS)))
          .contains(AdvisorRule.PARTITIONS_PER_BROKER_HIGH);
      assertThat(
              rules(
                  PRODUCTION.review(
                      TopicSpec.durable("t").partitions(3_000).build(), THREE_BROKERS)))
          .doesNotContain(AdvisorRule.PARTITIONS_PER_BROKER_HIGH);
    }

    @Test
    void fewerPartitionsThanConsumers() {
      TopicAdvisor six = TopicAdvisor.builder().consumers(6).build();
      assertThat(
              single(
                      six.review(TopicSpec.durable("t").partitions(4).build()),
                      AdvisorRule.PARTITIONS_BELOW_CONSUMERS)
                  .explanation())
          .contains("2 consumers would sit idle");
      assertThat(rules(six.review(TopicSpec.durable("t").partitions(6).build())))
          .doesNotContain(AdvisorRule.PARTITIONS_BELOW_CONSUMERS);
    }

    @Test
    void partitionsNotAMultipleOfConsumers() {
      TopicAdvisor four = TopicAdvisor.builder().consumers(4).build();
      assertThat(
              single(
                      four.review(TopicSpec.durable("t").partitions(10).build()),
                      AdvisorRule.PARTITIONS_UNEVEN_FOR_CONSUMERS)
                  .explanation())
          .contains("2 consumers read 3 partitions and the rest 2");
      assertThat(rules(four.review(TopicSpec.durable("t").partitions(12).build())))
          .doesNotContain(AdvisorRule.PARTITIONS_UNEVEN_FOR_CONSUMERS);
    }

    @Test
    void partitionsFarAboveConsumers() {
      TopicAdvisor four = TopicAdvisor.builder().consumers(4).build();
      assertThat(rules(four.review(TopicSpec.durable("t").partitions(100).build())))
          .contains(AdvisorRule.PARTITIONS_FAR_ABOVE_CONSUMERS);
      assertThat(rules(four.review(TopicSpec.durable("t").partitions(24).build())))
          .doesNotContain(AdvisorRule.PARTITIONS_FAR_ABOVE_CONSUMERS);
    }

    @Test
    void keyedTopicWithoutRoomToGrow() {
      TopicAdvisor six = TopicAdvisor.builder().consumers(6).build();
      assertThat(rules(six.review(TopicSpec.durable("t").partitions(6).keyed(true).build())))
          .contains(AdvisorRule.KEYED_TOPIC_GROWTH);
      assertThat(rules(six.review(TopicSpec.durable("t").partitions(12).keyed(true).build())))
          .doesNotContain(AdvisorRule.KEYED_TOPIC_GROWTH);
      assertThat(rules(six.review(TopicSpec.durable("t").partitions(6).build())))
          .doesNotContain(AdvisorRule.KEYED_TOPIC_GROWTH);
    }
  }

  @Nested
  class LiveHealth {
    @Test
    void offlinePartition() {
      LiveTopic live =
          new LiveTopic(
              "t",
              List.of(
                  new LiveTopic.PartitionState(
                      0, OptionalInt.of(1), List.of(1, 2, 3), List.of(1, 2, 3)),
                  new LiveTopic.PartitionState(
                      1, OptionalInt.empty(), List.of(2, 3, 1), List.of())),
              Map.of("min.insync.replicas", "2"));
      Finding f = single(PRODUCTION.review(live, THREE_BROKERS), AdvisorRule.PARTITION_OFFLINE);
      assertThat(f.explanation()).contains("[1]");
    }

    @Test
    void fewerInSyncReplicasThanMinIsr() {
      LiveTopic live = withIsr(List.of(1), "2");
      assertThat(rules(PRODUCTION.review(live, THREE_BROKERS)))
          .contains(AdvisorRule.UNDER_MIN_ISR, AdvisorRule.UNDER_REPLICATED);
    }

    @Test
    void underReplicatedButStillWritable() {
      List<AdvisorRule> rules =
          rules(PRODUCTION.review(withIsr(List.of(1, 2), "2"), THREE_BROKERS));
      assertThat(rules)
          .contains(AdvisorRule.UNDER_REPLICATED)
          .doesNotContain(AdvisorRule.UNDER_MIN_ISR);
    }

    @Test
    void healthyLiveTopic() {
      assertThat(rules(PRODUCTION.review(withIsr(List.of(1, 2, 3), "2"), THREE_BROKERS)))
          .doesNotContain(
              AdvisorRule.UNDER_REPLICATED,
              AdvisorRule.UNDER_MIN_ISR,
              AdvisorRule.PARTITION_OFFLINE);
    }

    @Test
    void liveValuesWinOverTheSpec() {
      TopicSpec spec = TopicSpec.durable("t").partitions(1).build();
      Map<String, String> configs = new HashMap<>();
      configs.put("min.insync.replicas", "1");
      LiveTopic live = SpecComparisonTest.live("t", 1, 3, configs);
      assertThat(rules(PRODUCTION.review(spec, live, THREE_BROKERS)))
          .contains(AdvisorRule.MIN_ISR_ONE_WITH_ACKS_ALL);
      assertThat(TopicFacts.of(spec, live).keyed()).isEqualTo(Optional.of(false));
    }

    private LiveTopic withIsr(List<Integer> isr, String minIsr) {
      return new LiveTopic(
          "t",
          List.of(
              new LiveTopic.PartitionState(0, OptionalInt.of(isr.get(0)), List.of(1, 2, 3), isr)),
          Map.of("min.insync.replicas", minIsr));
    }
  }

  @Test
  void everyRuleHasAUniqueId() {
    assertThat(java.util.Arrays.stream(AdvisorRule.values()).map(AdvisorRule::id))
        .doesNotHaveDuplicates()
        .allMatch(id -> id.matches("[a-z]+(-[a-z]+)*"));
  }

  private static List<AdvisorRule> rules(List<Finding> findings) {
    return findings.stream().map(Finding::rule).toList();
  }

  private static Finding single(List<Finding> findings, AdvisorRule rule) {
    List<Finding> matching = findings.stream().filter(f -> f.rule() == rule).toList();
    assertThat(matching).as("findings for %s in %s", rule, findings).hasSize(1);
    return matching.get(0);
  }
}
