package dev.kafkasdk.consumer;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import dev.kafkasdk.core.SdkConfigException;
import dev.kafkasdk.producer.ReliableProducer;
import java.time.Duration;
import java.util.regex.Pattern;
import org.apache.kafka.common.serialization.StringSerializer;
import org.junit.jupiter.api.Test;

/** What build() accepts and refuses for retry topics; no broker needed. */
class RetryTopicsConfigTest {
  private static final RetryTopics CHAIN =
      RetryTopics.delays(Duration.ofSeconds(1), Duration.ofSeconds(10), Duration.ofMinutes(1));

  private static ConsumerRunner.Builder<String, String> valid() {
    return ConsumerRunner.builder()
        .bootstrapServers("localhost:9")
        .groupId("group")
        .topics("orders")
        .onFailure(FailureAction.retryTopics(CHAIN))
        .handler(record -> {});
  }

  @Test
  void aChainBuildsWithEitherStrategy() {
    assertThat(valid().build().state()).isEqualTo(ConsumerRunner.State.NEW);
    assertThat(valid().strategy(Strategy.threadPerPartition()).build().state())
        .isEqualTo(ConsumerRunner.State.NEW);
    assertThat(valid().strategy(Strategy.multiWorker(4, Ordering.UNORDERED)).build().state())
        .isEqualTo(ConsumerRunner.State.NEW);
    assertThat(CHAIN.retryTopics("orders"))
        .containsExactly("orders.retry-1s", "orders.retry-10s", "orders.retry-1m");
    assertThat(FailureAction.retryTopics(CHAIN).deadLetterTopic("orders")).isEqualTo("orders.DLT");
    assertThat(FailureAction.retryTopics(CHAIN).kind()).isEqualTo(FailureAction.Kind.RETRY_TOPICS);
  }

  @Test
  void delaysMustBePositiveWholeMillisecondsAndStrictlyAscending() {
    for (RetryTopics bad :
        new RetryTopics[] {
          RetryTopics.delays(java.util.List.of()),
          RetryTopics.delays(Duration.ZERO),
          RetryTopics.delays(Duration.ofSeconds(10), Duration.ofSeconds(1)),
          RetryTopics.delays(Duration.ofSeconds(1), Duration.ofSeconds(1)),
          RetryTopics.delays(Duration.ofNanos(1_500_000))
        }) {
      assertThatThrownBy(() -> valid().onFailure(FailureAction.retryTopics(bad)).build())
          .as(bad.toString())
          .isInstanceOf(SdkConfigException.class)
          .satisfies(
              e ->
                  assertThat(((SdkConfigException) e).setting())
                      .isEqualTo("onFailure(retryTopics)"));
    }
  }

  @Test
  void aTopicPatternIsRefused() {
    assertThatThrownBy(
            () -> valid().topics(java.util.List.of()).topicPattern(Pattern.compile("o.*")).build())
        .isInstanceOf(SdkConfigException.class)
        .hasMessageContaining("'onFailure'")
        .hasMessageContaining("topicPattern")
        .hasMessageContaining("Fix: subscribe with topics(...)");
  }

  @Test
  void aRetryTopicAmongTheMainTopicsIsRefused() {
    assertThatThrownBy(() -> valid().topics("orders", "orders.retry-10s").build())
        .isInstanceOf(SdkConfigException.class)
        .hasMessageContaining("'topics'")
        .hasMessageContaining("orders.retry-10s is a retry topic of orders");
  }

  @Test
  void exactlyOnceIsRefused() {
    ReliableProducer.Builder<String, String> producer =
        ReliableProducer.builder(new StringSerializer(), new StringSerializer())
            .bootstrapServers("localhost:9");
    assertThatThrownBy(
            () ->
                ConsumerRunner.builder()
                    .bootstrapServers("localhost:9")
                    .groupId("g")
                    .topics("in")
                    .strategy(Strategy.threadPerPartition())
                    .onFailure(FailureAction.retryTopics(CHAIN))
                    .exactlyOnce(producer, "copier", (in, out) -> out.send("out", in.key(), "v"))
                    .build())
        .isInstanceOf(SdkConfigException.class)
        .hasMessageContaining("'onFailure'")
        .hasMessageContaining("not supported in exactly-once mode");
  }
}
