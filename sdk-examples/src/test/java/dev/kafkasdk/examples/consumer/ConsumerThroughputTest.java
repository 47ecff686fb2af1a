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
        .allSatisfy(result -> assertThat(result.records()).isEqualTo(2000));
  }
}
