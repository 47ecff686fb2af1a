package dev.kafkasdk.examples.exactlyonce;

import static org.assertj.core.api.Assertions.assertThat;

import dev.kafkasdk.test.KafkaCluster;
import dev.kafkasdk.test.KafkaTest;
import org.junit.jupiter.api.Test;

@KafkaTest
class ExactlyOnceCopierExampleTest {

  @Test
  void copiesEveryOrderExactlyOnceDespiteAbortedBatches(KafkaCluster kafka) {
    ExactlyOnceCopierExample.Summary summary = ExactlyOnceCopierExample.run(kafka, 200);
    assertThat(summary.failedCalls()).isEqualTo(5); // orders 7, 47, 87, 127 and 167
    assertThat(summary.copied()).isEqualTo(200);
    assertThat(summary.distinct()).isEqualTo(200);
  }
}
