package dev.kafkasdk.examples.producer;

import static org.assertj.core.api.Assertions.assertThat;

import dev.kafkasdk.test.KafkaCluster;
import dev.kafkasdk.test.KafkaTest;
import dev.kafkasdk.test.TestNames;
import java.util.stream.IntStream;
import org.junit.jupiter.api.Test;

/** Runs the example so it cannot rot. */
@KafkaTest
class TransactionalProducerExampleTest {

  @Test
  void approvesEachPaymentOnceAndHidesTheAbortedTransaction(KafkaCluster kafka, TestNames names) {
    String input = names.topic("in");
    String output = names.topic("out");
    kafka.createTopic(input, 2, 1);
    kafka.createTopic(output, 2, 1);
    TransactionalProducerExample.fillInput(kafka.bootstrapServers(), input, 10);

    TransactionalProducerExample.Result result =
        TransactionalProducerExample.run(
            kafka.bootstrapServers(), input, output, names.groupId(), 10);

    assertThat(result.committedOutput())
        .containsExactlyInAnyOrderElementsOf(
            IntStream.range(0, 10)
                .mapToObj(i -> "APPROVED payment-" + i + ":amount=" + (i * 10))
                .toList())
        .doesNotContain("THIS MUST NOT BE VISIBLE");
    assertThat(result.committedInputOffset()).isEqualTo(10);
  }
}
