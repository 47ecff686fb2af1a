package dev.kafkasdk.consumer.internal;

import static org.assertj.core.api.Assertions.assertThat;

import dev.kafkasdk.consumer.RetryPolicy;
import dev.kafkasdk.consumer.Strategy;
import dev.kafkasdk.producer.ReliableProducer;
import io.github.resilience4j.core.IntervalFunction;
import java.time.Duration;
import java.util.List;
import org.apache.kafka.common.serialization.StringDeserializer;
import org.apache.kafka.common.serialization.StringSerializer;
import org.junit.jupiter.api.RepeatedTest;
import org.junit.jupiter.api.Test;

/** The retry policy exactly-once mode runs with: its attempts and the pause before each retry. */
class ExactlyOnceRetryPolicyTest {
  private static final RuntimeException FAILURE = new IllegalStateException("failed");

  @Test
  void aRunnersRetryPolicySetsAttemptsAndPause() {
    RetryPolicy policy =
        RetryPolicy.builder()
            .maxAttempts(5)
            .backoff(IntervalFunction.ofExponentialBackoff(Duration.ofMillis(300), 3.0))
            .build();

    RetryPolicy resolved = resolvedRetry(policy);

    assertThat(resolved).isSameAs(policy);
    assertThat(resolved.maxAttempts()).isEqualTo(5);
    assertThat(resolved.delay(1, FAILURE)).isEqualTo(Duration.ofMillis(300));
    assertThat(resolved.delay(3, FAILURE)).isEqualTo(Duration.ofMillis(2700));
  }

  @RepeatedTest(20)
  void withoutAPolicyThreeAttemptsPauseExponentiallyWithJitterUpToOneSecond() {
    RetryPolicy resolved = resolvedRetry(null);

    assertThat(resolved).isSameAs(RunnerConfigResolver.EXACTLY_ONCE_DEFAULT);
    assertThat(resolved.maxAttempts()).isEqualTo(3);
    assertThat(resolved.delay(1, FAILURE)).isBetween(Duration.ofMillis(50), Duration.ofMillis(150));
    assertThat(resolved.delay(2, FAILURE))
        .isBetween(Duration.ofMillis(100), Duration.ofMillis(300));
    assertThat(resolved.delay(30, FAILURE)).isBetween(Duration.ZERO, Duration.ofSeconds(1));
  }

  /** Resolves an exactly-once runner with the given retry policy (or none). */
  private static RetryPolicy resolvedRetry(RetryPolicy retry) {
    RunnerDraft<String, String> draft =
        new RunnerDraft<>(new StringDeserializer(), new StringDeserializer());
    draft.bootstrapServers("localhost:9092");
    draft.groupId("copier");
    draft.topics(List.of("in"));
    draft.strategy(Strategy.threadPerPartition());
    if (retry != null) {
      draft.retry(retry);
    }
    draft.exactlyOnce(
        ReliableProducer.builder(new StringSerializer(), new StringSerializer())
            .bootstrapServers("localhost:9092"),
        "copier",
        (in, out) -> out.send("out", in.key(), in.value()));
    ProcessingMode<String, String> mode = RunnerConfigResolver.resolve(draft).mode();
    assertThat(mode).isInstanceOf(ExactlyOnceSettings.class);
    return ((ExactlyOnceSettings<?, ?, ?, ?>) mode).retry();
  }
}
