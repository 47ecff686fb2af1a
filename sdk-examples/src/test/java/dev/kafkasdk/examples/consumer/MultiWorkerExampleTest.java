package dev.kafkasdk.examples.consumer;

import static org.assertj.core.api.Assertions.assertThat;

import dev.kafkasdk.consumer.Ordering;
import dev.kafkasdk.test.KafkaCluster;
import dev.kafkasdk.test.KafkaTest;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.params.ParameterizedTest;
import org.junit.jupiter.params.provider.EnumSource;

@KafkaTest
class MultiWorkerExampleTest {

  @ParameterizedTest
  @EnumSource(Ordering.class)
  void processesEveryOrderInTheChosenOrdering(Ordering ordering, KafkaCluster kafka)
      throws Exception {
    MultiWorkerExample.Summary summary = MultiWorkerExample.run(kafka, ordering, 600);
    assertThat(summary.processed()).isEqualTo(600);
    if (ordering != Ordering.UNORDERED) {
      assertThat(summary.outOfOrder()).isZero();
    }
  }

  @Test
  void mainRunsOnItsOwnCluster() throws Exception {
    MultiWorkerExample.main(new String[] {"unordered", "200"});
  }
}
