package dev.kafkasdk.consumer.internal;

import static org.assertj.core.api.Assertions.assertThat;

import java.util.Optional;
import org.junit.jupiter.api.Test;

class FlowLimitsTest {
  private static final LimitGrowth NONE = LimitGrowth.NONE;

  @Test
  void defaultPollSizeIsHalfThePartitionLimitCappedAt500() {
    assertThat(FlowLimits.forLoop(1000, 500, Optional.empty(), 1, NONE))
        .isEqualTo(new FlowLimits(1000, 500, 250, NONE, FlowLimits.RUNNER_BYTE_BUDGET));
    assertThat(FlowLimits.forLoop(5000, 5000, Optional.empty(), 1, NONE).maxPollRecords())
        .isEqualTo(500);
    assertThat(FlowLimits.forLoop(1, 1, Optional.empty(), 1, NONE).maxPollRecords()).isEqualTo(1);
  }

  @Test
  void theRunnerLimitAndByteBudgetAreSplitOverConsumerThreads() {
    LimitGrowth both = new LimitGrowth(true, true);
    FlowLimits limits = FlowLimits.forLoop(1000, 500, Optional.empty(), 4, both);
    assertThat(limits)
        .isEqualTo(new FlowLimits(250, 250, 125, both, FlowLimits.RUNNER_BYTE_BUDGET / 4));
    // Never below one record per thread.
    assertThat(FlowLimits.forLoop(3, 3, Optional.empty(), 8, NONE).maxInFlight()).isEqualTo(1);
  }

  @Test
  void anExplicitPollSizeIsKeptUnlessItExceedsThePartitionLimit() {
    assertThat(FlowLimits.forLoop(1000, 500, Optional.of(50), 1, NONE).maxPollRecords())
        .isEqualTo(50);
    assertThat(FlowLimits.forLoop(1000, 500, Optional.of(400), 4, NONE).maxPollRecords())
        .isEqualTo(250);
  }
}
