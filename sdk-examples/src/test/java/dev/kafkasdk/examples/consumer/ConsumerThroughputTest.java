package dev.kafkasdk.examples.consumer;

import static org.assertj.core.api.Assertions.assertThat;

import dev.kafkasdk.test.KafkaCluster;
import dev.kafkasdk.test.KafkaTest;
import org.junit.jupiter.api.Test;

@KafkaTest
class ConsumerThroughputTest {

  @Test
  void measuresEveryStrategy(KafkaCluster kafka) throws Exception {
    assertThat(ConsumerThroughput.run(kafka, 2000))
        .hasSize(4)
        .allSatisfy(
            result -> {
              assertThat(result.records()).isEqualTo(2000);
              // At least the default (5,000, split over thread-per-partition's six consumers);
              // 2,000 records are too few for the window to have grown.
              assertThat(result.inFlightLimit()).isBetween(4_998L, 40_000L);
            });
  }
}
