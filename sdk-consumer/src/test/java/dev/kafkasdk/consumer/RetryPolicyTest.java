package dev.kafkasdk.consumer;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import dev.kafkasdk.core.SdkConfigException;
import io.github.resilience4j.core.IntervalFunction;
import io.github.resilience4j.retry.RetryConfig;
import java.io.IOException;
import java.io.UncheckedIOException;
import java.time.Duration;
import org.apache.kafka.common.TopicPartition;
import org.junit.jupiter.api.Test;

/** Retry classification and backoff, and the failure actions' topics; no broker needed. */
class RetryPolicyTest {
  private static final DeserializationFailure POISON =
      new DeserializationFailure(new TopicPartition("t", 0), 3, false, new RuntimeException("x"));

  @Test
  void classifiesFailuresAndNeverRetriesPoisonPills() {
    RetryPolicy policy =
        RetryPolicy.builder()
            .maxAttempts(4)
            .nonRetryable(IllegalArgumentException.class)
            .retryOn(error -> !(error instanceof UncheckedIOException))
            .build();
    assertThat(policy.isRetryable(new IllegalStateException())).isTrue();
    assertThat(policy.isRetryable(new NumberFormatException())).as("subclass").isFalse();
    assertThat(policy.isRetryable(new UncheckedIOException(new IOException()))).isFalse();
    assertThat(policy.isRetryable(POISON)).isFalse();
    assertThat(RetryPolicy.none().maxAttempts()).isEqualTo(1);
  }

  @Test
  void backoffFollowsTheIntervalFunctionAndRetryConfigIsAdopted() {
    RetryPolicy policy =
        RetryPolicy.builder()
            .backoff(IntervalFunction.ofExponentialBackoff(Duration.ofMillis(100), 2.0))
            .build();
    assertThat(policy.delay(1, new RuntimeException())).isEqualTo(Duration.ofMillis(100));
    assertThat(policy.delay(3, new RuntimeException())).isEqualTo(Duration.ofMillis(400));

    RetryPolicy adopted =
        RetryPolicy.from(
            RetryConfig.custom()
                .maxAttempts(7)
                .waitDuration(Duration.ofMillis(250))
                .ignoreExceptions(IllegalArgumentException.class)
                .build());
    assertThat(adopted.maxAttempts()).isEqualTo(7);
    assertThat(adopted.delay(2, new RuntimeException())).isEqualTo(Duration.ofMillis(250));
    assertThat(adopted.isRetryable(new IllegalArgumentException())).isFalse();
    assertThat(adopted.isRetryable(new IllegalStateException())).isTrue();
  }

  @Test
  void invalidRetrySettingsFailAtBuild() {
    assertThatThrownBy(() -> RetryPolicy.builder().maxAttempts(0).build())
        .isInstanceOf(SdkConfigException.class)
        .hasMessageContaining("maxAttempts");
    assertThatThrownBy(() -> RetryPolicy.builder().maxDuration(Duration.ZERO).build())
        .isInstanceOf(SdkConfigException.class)
        .hasMessageContaining("maxDuration");
  }

  @Test
  void deadLetterTopicsDefaultToTheSourceTopicPlusDlt() {
    assertThat(FailureAction.deadLetter().deadLetterTopic("orders")).isEqualTo("orders.DLT");
    assertThat(FailureAction.deadLetter("errors").deadLetterTopic("orders")).isEqualTo("errors");
    assertThat(FailureAction.stop().kind()).isEqualTo(FailureAction.Kind.STOP);
    assertThat(FailureAction.skip().kind()).isEqualTo(FailureAction.Kind.SKIP);
  }
}
