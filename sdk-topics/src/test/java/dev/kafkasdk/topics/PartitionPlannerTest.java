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
}
