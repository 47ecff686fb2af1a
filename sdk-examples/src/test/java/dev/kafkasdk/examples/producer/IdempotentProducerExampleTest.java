package dev.kafkasdk.examples.producer;

import static org.assertj.core.api.Assertions.assertThat;

import dev.kafkasdk.test.KafkaCluster;
import dev.kafkasdk.test.KafkaTest;
import dev.kafkasdk.test.TestNames;
import org.junit.jupiter.api.Test;

/** Runs the example so it cannot rot. */
@KafkaTest
class IdempotentProducerExampleTest {

  @Test
  void everyEventIsAcknowledgedAndReadBackOnce(KafkaCluster kafka, TestNames names) {
    kafka.createTopic(names.topic(), 3, 1);

    IdempotentProducerExample.Result result =
        IdempotentProducerExample.run(kafka.bootstrapServers(), names.topic(), 50);

    assertThat(result.failed()).isEmpty();
    assertThat(result.acknowledged()).isEqualTo(101);
    assertThat(result.readBack())
        .hasSize(101)
        .doesNotHaveDuplicates()
        .contains("created-0", "paid", "audit-0", "audit-49");
  }
}
