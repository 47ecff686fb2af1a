package dev.kafkasdk.test;

import static org.assertj.core.api.Assertions.assertThat;

import java.time.Duration;
import org.apache.kafka.clients.consumer.ConsumerRecord;
import org.junit.jupiter.api.Test;

/**
 * Runs where a Docker engine exists; elsewhere the extension skips it with the reason (it must
 * never fail, nor run on the embedded backend instead).
 */
@KafkaTest(backend = Backend.TESTCONTAINERS)
class TestcontainersBackendTest {

  @Test
  void roundTripInAContainer(KafkaCluster kafka, TestNames names) {
    assertThat(kafka.backend()).isEqualTo(Backend.TESTCONTAINERS);
    kafka.createTopic(names.topic(), 1, 1);
    TestRecords records = TestRecords.of(kafka);
    records.produce(names.topic(), "k", "v");
    assertThat(records.consume(names.topic(), 1, Duration.ofSeconds(60)))
        .extracting(ConsumerRecord::value)
        .containsExactly("v");
  }
}
