package dev.kafkasdk.topics;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.catchThrowableOfType;

import dev.kafkasdk.core.SdkConfigException;
import io.micrometer.core.instrument.simple.SimpleMeterRegistry;
import java.time.Duration;
import java.util.List;
import net.jqwik.api.ForAll;
import net.jqwik.api.Property;
import net.jqwik.api.constraints.IntRange;
import org.junit.jupiter.api.Test;

/** The {@code share-*} rules of {@link TopicAdvisor}: each fires, and each stays quiet. */
class ShareGroupAdvisorTest {
  private static final TopicSpec SPEC =
      TopicSpec.durable("orders").partitions(6).replicationFactor(3).build();

  /** The settings a well-run share group has: no share finding at all. */
  private static ShareGroupSettings.Builder good() {
    return ShareGroupSettings.builder()
        .config("share.auto.offset.reset", "earliest")
        .config("share.isolation.level", "read_committed")
        .transactionalProducers(true)
        .handlingTime(Duration.ofMillis(10))
        .maxPollRecords(500);
  }

  private static List<Finding> review(ShareGroupSettings group) {
    return TopicAdvisor.builder()
        .meterRegistry(new SimpleMeterRegistry())
        .shareGroup(group)
        .build()
        .review(SPEC, ClusterFacts.ofBrokers(3));
  }

  private static List<Finding> shareFindings(ShareGroupSettings group) {
    return review(group).stream().filter(f -> f.rule().id().startsWith("share-")).toList();
  }

  @Test
  void aWellConfiguredShareGroupRaisesNothing() {
    assertThat(shareFindings(good().build())).isEmpty();
  }

  @Test
  void withoutAShareGroupNoShareRuleRuns() {
    assertThat(
            TopicAdvisor.builder()
                .meterRegistry(new SimpleMeterRegistry())
                .build()
                .review(SPEC, ClusterFacts.ofBrokers(3)))
        .noneMatch(f -> f.rule().id().startsWith("share-"));
  }

  @Test
  void kafkaDefaultsStartAtLatestAndSayHowToFixIt() {
    Finding f = single(shareFindings(ShareGroupSettings.builder().build()));
    assertThat(f.rule()).isEqualTo(AdvisorRule.SHARE_STARTS_AT_LATEST);
    assertThat(f.severity()).isEqualTo(Severity.WARNING);
    assertThat(f.setting()).isEqualTo("share.auto.offset.reset");
    assertThat(f.explanation()).contains("never delivered");
    assertThat(f.fix())
        .contains("share.auto.offset.reset=earliest")
        .contains("--entity-type groups");
    assertThat(shareFindings(good().config("share.auto.offset.reset", "latest").build()))
        .extracting(Finding::rule)
        .containsExactly(AdvisorRule.SHARE_STARTS_AT_LATEST);
    assertThat(shareFindings(good().config("share.auto.offset.reset", "by_duration:PT1H").build()))
        .isEmpty();
  }

  @Test
  void transactionalProducersNeedReadCommitted() {
    Finding f =
        single(shareFindings(good().config("share.isolation.level", "read_uncommitted").build()));
    assertThat(f.rule()).isEqualTo(AdvisorRule.SHARE_READS_UNCOMMITTED);
    assertThat(f.fix()).contains("share.isolation.level=read_committed");
    // The default is read_uncommitted too.
    ShareGroupSettings unset =
        ShareGroupSettings.builder()
            .config("share.auto.offset.reset", "earliest")
            .transactionalProducers(true)
            .build();
    assertThat(shareFindings(unset))
        .extracting(Finding::rule)
        .containsExactly(AdvisorRule.SHARE_READS_UNCOMMITTED);
    // Without transactions read_uncommitted is fine.
    assertThat(
            shareFindings(
                good()
                    .transactionalProducers(false)
                    .config("share.isolation.level", "read_uncommitted")
                    .build()))
        .isEmpty();
  }

  @Test
  void settingsOutsideTheBrokerBoundsAreRefusedByTheBroker() {
    Finding lock =
        single(
            shareFindings(
                good()
                    .handlingTime(Duration.ofMillis(1))
                    .config("share.record.lock.duration.ms", "5000")
                    .build()));
    assertThat(lock.rule()).isEqualTo(AdvisorRule.SHARE_SETTING_OUTSIDE_BROKER_BOUNDS);
    assertThat(lock.severity()).isEqualTo(Severity.CRITICAL);
    assertThat(lock.explanation())
        .contains("below the broker's group.share.min.record.lock.duration.ms=15000");
    assertThat(lock.fix()).contains("from 15000 to 60000");

    Finding limit =
        single(shareFindings(good().config("share.delivery.count.limit", "11").build()));
    assertThat(limit.setting()).isEqualTo("share.delivery.count.limit");
    assertThat(limit.explanation())
        .contains("above the broker's group.share.max.delivery.count.limit=10");

    // A broker that allows short locks (as the SDK's test clusters do) accepts 5 s.
    assertThat(
            shareFindings(
                good()
                    .handlingTime(Duration.ofMillis(1))
                    .config("share.record.lock.duration.ms", "5000")
                    .brokerConfig("group.share.min.record.lock.duration.ms", "1000")
                    .build()))
        .isEmpty();
  }

  @Test
  void aLowDeliveryLimitWithoutDeadLetterTopicWarns() {
    Finding f = single(shareFindings(good().config("share.delivery.count.limit", "2").build()));
    assertThat(f.rule()).isEqualTo(AdvisorRule.SHARE_DELIVERY_LIMIT_LOW);
    assertThat(f.fix()).contains("errors.deadletterqueue.topic.name");
    assertThat(
            shareFindings(
                good()
                    .config("share.delivery.count.limit", "2")
                    .config("errors.deadletterqueue.topic.name", "orders-dlq")
                    .build()))
        .isEmpty();
    // The broker's group default counts when the group sets nothing.
    assertThat(shareFindings(good().brokerConfig("group.share.delivery.count.limit", "2").build()))
        .extracting(Finding::rule)
        .containsExactly(AdvisorRule.SHARE_DELIVERY_LIMIT_LOW);
  }

  @Test
  void aPollThatOutlastsTheLockIsCriticalAndTheFixSaysHowManyRecordsFit() {
    // 500 records x 100 ms = 50 s against the default 30 s lock.
    Finding f = single(shareFindings(good().handlingTime(Duration.ofMillis(100)).build()));
    assertThat(f.rule()).isEqualTo(AdvisorRule.SHARE_LOCK_SHORTER_THAN_HANDLING);
    assertThat(f.severity()).isEqualTo(Severity.CRITICAL);
    assertThat(f.explanation()).contains("50,000 ms").contains("30,000 ms");
    // Half of 30 s at 100 ms per record.
    assertThat(f.fix()).contains("max.poll.records to 150 or fewer").contains("RENEW");
  }

  /**
   * Against a small model: held = handling x records; CRITICAL if held >= lock, WARNING if held >
   * lock / 2, nothing otherwise. Group lock values stay within the broker bounds here.
   */
  @Property(tries = 300)
  void lockRuleMatchesTheModel(
      @ForAll @IntRange(min = 1, max = 2_000) int handlingMs,
      @ForAll @IntRange(min = 1, max = 1_000) int records,
      @ForAll @IntRange(min = 15, max = 60) int lockSeconds) {
    ShareGroupSettings group =
        good()
            .handlingTime(Duration.ofMillis(handlingMs))
            .maxPollRecords(records)
            .config("share.record.lock.duration.ms", Integer.toString(lockSeconds * 1000))
            .build();
    long held = (long) handlingMs * records;
    long lock = lockSeconds * 1000L;
    List<Finding> findings = shareFindings(group);
    if (held >= lock) {
      assertThat(single(findings).severity()).isEqualTo(Severity.CRITICAL);
    } else if (held * 2 > lock) {
      assertThat(single(findings).severity()).isEqualTo(Severity.WARNING);
    } else {
      assertThat(findings).isEmpty();
    }
    findings.forEach(
        f -> assertThat(f.rule()).isEqualTo(AdvisorRule.SHARE_LOCK_SHORTER_THAN_HANDLING));
  }

  @Test
  void buildRejectsValuesKafkaWouldRefuse() {
    assertThat(
            catchThrowableOfType(
                SdkConfigException.class,
                () ->
                    ShareGroupSettings.builder()
                        .config("share.auto.offset.reset", "first")
                        .build()))
        .hasMessageContaining("share.auto.offset.reset");
    assertThat(
            catchThrowableOfType(
                SdkConfigException.class,
                () ->
                    ShareGroupSettings.builder()
                        .config("share.record.lock.duration.ms", "soon")
                        .build()))
        .hasMessageContaining("share.record.lock.duration.ms");
    assertThat(
            catchThrowableOfType(
                SdkConfigException.class,
                () ->
                    ShareGroupSettings.builder().config("share.isolation.level", "serial").build()))
        .hasMessageContaining("share.isolation.level");
    assertThat(
            catchThrowableOfType(
                SdkConfigException.class,
                () -> ShareGroupSettings.builder().handlingTime(Duration.ZERO).build()))
        .hasMessageContaining("handlingTime");
    assertThat(
            catchThrowableOfType(
                SdkConfigException.class,
                () -> ShareGroupSettings.builder().maxPollRecords(0).build()))
        .hasMessageContaining("maxPollRecords");
  }

  @Test
  void effectiveValuesFollowGroupThenBrokerThenKafkaDefaults() {
    ShareGroupSettings none = ShareGroupSettings.builder().build();
    assertThat(none.recordLockDurationMs()).isEqualTo(30_000);
    assertThat(none.deliveryCountLimit()).isEqualTo(5);
    assertThat(none.autoOffsetReset()).isEqualTo("latest");
    assertThat(none.isolationLevel()).isEqualTo("read_uncommitted");
    ShareGroupSettings broker =
        ShareGroupSettings.builder()
            .brokerConfig("group.share.record.lock.duration.ms", "20000")
            .build();
    assertThat(broker.recordLockDurationMs()).isEqualTo(20_000);
    ShareGroupSettings group =
        ShareGroupSettings.builder()
            .brokerConfig("group.share.record.lock.duration.ms", "20000")
            .config("share.record.lock.duration.ms", "45000")
            .build();
    assertThat(group.recordLockDurationMs()).isEqualTo(45_000);
  }

  private static Finding single(List<Finding> findings) {
    assertThat(findings).hasSize(1);
    return findings.get(0);
  }
}
