package dev.kafkasdk.topics;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.catchThrowableOfType;

import dev.kafkasdk.core.SdkConfigException;
import java.time.Duration;
import net.jqwik.api.ForAll;
import net.jqwik.api.Property;
import net.jqwik.api.constraints.DoubleRange;
import org.junit.jupiter.api.Test;

class PartitionPlannerTest {

  @Test
  void thousandRecordsAtHundredPerConsumerNeedTenPartitions() {
    PartitionPlan plan =
        PartitionPlanner.builder()
            .peakProducerRate(1_000)
            .consumerThroughput(100)
            .headroom(1.0)
            .build()
            .plan();
    assertThat(plan.minimumPartitions()).isEqualTo(10);
    assertThat(plan.recommendedPartitions()).isEqualTo(10);
    assertThat(plan.consumersNeeded()).isEqualTo(10);
    assertThat(plan.capacityRecordsPerSecond()).isEqualTo(1_000.0);
    assertThat(plan.feasible()).isTrue();
    assertThat(plan.explanation())
        .contains("producer rate < consumer throughput x partitions")
        .contains("= 10 partitions");
  }

  @Test
  void headroomRoundsUp() {
    PartitionPlan plan =
        PartitionPlanner.builder()
            .peakProducerRate(1_000)
            .consumerThroughput(100)
            .headroom(1.25)
            .build()
            .plan();
    assertThat(plan.minimumPartitions()).isEqualTo(13);
    assertThat(plan.capacityRecordsPerSecond()).isEqualTo(1_300.0);
  }

  @Test
  void defaultHeadroomIsTwentyPercent() {
    PartitionPlan plan =
        PartitionPlanner.builder().peakProducerRate(500).consumerThroughput(100).build().plan();
    assertThat(plan.minimumPartitions()).isEqualTo(6);
  }

  @Test
  void aSlowProducerStillGetsOnePartition() {
    PartitionPlan plan =
        PartitionPlanner.builder().peakProducerRate(1).consumerThroughput(10_000).build().plan();
    assertThat(plan.minimumPartitions()).isEqualTo(1);
    assertThat(plan.consumersNeeded()).isEqualTo(1);
  }

  @Test
  void keyedTopicsGetGrowthHeadroom() {
    PartitionPlan plan =
        PartitionPlanner.builder()
            .peakProducerRate(1_000)
            .consumerThroughput(100)
            .headroom(1.0)
            .keyed(true)
            .build()
            .plan();
    assertThat(plan.minimumPartitions()).isEqualTo(10);
    assertThat(plan.recommendedPartitions()).isEqualTo(20);
    assertThat(plan.consumersNeeded()).isEqualTo(10);
    assertThat(plan.explanation()).contains("Keyed topic").contains("20 partitions");

    PartitionPlan custom =
        PartitionPlanner.builder()
            .peakProducerRate(1_000)
            .consumerThroughput(100)
            .headroom(1.0)
            .keyed(true)
            .keyedGrowth(1.5)
            .build()
            .plan();
    assertThat(custom.recommendedPartitions()).isEqualTo(15);
  }

  @Test
  void tooFewAllowedConsumersIsReportedAsInfeasible() {
    PartitionPlan plan =
        PartitionPlanner.builder()
            .peakProducerRate(1_000)
            .consumerThroughput(100)
            .headroom(1.2)
            .maxConsumers(8)
            .build()
            .plan();
    assertThat(plan.minimumPartitions()).isEqualTo(12);
    assertThat(plan.feasible()).isFalse();
    assertThat(plan.capacityRecordsPerSecond()).isEqualTo(800.0);
    assertThat(plan.explanation()).contains("Not feasible").contains("400.0 records/s short");
  }

  @Test
  void enoughAllowedConsumersIsFeasible() {
    PartitionPlan plan =
        PartitionPlanner.builder()
            .peakProducerRate(1_000)
            .consumerThroughput(100)
            .headroom(1.0)
            .maxConsumers(10)
            .build()
            .plan();
    assertThat(plan.feasible()).isTrue();
    assertThat(plan.explanation()).doesNotContain("Not feasible");
  }

  @Test
  void explanationStatesTheCostOfPartitions() {
    PartitionPlan plan =
        PartitionPlanner.builder()
            .peakProducerRate(1_000)
            .consumerThroughput(100)
            .headroom(1.0)
            .replicationFactor(3)
            .brokers(3)
            .build()
            .plan();
    // 10 partitions x RF 3 x (2 segments x 3 files) = 180 files, 60 per broker.
    assertThat(plan.explanation())
        .contains("at least 180 open files")
        .contains("about 60 per broker over 3 brokers")
        .contains("rebalance")
        .contains("latency");
  }

  @Test
  void planCanBeAppliedToASpec() {
    PartitionPlan plan =
        PartitionPlanner.builder().peakProducerRate(900).consumerThroughput(100).build().plan();
    TopicSpec spec = plan.applyTo(TopicSpec.eventStream("clicks")).build();
    assertThat(spec.partitions()).hasValue(plan.recommendedPartitions());
  }

  @Test
  void measuredThroughputIsAccepted() {
    ThroughputMeasurement measured =
        new ThroughputMeasurement(500, Duration.ofSeconds(5), Duration.ofSeconds(4));
    assertThat(measured.recordsPerSecond()).isEqualTo(100.0);
    assertThat(measured.handlerShare()).isEqualTo(0.8);
    PartitionPlan plan =
        PartitionPlanner.builder()
            .peakProducerRate(1_000)
            .consumerThroughput(measured)
            .headroom(1.0)
            .build()
            .plan();
    assertThat(plan.minimumPartitions()).isEqualTo(10);
  }

  @Property(tries = 500)
  void minimumIsTheSmallestCountSatisfyingTheFormula(
      @ForAll @DoubleRange(min = 0.1, max = 1e6) double peak,
      @ForAll @DoubleRange(min = 0.1, max = 1e5) double perConsumer,
      @ForAll @DoubleRange(min = 1.0, max = 3.0) double headroom) {
    double target = peak * headroom;
    PartitionPlan plan =
        PartitionPlanner.builder()
            .peakProducerRate(peak)
            .consumerThroughput(perConsumer)
            .headroom(headroom)
            .build()
            .plan();
    int n = plan.minimumPartitions();
    assertThat(n).isGreaterThanOrEqualTo(1);
    assertThat(n * perConsumer).isGreaterThanOrEqualTo(target * (1 - 1e-9));
    if (n > 1) {
      assertThat((n - 1) * perConsumer).isLessThan(target);
    }
  }

  @Test
  void missingOrImpossibleInputsAreRejected() {
    assertRejected(PartitionPlanner.builder().consumerThroughput(100), "peakProducerRate");
    assertRejected(PartitionPlanner.builder().peakProducerRate(100), "consumerThroughput");
    assertRejected(
        PartitionPlanner.builder().peakProducerRate(-1).consumerThroughput(100),
        "peakProducerRate");
    assertRejected(
        PartitionPlanner.builder().peakProducerRate(100).consumerThroughput(100).headroom(0.9),
        "headroom");
    assertRejected(
        PartitionPlanner.builder().peakProducerRate(100).consumerThroughput(100).maxConsumers(0),
        "maxConsumers");
    assertRejected(
        PartitionPlanner.builder().peakProducerRate(100).consumerThroughput(100).keyedGrowth(0.5),
        "keyedGrowth");
  }

  private static void assertRejected(PartitionPlanner.Builder builder, String setting) {
    SdkConfigException e = catchThrowableOfType(SdkConfigException.class, builder::build);
    assertThat(e).isNotNull();
    assertThat(e.setting()).isEqualTo(setting);
  }

  @Test
  void aShareGroupIsNotCappedByPartitions() {
    PartitionPlan plan =
        PartitionPlanner.builder()
            .peakProducerRate(1_000)
            .consumerThroughput(50)
            .headroom(1.2)
            .shareGroup(true)
            .build()
            .plan();
    // 1,200 / 50 = 24 consumers; 24 x 500 records in flight / 2,000 per partition = 6 partitions.
    assertThat(plan.consumersNeeded()).isEqualTo(24);
    assertThat(plan.minimumPartitions()).isEqualTo(6);
    assertThat(plan.recommendedPartitions()).isEqualTo(6);
    assertThat(plan.consumersNeeded()).isGreaterThan(plan.recommendedPartitions());
    assertThat(plan.feasible()).isTrue();
    assertThat(plan.explanation())
        .contains("Share group (KIP-932)")
        .contains("not capped by partitions")
        .contains("group.share.partition.max.record.locks")
        .contains("= 6 partitions")
        .contains("within the 30.0 s record lock");
    // The same numbers for a consumer group need one partition per consumer.
    assertThat(
            PartitionPlanner.builder()
                .peakProducerRate(1_000)
                .consumerThroughput(50)
                .build()
                .plan()
                .minimumPartitions())
        .isEqualTo(24);
  }

  @Test
  void aShareGroupPlanSaysWhenAPollOutlastsTheLock() {
    PartitionPlan plan =
        PartitionPlanner.builder()
            .peakProducerRate(100)
            .consumerThroughput(10)
            .shareGroup(true)
            .recordLockDuration(Duration.ofSeconds(30))
            .build()
            .plan();
    // 500 records at 10/s = 50 s per poll, against a 30 s lock: 150 records fit in half of it.
    assertThat(plan.explanation()).contains("Lock too short").contains("max.poll.records to 150");
    PartitionPlan smallPolls =
        PartitionPlanner.builder()
            .peakProducerRate(100)
            .consumerThroughput(10)
            .shareGroup(true)
            .maxPollRecords(100)
            .build()
            .plan();
    assertThat(smallPolls.explanation()).doesNotContain("Lock too short").contains("10.0 s");
  }

  @Test
  void aKeyedShareGroupPlanSaysOrderIsNotKept() {
    PartitionPlan plan =
        PartitionPlanner.builder()
            .peakProducerRate(1_000)
            .consumerThroughput(50)
            .shareGroup(true)
            .keyed(true)
            .build()
            .plan();
    assertThat(plan.recommendedPartitions()).isEqualTo(12);
    assertThat(plan.explanation()).contains("does not keep per-key order");
  }

  @Test
  void shareGroupOptionsAreValidated() {
    assertThat(
            catchThrowableOfType(
                SdkConfigException.class,
                () ->
                    PartitionPlanner.builder()
                        .peakProducerRate(1)
                        .consumerThroughput(1)
                        .maxPollRecords(0)
                        .build()))
        .hasMessageContaining("maxPollRecords");
    assertThat(
            catchThrowableOfType(
                SdkConfigException.class,
                () ->
                    PartitionPlanner.builder()
                        .peakProducerRate(1)
                        .consumerThroughput(1)
                        .recordLockDuration(Duration.ZERO)
                        .build()))
        .hasMessageContaining("recordLockDuration");
  }

  /**
   * Against the model: consumers = ceil(rate x headroom / per-consumer); partitions are the fewest
   * whose in-flight limit holds every member's poll.
   */
  @Property(tries = 300)
  void shareGroupPlanMatchesTheModel(
      @ForAll @net.jqwik.api.constraints.IntRange(min = 1, max = 100_000) int rate,
      @ForAll @net.jqwik.api.constraints.IntRange(min = 1, max = 5_000) int perConsumer,
      @ForAll @net.jqwik.api.constraints.IntRange(min = 1, max = 2_000) int maxPoll,
      @ForAll @net.jqwik.api.constraints.IntRange(min = 100, max = 10_000) int locks) {
    PartitionPlan plan =
        PartitionPlanner.builder()
            .peakProducerRate(rate)
            .consumerThroughput(perConsumer)
            .headroom(1.0)
            .shareGroup(true)
            .maxPollRecords(maxPoll)
            .partitionMaxRecordLocks(locks)
            .build()
            .plan();
    long consumers = Math.max(1, ((long) rate + perConsumer - 1) / perConsumer);
    long inFlight = consumers * maxPoll;
    assertThat(plan.consumersNeeded()).isEqualTo(consumers);
    assertThat((long) plan.minimumPartitions() * locks).isGreaterThanOrEqualTo(inFlight);
    assertThat(
            plan.minimumPartitions() == 1
                || (long) (plan.minimumPartitions() - 1) * locks < inFlight)
        .isTrue();
    assertThat(plan.feasible()).isTrue();
  }
}
