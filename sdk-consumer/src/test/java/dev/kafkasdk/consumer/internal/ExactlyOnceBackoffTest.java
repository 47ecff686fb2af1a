package dev.kafkasdk.consumer.internal;

import static org.assertj.core.api.Assertions.assertThat;

import dev.kafkasdk.consumer.RetryPolicy;
import io.github.resilience4j.core.IntervalFunction;
import java.time.Duration;
import org.junit.jupiter.api.RepeatedTest;
import org.junit.jupiter.api.Test;

class ExactlyOnceBackoffTest {
  private static final RuntimeException FAILURE = new IllegalStateException("failed");

  @Test
  void aRunnersRetryPolicySetsThePause() {
    RetryPolicy policy =
        RetryPolicy.builder()
            .maxAttempts(5)
            .backoff(IntervalFunction.ofExponentialBackoff(Duration.ofMillis(300), 3.0))
            .build();

    assertThat(ExactlyOnceBackoff.delay(policy, 1, FAILURE)).isEqualTo(Duration.ofMillis(300));
    assertThat(ExactlyOnceBackoff.delay(policy, 3, FAILURE)).isEqualTo(Duration.ofMillis(2700));
  }

  @RepeatedTest(20)
  void withoutAPolicyThePauseGrowsExponentiallyWithJitterUpToOneSecond() {
    RetryPolicy none = RetryPolicy.none();

    assertThat(ExactlyOnceBackoff.delay(none, 1, FAILURE))
        .isBetween(Duration.ofMillis(50), Duration.ofMillis(150));
    assertThat(ExactlyOnceBackoff.delay(none, 2, FAILURE))
        .isBetween(Duration.ofMillis(100), Duration.ofMillis(300));
    assertThat(ExactlyOnceBackoff.delay(none, 30, FAILURE))
        .isBetween(Duration.ZERO, Duration.ofSeconds(1));
  }
}
