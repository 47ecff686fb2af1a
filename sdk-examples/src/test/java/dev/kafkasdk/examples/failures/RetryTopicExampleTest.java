package dev.kafkasdk.examples.failures;

import static org.assertj.core.api.Assertions.assertThat;

import dev.kafkasdk.test.KafkaCluster;
import dev.kafkasdk.test.KafkaTest;
import java.util.Map;
import org.junit.jupiter.api.Test;

@KafkaTest
class RetryTopicExampleTest {

  @Test
  void timedOutShipmentsAreBookedOnRetryAndTheRefusedOneIsDeadLetteredOnce(KafkaCluster kafka)
      throws Exception {
    RetryTopicExample.Summary summary = RetryTopicExample.run(kafka);
    assertThat(summary.declared()).hasSize(4);
    assertThat(summary.declared().get(1)).endsWith(".retry-500ms");
    assertThat(summary.declared().get(2)).endsWith(".retry-2s");
    assertThat(summary.declared().get(3)).endsWith(".DLT");
    assertThat(summary.booked()).isEqualTo(29);
    // Shipments 0, 4, ..., 28 time out once and are booked from the first retry topic.
    assertThat(summary.bookedOnRetry()).isEqualTo(8);
    // Main topic, retry-500ms, retry-2s: three calls, then one dead letter.
    assertThat(summary.deadLetters()).containsExactly(Map.entry("shipment-13", "3"));
  }
}
