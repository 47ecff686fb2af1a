package dev.kafkasdk.examples.failures;

import static org.assertj.core.api.Assertions.assertThat;

import dev.kafkasdk.test.KafkaCluster;
import dev.kafkasdk.test.KafkaTest;
import org.junit.jupiter.api.Test;

@KafkaTest
class RetryAndDeadLetterExampleTest {

  @Test
  void retriesTheFlakyAndDeadLettersTheInvalidAndTheUnreadable(KafkaCluster kafka)
      throws Exception {
    RetryAndDeadLetterExample.Summary summary = RetryAndDeadLetterExample.run(kafka);
    assertThat(summary.processed()).isEqualTo(48);
    // Amounts 13, 23, 33, 43 and 53 fail once, then succeed on a retry.
    assertThat(summary.retried()).isEqualTo(5);
    assertThat(summary.deadLetters())
        .containsOnlyKeys("twelve", "-5")
        .containsEntry("twelve", "value-deserialization")
        .containsEntry("-5", "handler");
  }
}
