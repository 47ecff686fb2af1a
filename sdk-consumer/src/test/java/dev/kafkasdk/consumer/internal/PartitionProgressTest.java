package dev.kafkasdk.consumer.internal;

import static org.assertj.core.api.Assertions.assertThat;

import io.micrometer.core.instrument.simple.SimpleMeterRegistry;
import java.time.Duration;
import java.util.Set;
import org.apache.kafka.common.TopicPartition;
import org.junit.jupiter.api.Test;

/** The clock of stuck detection and the bounded per-partition lag gauges, without a broker. */
class PartitionProgressTest {
  private static final TopicPartition P0 = new TopicPartition("t", 0);
  private static final TopicPartition P1 = new TopicPartition("t", 1);

  @Test
  void theStallClockRunsOnlyWhileRecordsWaitAndRestartsWhenTheCommitMoves() {
    PartitionProgress progress = new PartitionProgress();
    progress.observe(-1, false, 100);
    assertThat(progress.stalledSince()).isZero();
    progress.observe(-1, true, 200);
    assertThat(progress.stalledSince()).isEqualTo(200);
    progress.observe(-1, true, 300);
    assertThat(progress.stalledSince()).as("the commit did not move").isEqualTo(200);
    progress.observe(5, true, 400);
    assertThat(progress.stalledSince()).as("the commit moved, records still wait").isEqualTo(400);
    progress.observe(5, false, 500);
    assertThat(progress.stalledSince()).isZero();
  }

  @Test
  void gaugesFollowTheOwnerEvenWhenTheNewOwnerIsAssignedBeforeTheOldOneRevokes() {
    SimpleMeterRegistry registry = new SimpleMeterRegistry();
    ProgressBoard board = new ProgressBoard(registry, "r");
    Object loopA = new Object();
    Object loopB = new Object();
    board.assigned(P0, loopA).lag(3);
    board.assigned(P1, loopA).lag(4);
    assertThat(lag(registry, P0)).isEqualTo(3);

    PartitionProgress ofB = board.assigned(P0, loopB);
    ofB.lag(7);
    board.removed(P0, loopA);
    assertThat(lag(registry, P0)).as("loop B owns P0 now").isEqualTo(7);

    board.removed(P1, loopA);
    assertThat(registry.find("ksdk.consumer.partition.lag").gauges()).hasSize(1);

    ofB.observe(0, true, System.nanoTime() - Duration.ofSeconds(10).toNanos());
    assertThat(board.stuck(Duration.ofSeconds(5))).isEqualTo(Set.of(P0));
    assertThat(board.stuck(Duration.ofSeconds(60))).isEmpty();

    board.close();
    assertThat(registry.find("ksdk.consumer.partition.lag").gauges()).isEmpty();
  }

  private static double lag(SimpleMeterRegistry registry, TopicPartition partition) {
    return registry
        .get("ksdk.consumer.partition.lag")
        .tag("topic", partition.topic())
        .tag("partition", Integer.toString(partition.partition()))
        .gauge()
        .value();
  }
}
