package dev.kafkasdk.examples.consumer;

import static org.assertj.core.api.Assertions.assertThat;

import dev.kafkasdk.test.KafkaCluster;
import dev.kafkasdk.test.KafkaTest;
import org.junit.jupiter.api.Test;

@KafkaTest
class ThreadPerPartitionExampleTest {

  @Test
  void processesEveryPartitionInOrder(KafkaCluster kafka) throws Exception {
    ThreadPerPartitionExample.Summary summary = ThreadPerPartitionExample.run(kafka, 600);
    assertThat(summary.processed()).isEqualTo(600);
    assertThat(summary.outOfOrder()).isZero();
    assertThat(summary.threads()).isBetween(1, 3);
  }

  @Test
  void mainRunsOnItsOwnCluster() throws Exception {
    ThreadPerPartitionExample.main(new String[] {"200"});
  }
}
