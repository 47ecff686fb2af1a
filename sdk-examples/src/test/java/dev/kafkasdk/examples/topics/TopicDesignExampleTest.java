package dev.kafkasdk.examples.topics;

import static org.assertj.core.api.Assertions.assertThat;

import dev.kafkasdk.test.KafkaCluster;
import dev.kafkasdk.test.KafkaTest;
import dev.kafkasdk.topics.AdvisorRule;
import dev.kafkasdk.topics.Finding;
import dev.kafkasdk.topics.TopicChangeRefusedException;
import dev.kafkasdk.topics.TopicReport;
import java.io.ByteArrayOutputStream;
import java.io.PrintStream;
import java.nio.charset.StandardCharsets;
import org.junit.jupiter.api.Test;

@KafkaTest
class TopicDesignExampleTest {

  @Test
  void designsCreatesAndGuardsTheOrdersTopic(KafkaCluster kafka) {
    ByteArrayOutputStream buffer = new ByteArrayOutputStream();
    TopicDesignExample.Outcome outcome =
        TopicDesignExample.run(kafka, new PrintStream(buffer, true, StandardCharsets.UTF_8));

    // The handler spends at least 1 ms per record, so one consumer manages at most 1,000/s.
    assertThat(outcome.measured().recordsPerSecond()).isPositive().isLessThanOrEqualTo(1_000.0);
    assertThat(outcome.plan().minimumPartitions()).isGreaterThanOrEqualTo(3);
    assertThat(outcome.plan().recommendedPartitions())
        .isEqualTo(2 * outcome.plan().minimumPartitions());
    assertThat(outcome.spec().partitions()).hasValue(outcome.plan().recommendedPartitions());
    assertThat(outcome.spec().keyed()).isTrue();

    assertThat(outcome.findings())
        .extracting(Finding::rule)
        .as("the shared test cluster has one broker")
        .contains(AdvisorRule.REPLICATION_BELOW_THREE);
    assertThat(outcome.created().outcome()).isEqualTo(TopicReport.Outcome.CREATED);
    assertThat(outcome.reapplied().outcome()).isEqualTo(TopicReport.Outcome.MATCHES);
    assertThat(outcome.refusal()).isNotNull();
    assertThat(outcome.refusal().reason())
        .isEqualTo(TopicChangeRefusedException.Reason.KEYED_TOPIC_NOT_ACKNOWLEDGED);
    assertThat(outcome.refusal().keyMovement().orElseThrow().sampledKeys()).isEqualTo(1_000);

    assertThat(buffer.toString(StandardCharsets.UTF_8))
        .contains("one consumer:")
        .contains("producer rate < consumer throughput x partitions")
        .contains("apply: CREATED, again: MATCHES")
        .contains("refused:");
  }
}
