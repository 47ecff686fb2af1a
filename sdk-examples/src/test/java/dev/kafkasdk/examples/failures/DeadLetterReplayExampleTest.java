package dev.kafkasdk.examples.failures;

import static org.assertj.core.api.Assertions.assertThat;

import dev.kafkasdk.test.KafkaCluster;
import dev.kafkasdk.test.KafkaTest;
import org.junit.jupiter.api.Test;

@KafkaTest
class DeadLetterReplayExampleTest {

  @Test
  void replaysOnlyTheOutagesDeadLettersAndTheRunnerProcessesThem(KafkaCluster kafka)
      throws Exception {
    DeadLetterReplayExample.Summary summary = DeadLetterReplayExample.run(kafka);
    // Orders 0, 3, ..., 27 hit the outage (10); order 7 is invalid.
    assertThat(summary.deadLettered()).isEqualTo(11);
    assertThat(summary.listed()).isEqualTo(11);
    assertThat(summary.wouldReplay()).isEqualTo(10);
    assertThat(summary.replayed()).isEqualTo(10);
    assertThat(summary.processedAfterReplay()).isEqualTo(10);
    assertThat(summary.secondReplay()).isZero();
  }
}
