package dev.kafkasdk.consumer.internal;

import static org.assertj.core.api.Assertions.assertThat;

import java.util.Optional;
import org.junit.jupiter.api.Test;

class FlowLimitsTest {

  @Test
  void defaultPollSizeIsHalfThePartitionLimitCappedAt500() {
    assertThat(FlowLimits.forLoop(1000, 500, Optional.empty(), 1))
        .isEqualTo(new FlowLimits(1000, 500, 250));
    assertThat(FlowLimits.forLoop(5000, 5000, Optional.empty(), 1).maxPollRecords()).isEqualTo(500);
    assertThat(FlowLimits.forLoop(1, 1, Optional.empty(), 1)).isEqualTo(new FlowLimits(1, 1, 1));
  }

  @Test
  void theRunnerLimitIsSplitOverConsumerThreads() {
    FlowLimits limits = FlowLimits.forLoop(1000, 500, Optional.empty(), 4);
    assertThat(limits).isEqualTo(new FlowLimits(250, 250, 125));
    // Never below one record per thread.
    assertThat(FlowLimits.forLoop(3, 3, Optional.empty(), 8).maxInFlight()).isEqualTo(1);
  }

  @Test
  void anExplicitPollSizeIsKeptUnlessItExceedsThePartitionLimit() {
    assertThat(FlowLimits.forLoop(1000, 500, Optional.of(50), 1).maxPollRecords()).isEqualTo(50);
    assertThat(FlowLimits.forLoop(1000, 500, Optional.of(400), 4).maxPollRecords()).isEqualTo(250);
  }

  @Test
  void aPartitionOrLoopIsFetchedOnlyWhileAFullPollFits() {
    FlowLimits limits = new FlowLimits(10, 6, 2);
    assertThat(limits.admits(8)).isTrue();
    assertThat(limits.admits(9)).isFalse();
    assertThat(limits.admitsPartition(4)).isTrue();
    assertThat(limits.admitsPartition(5)).isFalse();
  }
}
