package dev.kafkasdk.core;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import java.time.Duration;
import java.util.Arrays;
import java.util.List;
import org.junit.jupiter.api.Test;

class RetryTopicNamesTest {

  @Test
  void delayIsNamedInTheLargestUnitThatDividesItExactly() {
    assertThat(RetryTopicNames.delayLabel(Duration.ofMillis(500))).isEqualTo("500ms");
    assertThat(RetryTopicNames.delayLabel(Duration.ofMillis(1500))).isEqualTo("1500ms");
    assertThat(RetryTopicNames.delayLabel(Duration.ofSeconds(1))).isEqualTo("1s");
    assertThat(RetryTopicNames.delayLabel(Duration.ofSeconds(10))).isEqualTo("10s");
    assertThat(RetryTopicNames.delayLabel(Duration.ofSeconds(90))).isEqualTo("90s");
    assertThat(RetryTopicNames.delayLabel(Duration.ofMinutes(1))).isEqualTo("1m");
    assertThat(RetryTopicNames.delayLabel(Duration.ofMinutes(10))).isEqualTo("10m");
    assertThat(RetryTopicNames.delayLabel(Duration.ofMinutes(90))).isEqualTo("90m");
    assertThat(RetryTopicNames.delayLabel(Duration.ofHours(2))).isEqualTo("2h");
    assertThat(RetryTopicNames.delayLabel(Duration.ofDays(1))).isEqualTo("1d");
    assertThat(RetryTopicNames.delayLabel(Duration.ofHours(36))).isEqualTo("36h");
  }

  @Test
  void chainIsNamedAfterTheMainTopicThenTheDeadLetterTopic() {
    assertThat(
            RetryTopicNames.retryTopics(
                "orders",
                List.of(Duration.ofSeconds(1), Duration.ofSeconds(10), Duration.ofMinutes(1))))
        .containsExactly("orders.retry-1s", "orders.retry-10s", "orders.retry-1m");
    assertThat(RetryTopicNames.deadLetterTopic("orders")).isEqualTo("orders.DLT");
  }

  @Test
  void delaysMustBePositiveWholeMillisecondsAndStrictlyAscending() {
    assertThatThrownBy(() -> RetryTopicNames.requireValidDelays("retryTopics", List.of()))
        .isInstanceOf(SdkConfigException.class)
        .hasMessageContaining("'retryTopics': no retry delays given");
    assertThatThrownBy(
            () -> RetryTopicNames.requireValidDelays("retryTopics", List.of(Duration.ZERO)))
        .isInstanceOf(SdkConfigException.class)
        .hasMessageContaining("not a positive whole number of milliseconds");
    assertThatThrownBy(
            () ->
                RetryTopicNames.requireValidDelays("retryTopics", List.of(Duration.ofNanos(1500))))
        .isInstanceOf(SdkConfigException.class);
    assertThatThrownBy(
            () ->
                RetryTopicNames.requireValidDelays(
                    "retryTopics", List.of(Duration.ofSeconds(10), Duration.ofSeconds(1))))
        .isInstanceOf(SdkConfigException.class)
        .hasMessageContaining("strictly ascending")
        .hasMessageContaining("Fix: list each delay once, shortest first");
    assertThatThrownBy(
            () ->
                RetryTopicNames.requireValidDelays(
                    "retryTopics", List.of(Duration.ofSeconds(1), Duration.ofMillis(1000))))
        .isInstanceOf(SdkConfigException.class);
    assertThatThrownBy(
            () -> RetryTopicNames.requireValidDelays("retryTopics", Arrays.asList((Duration) null)))
        .isInstanceOf(SdkConfigException.class);
    assertThatThrownBy(() -> RetryTopicNames.delayLabel(Duration.ofMillis(-1)))
        .isInstanceOf(IllegalArgumentException.class);
  }
}
