package dev.kafkasdk.consumer;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import dev.kafkasdk.core.SdkConfigException;
import java.util.function.UnaryOperator;
import java.util.regex.Pattern;
import org.apache.kafka.common.serialization.StringSerializer;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.params.ParameterizedTest;
import org.junit.jupiter.params.provider.ValueSource;

/** What {@code build()} refuses for a share-group runner, each naming the setting and a fix. */
class ShareGroupConfigTest {

  private static ConsumerRunner.Builder<String, String> valid() {
    return ConsumerRunner.builder()
        .bootstrapServers("localhost:9092")
        .groupId("share-group")
        .topics("t")
        .strategy(Strategy.shareGroup(2, 4))
        .handler(record -> {});
  }

  private static void refused(
      UnaryOperator<ConsumerRunner.Builder<String, String>> change, String setting) {
    assertThatThrownBy(() -> change.apply(valid()).build())
        .isInstanceOf(SdkConfigException.class)
        .satisfies(
            e -> {
              SdkConfigException config = (SdkConfigException) e;
              assertThat(config.setting()).isEqualTo(setting);
              assertThat(config.fix()).isNotBlank();
            });
  }

  @Test
  void aValidShareGroupRunnerBuilds() {
    assertThat(valid().build().state()).isEqualTo(ConsumerRunner.State.NEW);
    assertThat(
            valid()
                .retry(RetryPolicy.builder().maxAttempts(5).build())
                .onFailure(FailureAction.deadLetter())
                .property("share.acknowledgement.mode", "explicit")
                .build()
                .state())
        .isEqualTo(ConsumerRunner.State.NEW);
  }

  @Test
  void theStrategyChecksItsCounts() {
    assertThatThrownBy(() -> Strategy.shareGroup(0, 1))
        .isInstanceOf(SdkConfigException.class)
        .extracting(e -> ((SdkConfigException) e).setting())
        .isEqualTo("shareGroup.consumers");
    assertThatThrownBy(() -> Strategy.shareGroup(1, 0))
        .extracting(e -> ((SdkConfigException) e).setting())
        .isEqualTo("shareGroup.workersPerConsumer");
    assertThatThrownBy(() -> Strategy.shareGroup(1, 1, 11))
        .extracting(e -> ((SdkConfigException) e).setting())
        .isEqualTo("shareGroup.deliveryCountLimit");
    assertThat(Strategy.shareGroup(1, 1).deliveryCountLimit()).isEqualTo(5);
  }

  @Test
  void topicPatternsAreRefused() {
    refused(
        b -> b.topics(java.util.List.of()).topicPattern(Pattern.compile("t.*")), "topicPattern");
  }

  @Test
  void exactlyOnceIsRefused() {
    refused(
        b ->
            ConsumerRunner.builder()
                .bootstrapServers("localhost:9092")
                .groupId("g")
                .topics("t")
                .strategy(Strategy.shareGroup(1, 1))
                .exactlyOnce(
                    dev.kafkasdk.producer.ReliableProducer.builder(
                            new StringSerializer(), new StringSerializer())
                        .bootstrapServers("localhost:9092"),
                    "tx",
                    (record, out) -> {}),
        "exactlyOnce");
  }

  @Test
  void batchHandlersAreRefused() {
    refused(
        b ->
            ConsumerRunner.builder()
                .bootstrapServers("localhost:9092")
                .groupId("g")
                .topics("t")
                .strategy(Strategy.shareGroup(1, 1))
                .batchHandler(records -> {}),
        "batchHandler");
  }

  @Test
  void retryTopicsAndKeyOrderAreRefused() {
    refused(
        b ->
            b.onFailure(
                FailureAction.retryTopics(RetryTopics.delays(java.time.Duration.ofSeconds(1)))),
        "onFailure");
    refused(
        b ->
            b.onFailure(
                FailureAction.retryTopics(
                    RetryTopics.delays(java.time.Duration.ofSeconds(1)).keepKeyOrder())),
        "onFailure");
  }

  @Test
  void moreAttemptsThanTheDeliveryCountLimitAreRefused() {
    refused(b -> b.retry(RetryPolicy.builder().maxAttempts(6).build()), "retry");
    assertThat(
            valid()
                .strategy(Strategy.shareGroup(1, 1, 8))
                .retry(RetryPolicy.builder().maxAttempts(8).build())
                .build()
                .state())
        .isEqualTo(ConsumerRunner.State.NEW);
  }

  @ParameterizedTest
  @ValueSource(
      strings = {
        "enable.auto.commit",
        "group.protocol",
        "group.remote.assignor",
        "partition.assignment.strategy",
        "auto.offset.reset",
        "isolation.level",
        "group.instance.id",
        "session.timeout.ms",
        "heartbeat.interval.ms",
        "interceptor.classes"
      })
  void consumerGroupSettingsAreRefused(String property) {
    refused(b -> b.property(property, "x"), property);
  }

  @Test
  void implicitAcknowledgementIsRefused() {
    refused(
        b -> b.property("share.acknowledgement.mode", "implicit"), "share.acknowledgement.mode");
  }
}
