package dev.kafkasdk.consumer;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import dev.kafkasdk.core.SdkConfigException;
import java.time.Duration;
import org.apache.kafka.clients.consumer.ConsumerConfig;
import org.apache.kafka.clients.consumer.CooperativeStickyAssignor;
import org.apache.kafka.clients.consumer.RangeAssignor;
import org.junit.jupiter.api.Test;

/** What build() accepts and refuses for a retry chain that keeps key order; no broker needed. */
class RetryTopicsKeyOrderConfigTest {
  private static final RetryTopics CHAIN =
      RetryTopics.delays(Duration.ofSeconds(1), Duration.ofSeconds(10)).keepKeyOrder();

  private static ConsumerRunner.Builder<String, String> valid() {
    return ConsumerRunner.builder()
        .bootstrapServers("localhost:9")
        .groupId("group")
        .topics("orders")
        .onFailure(FailureAction.retryTopics(CHAIN));
  }

  @Test
  void keyAndPartitionOrderingAndEitherStrategyBuild() {
    assertThat(CHAIN.keepsKeyOrder()).isTrue();
    assertThat(RetryTopics.delays(Duration.ofSeconds(1)).keepsKeyOrder()).isFalse();
    assertThat(CHAIN).isNotEqualTo(RetryTopics.delays(CHAIN.delays()));
    assertThat(CHAIN.toString()).endsWith(".keepKeyOrder()");
    for (Strategy strategy :
        new Strategy[] {
          Strategy.multiWorker(4, Ordering.KEY),
          Strategy.multiWorker(4, Ordering.PARTITION),
          Strategy.threadPerPartition()
        }) {
      assertThat(valid().strategy(strategy).handler(r -> {}).build().state())
          .isEqualTo(ConsumerRunner.State.NEW);
    }
    // Naming the assignor it needs is fine.
    assertThat(
            valid()
                .property(
                    ConsumerConfig.PARTITION_ASSIGNMENT_STRATEGY_CONFIG,
                    RangeAssignor.class.getName())
                .handler(r -> {})
                .build()
                .state())
        .isEqualTo(ConsumerRunner.State.NEW);
  }

  @Test
  void unorderedProcessingIsRefused() {
    assertRefused(
        valid().strategy(Strategy.multiWorker(4, Ordering.UNORDERED)).handler(r -> {}),
        "onFailure(retryTopics.keepKeyOrder())",
        "Ordering.UNORDERED");
  }

  @Test
  void aBatchHandlerIsRefused() {
    assertRefused(
        valid().batchHandler(records -> {}), "onFailure(retryTopics.keepKeyOrder())", "batch");
  }

  @Test
  void theConsumerGroupProtocolIsRefused() {
    assertRefused(
        valid().property(ConsumerConfig.GROUP_PROTOCOL_CONFIG, "consumer").handler(r -> {}),
        ConsumerConfig.GROUP_PROTOCOL_CONFIG,
        "classic");
  }

  @Test
  void anotherAssignorIsRefused() {
    assertRefused(
        valid()
            .property(
                ConsumerConfig.PARTITION_ASSIGNMENT_STRATEGY_CONFIG,
                CooperativeStickyAssignor.class.getName())
            .handler(r -> {}),
        ConsumerConfig.PARTITION_ASSIGNMENT_STRATEGY_CONFIG,
        "CooperativeStickyAssignor");
  }

  private static void assertRefused(
      ConsumerRunner.Builder<String, String> builder, String setting, String problemMentions) {
    assertThatThrownBy(builder::build)
        .isInstanceOf(SdkConfigException.class)
        .satisfies(
            e -> {
              SdkConfigException config = (SdkConfigException) e;
              assertThat(config.setting()).isEqualTo(setting);
              assertThat(config.getMessage()).contains(problemMentions);
            });
  }
}
